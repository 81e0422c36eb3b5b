"""Feedback reacts to work orders: a resolution sends the requester a single-use rating link.

Registered from ``FeedbackConfig.ready``; tickets announces the resolution and never imports feedback.
"""

from oversight.core.events import handles
from oversight.feedback.services.ratings import rating_invitation_issue_on_resolve
from oversight.tenancy.models import User
from oversight.tickets.events import WORK_ORDER_RESOLVED


@handles(WORK_ORDER_RESOLVED)
def issue_rating_link(*, work_order_id: int, actor_id: int | None, event_id: str) -> None:
    """Issue this resolution's rating link (once per event, however often the event is delivered)."""
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    rating_invitation_issue_on_resolve(work_order_id=work_order_id, actor=actor, event_id=event_id)
