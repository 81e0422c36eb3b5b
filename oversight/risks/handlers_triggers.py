"""Key risk indicators react to the data they read: a countersigned evaluation (missed commitments, and the
indicator sources scorecards compute) and an approved settlement statement (cost deviation) re-evaluate the
vendor's KRIs at once instead of waiting for the periodic task. Evaluation is idempotent (one event per breach
episode), so a handler run twice changes nothing. Imported from ``RisksConfig.ready``."""

from oversight.core.events import handles
from oversight.risks.choices_triggers import KriRule
from oversight.risks.triggers import kris_evaluate
from oversight.scorecards.events import EVALUATION_PERIOD_SIGNED
from oversight.scorecards.models import EvaluationPeriod
from oversight.settlement.events import STATEMENT_APPROVED
from oversight.settlement.models import SettlementStatement


@handles(EVALUATION_PERIOD_SIGNED)
def evaluate_kris_on_signed_evaluation(*, period_id: int, actor_id, side: str, event_id: str) -> None:
    """Both sides signed: the vendor's KRIs on missed commitments and on indicator sources are judged again."""
    if side != "vendor":
        return
    period = EvaluationPeriod.objects.filter(pk=period_id).only("organisation_id", "vendor_id").first()
    if period is not None:
        kris_evaluate(
            organisation=period.organisation_id,
            vendor_id=period.vendor_id,
            reading=(KriRule.COMMITMENTS_MISSED, "source"),
        )


@handles(STATEMENT_APPROVED)
def evaluate_kris_on_approved_statement(*, statement_id: int, actor_id, event_id: str) -> None:
    """An approved statement fixes the period's invoice: the vendor's cost-deviation KRIs are judged again."""
    statement = SettlementStatement.objects.filter(pk=statement_id).only("organisation_id", "vendor_id").first()
    if statement is not None:
        kris_evaluate(
            organisation=statement.organisation_id, vendor_id=statement.vendor_id, reading=(KriRule.COST_DEVIATION,)
        )
