"""What the changes app shows on the work-order pages below it (`oversight.core.sections` slots): the changes a
work order was caused by (linked as an incident caused in a change's post-implementation review)."""

from __future__ import annotations

from oversight.changes import selectors
from oversight.core.sections import contribute
from oversight.tenancy.roles import is_client, is_vendor


def work_order_changes_context(request, work_order) -> dict | None:
    """The visible changes that caused this work order; staff only (requesters see no change), and nothing when
    there is none."""
    user = request.user
    if not (is_client(user) or is_vendor(user)):
        return None
    links = list(selectors.work_order_changes(user=user, work_order=work_order))
    return {"links": links} if links else None


def register() -> None:
    """Called from ChangesConfig.ready()."""
    contribute(
        "tickets.work_order_side",
        name="changes.caused_by",
        template="changes/sections/work_order_changes.html",
        context=work_order_changes_context,
        order=25,
    )
