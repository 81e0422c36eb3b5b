"""What the CMDB shows on pages of apps below it (`oversight.core.sections`): a work order's configuration items
and the business services they impact, with the form to link more."""

from __future__ import annotations

from oversight.configuration import permissions, selectors
from oversight.tenancy.roles import is_requester


def work_order_side_context(request, work_order) -> dict | None:
    """The side-column section of a work order: its visible linked CIs, the services they impact, and (for those
    who may link) the CIs that can still be linked. Requesters see no CI: nothing is shown to them."""
    user = request.user
    if not user.is_authenticated or is_requester(user):
        return None
    links = list(selectors.work_order_cis(user=user, work_order=work_order))
    may_link = permissions.may_link_work_order(user, work_order)
    if not links and not may_link:
        return None
    service_ids = selectors.work_order_impact(user=user, work_order=work_order, links=links)
    services = list(selectors.ci_list(user=user).filter(pk__in=service_ids).order_by("name"))
    choices = []
    if may_link:
        choices = list(
            selectors.ci_list(user=user)
            .filter(organisation_id=work_order.organisation_id)
            .exclude(pk__in=[link.ci_id for link in links])
            .exclude(status="retired")
            .order_by("name", "pk")
            .values_list("pk", "name", "host_name")
        )
    return {
        "work_order": work_order,
        "links": links,
        "impacted_services": services,
        "may_link": may_link,
        "choices": choices,
    }
