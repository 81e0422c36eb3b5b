"""What happens to ratings and complaints, announced after commit (see oversight.core.events)."""

from oversight.core.events import define

RATING_SUBMITTED = define(
    "feedback.rating.submitted",
    "rating_id",
    "work_order_id",
    "stars",
    doc="A requester rated a resolved work order through a rating link (1–5 stars).",
)
COMPLAINT_OPENED = define(
    "feedback.complaint.opened",
    "complaint_id",
    "work_order_id",
    "actor_id",
    "source",
    doc="A complaint was opened about a work order: by hand, or automatically by a low rating.",
)
COMPLAINT_TRANSITIONED = define(
    "feedback.complaint.transitioned",
    "complaint_id",
    "actor_id",
    "action",
    "from_status",
    "to_status",
    doc="Any status change of a complaint along its transition table.",
)
COMPLAINT_RESOLVED = define(
    "feedback.complaint.resolved",
    "complaint_id",
    "work_order_id",
    "actor_id",
    doc="The client's supervisor resolved a complaint.",
)
