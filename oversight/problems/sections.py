"""What the problems app shows on the work-order pages below it (`oversight.core.sections` slots): the problem
a work order is linked to (side column), "open a problem from the ticked incidents" (the bulk panel) and the
known errors that match what is being typed into a new work order (the form, refreshed by htmx)."""

from __future__ import annotations

from oversight.core.sections import contribute
from oversight.problems import permissions, selectors
from oversight.tenancy.roles import is_client, is_vendor
from oversight.tickets.choices import WorkOrderKind


def work_order_problem_context(request, work_order) -> dict | None:
    """The linked problem the reader may see; for the client's operators, a way to open one from an incident."""
    user = request.user
    link = selectors.problem_for_work_order(user=user, work_order=work_order)
    if link is not None:
        return {"link": link, "problem": link.problem}
    if work_order.kind == WorkOrderKind.INCIDENT and permissions.may_create(user):
        if user.organisation_id == work_order.organisation_id:
            return {"link": None, "problem": None}
    return None


def bulk_actions_context(request, obj) -> dict | None:
    """The client's operators may open one problem from the ticked incidents."""
    return {} if permissions.may_create(request.user) else None


def work_order_form_context(request, form) -> dict | None:
    """Staff typing a work order see matching known errors (requesters see none: the gate shows them none)."""
    user = request.user
    if not (is_client(user) or is_vendor(user)):
        return None
    return {}


def register() -> None:
    """Called from ProblemsConfig.ready()."""
    contribute(
        "tickets.work_order_side",
        name="problems.linked_problem",
        template="problems/sections/work_order_problem.html",
        context=work_order_problem_context,
        order=20,
    )
    contribute(
        "tickets.bulk_actions",
        name="problems.from_incidents",
        template="problems/sections/bulk_problem.html",
        context=bulk_actions_context,
    )
    contribute(
        "tickets.work_order_form",
        name="problems.known_errors",
        template="problems/sections/known_error_search.html",
        context=work_order_form_context,
    )
