"""The risks app reacts to domain events here (imported from ``RisksConfig.ready``). Handlers are idempotent.

- A contract that ends leaves the risks recorded against it: nothing to do.
- A risk closed keeps its contingency actions: they are closed by hand, each with its reason.

The trigger part of the app adds its handlers (indicator breaches, vendor states) in its own block below."""

from oversight.core.events import handles
from oversight.risks.choices import OPEN_RISK_STATUSES
from oversight.risks.events import RISK_TRANSITIONED
from oversight.risks.models import Risk
from oversight.risks.services.overdue import overdue_notify


@handles(RISK_TRANSITIONED)
def notify_overdue_on_reopen(
    *, risk_id: int, actor_id: int | None, action: str, from_status: str, to_status: str, event_id: str
) -> None:
    """A risk reopened with a review date already past is overdue at once: its owner hears it now rather
    than at the next hourly sweep (once per episode, like the sweep)."""
    risk = Risk.objects.select_related("organisation").filter(pk=risk_id).first()
    if risk is None or to_status not in OPEN_RISK_STATUSES or from_status in OPEN_RISK_STATUSES:
        return
    overdue_notify(organisation=risk.organisation)
