"""Oversight: a client organisation's platform for supervising the vendors that run its services."""

from oversight.celery import app as celery_app

__all__ = ["celery_app"]
