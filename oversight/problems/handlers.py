"""Problems react to work orders: a new incident may complete a cluster of recurring incidents.

Registered from ``ProblemsConfig.ready``; tickets announces the new work order and never imports problems.
"""

from oversight.core.events import handles
from oversight.problems.detection import suggestions_detect
from oversight.tickets.choices import WorkOrderKind
from oversight.tickets.events import WORK_ORDER_CREATED
from oversight.tickets.models import WorkOrder


@handles(WORK_ORDER_CREATED)
def suggest_problem_on_new_incident(*, work_order_id: int, actor_id: int | None, event_id: str) -> None:
    """Look for a new cluster in the incident's organisation (idempotent: a key is suggested once a window)."""
    wo = WorkOrder.objects.select_related("organisation").filter(pk=work_order_id).first()
    if wo is None or wo.kind != WorkOrderKind.INCIDENT:
        return
    suggestions_detect(organisation=wo.organisation, event_id=event_id)
