"""The meetings app reacts to domain events here (imported from ``MeetingsConfig.ready``). Handlers are
idempotent.

- The escalation matrix stepped up an overdue action item's escalation (``liaisons.escalation.stepped``, handled
  by name: liaisons announces, this app records): the step goes into the item's history, once per event."""

from oversight.core.events import handles
from oversight.meetings.services.actions import ESCALATION_TRIGGER, SUBJECT_TYPE, action_escalation_step_record


@handles("liaisons.escalation.stepped")
def record_escalation_step(
    *, escalation_id: int, subject_type: str, subject_id: int, trigger: str, level, event_id: str
) -> None:
    """Write an overdue action item's escalation step into its history (a second delivery writes nothing)."""
    if subject_type != SUBJECT_TYPE or trigger != ESCALATION_TRIGGER:
        return
    action_escalation_step_record(subject_id=subject_id, event_id=event_id, level=level)
