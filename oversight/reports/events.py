"""What happens to report deliveries, announced after commit (see oversight.core.events)."""

from oversight.core.events import define

REPORT_DELIVERY_FINISHED = define(
    "reports.delivery.finished",
    "delivery_id",
    "schedule_id",
    "status",
    doc="A scheduled report was served to every recipient not served yet: status is 'sent' or 'failed'.",
)
