"""What the knowledge base shows on the work-order pages (`core.sections`): suggestions on the new-work-order form
and, on a resolved work order, "write an article from this work order"."""

from __future__ import annotations

from oversight.knowledge import permissions
from oversight.knowledge.services import RESOLVED_STATUSES
from oversight.tenancy.roles import is_signed_in


def work_order_form_context(request, form) -> dict | None:
    """The ids of the fields the suggestions listen to (title, description, service)."""
    if not is_signed_in(request.user) or form is None:
        return None
    try:
        return {
            "title_id": form["title"].id_for_label,
            "description_id": form["description"].id_for_label,
            "service_id": form["service"].id_for_label,
        }
    except KeyError:
        return None


def work_order_side_context(request, work_order) -> dict | None:
    """The button, for a resolved or closed work order of the writer's organisation."""
    user = request.user
    if (
        work_order is None
        or work_order.status not in RESOLVED_STATUSES
        or not permissions.may_write(user)
        or user.organisation_id != work_order.organisation_id
    ):
        return None
    return {"wo": work_order}
