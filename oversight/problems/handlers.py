"""Problems react to work orders and to their own changes.

- A new incident, or a configuration item linked to one, may complete a cluster of recurring incidents (a
  suggestion).
- An incident awaiting its problem goes back to work when the problem is no longer open (resolved, closed or
  cancelled) or when it is unlinked from it (ADR 0028).

Registered from ``ProblemsConfig.ready``; tickets announces the new work order and never imports problems.
"""

from oversight.configuration.events import WORK_ORDER_CI_LINKED
from oversight.core.events import handles
from oversight.problems.choices import OPEN_PROBLEM_STATUSES
from oversight.problems.detection import suggestions_detect
from oversight.problems.events import PROBLEM_INCIDENT_UNLINKED, PROBLEM_TRANSITIONED
from oversight.problems.models import ProblemIncident
from oversight.tickets.choices import Action, Status, WorkOrderKind
from oversight.tickets.events import WORK_ORDER_CREATED
from oversight.tickets.models import WorkOrder
from oversight.tickets.services import work_order_transition


@handles(WORK_ORDER_CREATED)
def suggest_problem_on_new_incident(*, work_order_id: int, actor_id: int | None, event_id: str) -> None:
    """Look for a new cluster in the incident's organisation (idempotent: a key is suggested once a window)."""
    wo = WorkOrder.objects.select_related("organisation").filter(pk=work_order_id).first()
    if wo is None or wo.kind != WorkOrderKind.INCIDENT:
        return
    suggestions_detect(organisation=wo.organisation, event_id=event_id)


@handles(WORK_ORDER_CI_LINKED)
def suggest_problem_on_linked_item(
    *, work_order_id: int, ci_id: int, linked: bool, actor_id: int | None, event_id: str
) -> None:
    """An incident now names a configuration item: it may complete a cluster of incidents on that item."""
    if linked:
        suggest_problem_on_new_incident(work_order_id=work_order_id, actor_id=actor_id, event_id=event_id)


def _resume(work_orders) -> None:
    """Put the incidents still awaiting a problem back to work, as the system (a second run finds none)."""
    for wo in work_orders:
        if wo.status == Status.PENDING_PROBLEM:
            work_order_transition(actor=None, work_order=wo, action=Action.RESUME)


@handles(PROBLEM_TRANSITIONED)
def resume_incidents_when_problem_closes(
    *, problem_id: int, actor_id: int | None, action: str, from_status: str, to_status: str, event_id: str
) -> None:
    """A problem resolved, closed or cancelled: its linked incidents awaiting it resume."""
    if to_status in OPEN_PROBLEM_STATUSES:
        return
    waiting = WorkOrder.objects.filter(problem_link__problem_id=problem_id, status=Status.PENDING_PROBLEM)
    _resume(waiting.order_by("pk"))


@handles(PROBLEM_INCIDENT_UNLINKED)
def resume_incident_when_unlinked(*, problem_id: int, work_order_id: int, actor_id: int | None, event_id: str) -> None:
    """An incident unlinked from its problem no longer waits for it (unless linked again meanwhile to an open one)."""
    if ProblemIncident.objects.filter(work_order_id=work_order_id, problem__status__in=OPEN_PROBLEM_STATUSES).exists():
        return
    _resume(WorkOrder.objects.filter(pk=work_order_id, status=Status.PENDING_PROBLEM))
