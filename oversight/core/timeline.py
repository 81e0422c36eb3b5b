"""Appending to the immutable timelines of work orders, complaints and evaluation periods."""

from __future__ import annotations

from django.db.models import Max

from oversight.core.models import TimelineEventBase


def timeline_append(model: type[TimelineEventBase], parent, *, actor, **fields) -> TimelineEventBase:
    """Append the next step (next `seq`) to `parent`'s timeline; the caller holds the parent's row lock,
    so two writers cannot take the same number."""
    last = model.objects.filter(**{model.timeline_parent: parent}).aggregate(m=Max("seq"))["m"] or 0
    return model.objects.create(
        **{model.timeline_parent: parent},
        seq=last + 1,
        actor=actor if getattr(actor, "pk", None) else None,
        **fields,
    )
