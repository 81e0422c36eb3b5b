"""Abstract models shared by several apps, and the one operational table: the background processes' heartbeats."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimelineEventBase(models.Model):
    """One immutable step of an object's timeline: its place in the sequence, when, by whom, with which details.

    A concrete timeline adds the foreign key to its object (named by `timeline_parent`, related name "events"),
    its `kind` with its own choices, and its Meta (ordering, the unique (parent, seq) constraint)."""

    # The name of the foreign key to the object whose timeline this is.
    timeline_parent = ""
    # The text of the error raised when a stored step would be changed.
    immutable_error = "timeline events are immutable"

    seq = models.PositiveIntegerField(_("sequence"))
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_status = models.CharField(_("from status"), max_length=20, blank=True)
    to_status = models.CharField(_("to status"), max_length=20, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{getattr(self, self.timeline_parent + '_id')}#{self.seq} {self.kind}"

    def save(self, *args, **kwargs):
        # Integrity, not business logic: the timeline is append-only.
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError(self.immutable_error)
        super().save(*args, **kwargs)


class Heartbeat(models.Model):
    """When a background process last showed it was alive (operations, not business data; never audited).

    One row per name: ``worker`` (a Celery worker, or the embedded scheduler, ran the heartbeat task), ``beat``
    (Celery beat or ``manage.py jobs_run`` looked at its schedule). Every process writes here, so every web process
    reads the same answer in ``/readyz`` and ``/metrics`` (oversight.core.health)."""

    name = models.CharField(_("name"), max_length=100, primary_key=True)
    at = models.DateTimeField(_("at"))
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.name} {self.at:%Y-%m-%d %H:%M:%S}"
