"""Reactions of the changes app to domain events (run after commit, idempotent)."""

from __future__ import annotations

from oversight.changes.choices import ChangeStatus
from oversight.changes.models import Change, ChangeWindow
from oversight.core.events import handles


@handles("changes.window.created")
def recheck_scheduled_changes(*, window_id, actor_id, event_id) -> None:
    """A window added after changes were scheduled: check each scheduled change of the organisation from the
    window's first start on, and flag the ones that now conflict (a second run flags nothing new)."""
    from oversight.changes.services.calendar import change_recheck_calendar

    window = ChangeWindow.objects.filter(pk=window_id).first()
    if window is None:
        return
    scheduled = Change.objects.filter(
        organisation_id=window.organisation_id, status=ChangeStatus.SCHEDULED, planned_end__gt=window.start
    )
    for change in scheduled.order_by("planned_start", "id"):
        change_recheck_calendar(change=change, window_id=window.pk)
