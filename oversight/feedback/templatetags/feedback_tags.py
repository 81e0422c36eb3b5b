"""Template helpers that put the feedback of a work order (rating link, rating, complaints) on its page."""

from __future__ import annotations

from django import template

from oversight.core import clock
from oversight.feedback import permissions, selectors, services

register = template.Library()


@register.inclusion_tag("feedback/partials/work_order_feedback.html", takes_context=True)
def work_order_feedback(context, work_order):
    """The rating box of a work order page: rate or print a QR code (requester), the rating, the complaints."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    rating = selectors.rating_for_work_order(user=user, work_order=work_order)
    may_rate = (
        rating is None
        and permissions.may_request_rating_link(user, work_order)
        and work_order.status in services.RATEABLE_STATUSES
        and services.rating_expected(work_order)
        and services.rating_deadline(work_order) > clock.now()
    )
    complaints = list(selectors.complaints_for_work_order(user=user, work_order=work_order))
    may_open = permissions.may_open_complaint(user, work_order)
    return {
        "show": bool(rating or may_rate or complaints or may_open),
        "wo": work_order,
        "rating": rating,
        "may_rate": may_rate,
        "deadline": services.rating_deadline(work_order) if may_rate else None,
        "complaints": complaints,
        "may_open_complaint": may_open,
        "csrf_token": context.get("csrf_token"),
    }
