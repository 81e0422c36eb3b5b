"""What the escalation engine announces, after commit (see oversight.core.events). The subject's own app records
a step on its timeline by handling ``liaisons.escalation.stepped`` by name (it never imports liaisons)."""

from oversight.core.events import define

ESCALATION_RAISED = define(
    "liaisons.escalation.raised",
    "escalation_id",
    "subject_type",
    "subject_id",
    "trigger",
    doc="An escalation episode began for a subject (a breach, a complaint, an overdue action, a red KRI, a "
    "stalled change).",
)
ESCALATION_STEPPED = define(
    "liaisons.escalation.stepped",
    "escalation_id",
    "subject_type",
    "subject_id",
    "trigger",
    "level",
    doc="One level of an escalation was sent (exactly once per episode and level).",
)
ESCALATION_SETTLED = define(
    "liaisons.escalation.settled",
    "escalation_id",
    "subject_type",
    "subject_id",
    "trigger",
    doc="The escalation's subject was resolved: no further level is sent.",
)
HOTLINE_REPORT_RECEIVED = define(
    "liaisons.hotline_report.received",
    "report_id",
    doc="A report came in through the public supervision hotline page.",
)
