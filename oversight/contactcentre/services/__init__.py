"""Writes of the contact-centre app: keyword-only, atomic, audited services (``<entity>_<verb>(*, ..., actor)``)."""

from oversight.contactcentre.services.queues import queue_change, queue_create

__all__ = ["queue_change", "queue_create"]
