"""Stable codes of the service facts."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    """How one SLA target of a work order stands, as ``scorecards.facts_loader._target`` reads its clock.

    ``running`` is kept apart from ``pending``: a running target whose deadline has passed when a period is
    evaluated counts as missed, so the reader decides it from the deadline and the evaluation instant.
    """

    MET = "met", _("Met")
    MISSED = "missed", _("Missed")
    RUNNING = "running", _("Running")
    PENDING = "pending", _("Not decided")


METRICS = ("response", "onsite", "resolution")
