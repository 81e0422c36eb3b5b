"""Every write of the meetings app (plans and series, meetings, the prefilled agenda, action items), by part."""

from oversight.meetings.services.actions import (
    action_escalation_step_record,
    action_item_create,
    action_item_transition,
    action_overdue_escalate,
    action_reminders_send,
)
from oversight.meetings.services.agenda import collect_lines, meeting_prefill_agenda
from oversight.meetings.services.meetings import (
    agenda_item_add,
    attendance_record,
    decision_add,
    meeting_create,
    meeting_sign,
    meeting_transition,
    minutes_save,
    participants_add,
)
from oversight.meetings.services.plans import (
    plan_create,
    plan_row_add,
    series_create,
    series_occurrences,
    series_schedule,
    side_of,
)

__all__ = [
    "action_escalation_step_record",
    "action_item_create",
    "action_item_transition",
    "action_overdue_escalate",
    "action_reminders_send",
    "agenda_item_add",
    "attendance_record",
    "collect_lines",
    "decision_add",
    "meeting_create",
    "meeting_prefill_agenda",
    "meeting_sign",
    "meeting_transition",
    "minutes_save",
    "participants_add",
    "plan_create",
    "plan_row_add",
    "series_create",
    "series_occurrences",
    "series_schedule",
    "side_of",
]
