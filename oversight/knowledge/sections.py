"""What the knowledge base shows on the pages of the apps below it (`core.sections`): suggestions on the
new-work-order form, "write an article from this work order" on a resolved work order, and "write an article
from this problem" on a problem."""

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


def problem_side_context(request, problem) -> dict | None:
    """The button, for a writer of the problem's organisation once the problem has a description or analysis to
    write from (the article's form opens prefilled, linked to the problem and its known error)."""
    user = request.user
    if problem is None or not permissions.may_write(user) or user.organisation_id != problem.organisation_id:
        return None
    texts = (problem.description, problem.root_cause, problem.workaround, problem.permanent_fix)
    if not any((text or "").strip() for text in texts):
        return None
    return {"problem": problem}
