"""The rules that read the evaluation and the settlement: SLA commitments missed in signed evaluations, and the
cost deviation of approved statements against the contracted fixed fee, with the handlers that re-judge a vendor's
KRIs when an evaluation is countersigned or a statement approved (twice changes nothing)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from oversight.core import clock
from oversight.risks.choices_triggers import KriRule, KriStatus
from oversight.risks.handlers_triggers import evaluate_kris_on_approved_statement, evaluate_kris_on_signed_evaluation
from oversight.risks.models import KriReading
from oversight.risks.triggers import kri_save
from oversight.settlement.demo import load_demo_settlements
from tests.settlement.conftest import NOW, make_contract, signed_period

D = dt.date


def _kri(world, rule, **values):
    with clock.frozen_at(NOW):
        return kri_save(
            actor=world.users["client_admin"],
            organisation=world.org,
            name=f"KRI {rule}",
            rule=rule,
            vendor=world.vendor,
            starts_on=D(2026, 4, 1),
            **values,
        )


def test_missed_commitments_and_cost_deviation_are_read_from_the_signed_and_approved_periods(world):
    contract = make_contract(world, vendor=world.vendor, service=world.service, number="HT-9")
    # Both quarters missed response (93.5 < 95) and resolution (85 < 90), met CSAT (92 ≥ 90).
    q2 = signed_period(world, contract, score="92", quarter=2, status="locked")
    q3 = signed_period(world, contract, score="88.5", quarter=3)
    missed = _kri(world, KriRule.COMMITMENTS_MISSED, amber_threshold=Decimal(0), red_threshold=Decimal(0))
    cost = _kri(world, KriRule.COST_DEVIATION, amber_threshold=Decimal(5), red_threshold=Decimal(10))
    with clock.frozen_at(NOW):
        statements = load_demo_settlements(world.org, world.users["client_supervisor"])  # approves Q2's only
        evaluate_kris_on_signed_evaluation(period_id=q3.pk, actor_id=None, side="vendor", event_id="e1")
        evaluate_kris_on_signed_evaluation(period_id=q3.pk, actor_id=None, side="vendor", event_id="e1")
        approved = next(s for s in statements if s.period_id == q2.pk)
        evaluate_kris_on_approved_statement(statement_id=approved.pk, actor_id=None, event_id="e2")
        evaluate_kris_on_approved_statement(statement_id=approved.pk, actor_id=None, event_id="e2")
    by_month = {r.period_start: (r.value, r.status) for r in KriReading.objects.filter(kri=missed)}
    # Judged on 20 Oct: April to September; the quarters start in April and July, the other months have no data.
    assert by_month[D(2026, 4, 1)] == (Decimal(2), KriStatus.RED)
    assert by_month[D(2026, 7, 1)] == (Decimal(2), KriStatus.RED)
    assert by_month[D(2026, 5, 1)] == (None, KriStatus.NO_DATA)
    assert len(by_month) == 6
    # Q2's statement: base fee 120 000.00, 12 incidents beyond the 400 included at 85.50 = 1 026.00 charged, so
    # the invoice is 121 026.00 and the deviation 1 026 / 120 000 = 0.855 % (green); Q3's is only a draft.
    costs = {r.period_start: (r.value, r.status) for r in KriReading.objects.filter(kri=cost)}
    assert costs[D(2026, 4, 1)] == (Decimal("0.855"), KriStatus.GREEN)
    assert costs[D(2026, 7, 1)] == (None, KriStatus.NO_DATA)
    assert approved.invoice_amount == Decimal("121026.00") and approved.base_fee == Decimal("120000.00")
    # The first-signature event (the client side only) does nothing.
    before = KriReading.objects.count()
    evaluate_kris_on_signed_evaluation(period_id=q3.pk, actor_id=None, side="client", event_id="e3")
    assert KriReading.objects.count() == before
