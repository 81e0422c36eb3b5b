"""The service facts follow the work orders, their ratings and complaints through the domain events.

Each handler recomputes the rows one work order touches (``services.facts_refresh_work_order``): whole rows
from the current state, so a redelivered or reordered event changes nothing twice. The SLA sweep's breach, a
priority change and an edited site move a work order's figures too, so they are followed like the status changes.
Two catalog and tenancy edits move figures already counted: a service's new reporting category refiles that
service's rows, and an organisation's new time zone moves every local day, so its facts are rebuilt whole.
"""

from __future__ import annotations

from oversight.core.events import handles
from oversight.facts.services import facts_rebuild, facts_refresh_service, facts_refresh_work_order
from oversight.tenancy.models import Organisation

WORK_ORDER_EVENTS = (
    "tickets.work_order.created",
    "tickets.work_order.transitioned",
    "tickets.work_order.assigned",
    "tickets.work_order.transferred",
    "tickets.work_order.priority_changed",
    "tickets.work_order.details_changed",
    "tickets.work_order.sla_breached",
    "tickets.work_order.clocks_recomputed",
    "feedback.rating.submitted",
    "feedback.complaint.opened",
)


def refresh_facts(*, work_order_id: int, event_id: str, **payload) -> None:
    """Recompute the facts of the work order the event is about (every event here names one)."""
    facts_refresh_work_order(work_order_id=work_order_id)


for _name in WORK_ORDER_EVENTS:
    handles(_name)(refresh_facts)


@handles("catalog.service.reclassified")
def refile_service(*, service_id: int, event_id: str, **payload) -> None:
    """File the service's figures under its new reporting category."""
    facts_refresh_service(service_id=service_id)


@handles("tenancy.organisation.time_zone_changed")
def recount_local_days(*, organisation_id: int, event_id: str, **payload) -> None:
    """Recount the organisation's facts on its new local days (a full rebuild: every day boundary moved)."""
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is not None:
        facts_rebuild(organisation=organisation)
