"""Settlement statements through the ORM: hand-computed example, band edges, workflow, locking, reproducibility."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from oversight.audit.models import AuditEntry
from oversight.core import clock
from oversight.core.errors import InvalidTransition, NotAllowed
from oversight.fees.calc import settle
from oversight.parts import services as parts
from oversight.settlement import services
from oversight.settlement.demo import load_demo_settlements
from oversight.settlement.models import SettlementStatement, StatementLine
from oversight.settlement.presentation import explain, line_name
from oversight.tickets import services as tickets
from tests.factories import SiteFactory
from tests.settlement.conftest import NOW, signed_period

D = Decimal


def prepare(world, period, role="client_supervisor"):
    with clock.frozen_at(NOW):
        return services.statement_prepare(actor=world.users[role], period=period)


def amounts(statement) -> dict[str, Decimal]:
    return {ln.code: ln.amount for ln in statement.lines.order_by("position")}


def test_statement_equals_the_hand_computed_example(world, contract):
    # Score 88.5, quarter fee B = 120 000.00; 412 incidents, 400 included: U = 12 × 85.50 = 1 026.00;
    # invoice I = 121 026.00.
    # Band [80, 90) at 1 % per point: 1.5 points × 1 % × 120 000.00 = 1 800.00 (cap 20 % = 24 000.00, not hit).
    # At-risk amount A = 10 % × 121 026.00 = 12 102.60.
    # Response 93.5 < 95: missed in full: 30 % × 100 % × 12 102.60 = 3 630.78.
    # Resolution 85 < 90 but not below 80: 50 % forfeited: 40 % × 50 % × 12 102.60 = 2 420.52.
    # CSAT 92 ≥ 90: met, no line. C = 6 051.30 ≤ A, no cap.
    # T = 121 026.00 − 1 800.00 − 6 051.30 = 113 174.70.
    period = signed_period(world, contract, score="88.50")
    statement = prepare(world, period)
    assert amounts(statement) == {
        "base_fee": D("120000.00"),
        "unit:incident": D("1026.00"),
        "score_deduction": D("-1800.00"),
        "credit:response": D("-3630.78"),
        "credit:resolution": D("-2420.52"),
    }
    assert statement.invoice_amount == D("121026.00")
    assert statement.at_risk_amount == D("12102.60")
    assert statement.band_deduction_raw == D("1800")
    assert statement.credits == statement.credits_uncapped == D("6051.30")
    assert statement.total == D("113174.70")
    assert sum(amounts(statement).values()) == statement.total
    assert statement.currency == contract.currency
    assert statement.score == D("88.50")
    assert statement.status == "draft"
    assert statement.contract_version == period.contract_version
    credit = statement.lines.get(code="credit:response")
    assert credit.source == "commitment"
    assert credit.commitment_result == period.commitment_results.get(code="response")
    assert statement.lines.get(code="base_fee").source == "contract"
    assert statement.lines.get(code="score_deduction").source == "period"
    assert AuditEntry.objects.filter(action="settlement.statement.prepared", object_id=str(statement.pk)).exists()


@pytest.mark.parametrize(
    ("score", "deduction"),
    [
        ("90.00", "0.00"),  # full fee from 90 inclusive
        ("89.99", "12.00"),  # 0.01 × 1 % × 120 000
        ("80.00", "12000.00"),  # 10 × 1 % × 120 000; the lower band starts below 80
        ("79.99", "18024.00"),  # 12 000 + 0.01 × 2 % × 120 000 (24) + 5 % step (6 000)
        ("70.00", "24000.00"),  # 12 000 + 24 000 + 6 000 = 42 000, capped at 20 % = 24 000
    ],
)
def test_band_edges_through_the_orm(world, contract, score, deduction):
    period = signed_period(world, contract, score=score, actuals={"response": "99", "resolution": "99", "csat": "99"})
    statement = prepare(world, period)
    assert statement.band_deduction == D(deduction)
    assert statement.lines.get(code="score_deduction").amount == -D(deduction)
    assert statement.total == D("121026.00") - D(deduction)


def test_every_commitment_missed_in_full(world, contract):
    # Resolution 10 is below the 80 step: 100 % forfeited. A = 12 102.60; credits 30 % → 3 630.78,
    # 40 % → 4 841.04, 20 % → 2 420.52; C = 10 892.34 (allocations add up to 90 %: under the pool, no cap line).
    period = signed_period(world, contract, score="95", actuals={"response": "10", "resolution": "10", "csat": "10"})
    statement = prepare(world, period)
    assert statement.credits == D("10892.34")
    assert not statement.lines.filter(code="credit_cap").exists()
    assert statement.total == D("121026.00") - D("10892.34")


@pytest.mark.parametrize("status", ["draft", "published", "disputed", "signed_client"])
def test_a_period_not_signed_by_both_sides_is_refused(world, contract, status):
    period = signed_period(world, contract, score="88.5", status=status)
    with pytest.raises(InvalidTransition):
        prepare(world, period)
    assert not SettlementStatement.objects.exists()


def test_a_locked_period_is_settled(world, contract):
    period = signed_period(world, contract, score="88.5", status="locked")
    assert prepare(world, period).total == D("113174.70")


@pytest.mark.parametrize("role", ["vendor_manager", "executive", "auditor", "requester", "foreign_admin"])
def test_only_client_operators_prepare(world, contract, role):
    period = signed_period(world, contract, score="88.5")
    with pytest.raises(NotAllowed):
        prepare(world, period, role=role)


def test_a_draft_is_recomputed_and_an_approved_statement_is_locked(world, contract):
    period = signed_period(world, contract, score="88.5")
    first = prepare(world, period)
    again = prepare(world, period, role="client_admin")
    assert again.pk == first.pk
    assert again.lines.count() == 5
    assert AuditEntry.objects.filter(action="settlement.statement.recomputed").count() == 1
    with pytest.raises(NotAllowed):
        services.statement_approve(actor=world.users["vendor_manager"], statement=again)
    with clock.frozen_at(NOW):
        approved = services.statement_approve(actor=world.users["client_supervisor"], statement=again)
    assert approved.status == "approved"
    assert approved.approved_by == world.users["client_supervisor"]
    assert approved.approved_at == NOW
    before = (approved.content_hash, approved.total, list(approved.lines.values_list("code", "amount")))
    # The period's data changes afterwards (it never should, but nothing on the statement may follow).
    period.total_score = D("50")
    period.save(update_fields=["total_score"])
    with pytest.raises(InvalidTransition):
        prepare(world, period)
    # A repeated approval is harmless.
    services.statement_approve(actor=world.users["client_admin"], statement=approved)
    approved.refresh_from_db()
    assert (approved.content_hash, approved.total, list(approved.lines.values_list("code", "amount"))) == before
    assert AuditEntry.objects.filter(action="settlement.statement.approved").count() == 1


def test_a_corrected_period_gets_a_new_statement_linked_to_the_old_one(world, contract):
    period = signed_period(world, contract, score="88.5")
    old = prepare(world, period)
    services.statement_approve(actor=world.users["client_supervisor"], statement=old)
    revision = signed_period(world, contract, score="91", revision_of=period)
    new = prepare(world, revision)
    assert new.supersedes == old
    assert new.band_deduction == D("0.00")
    old.refresh_from_db()
    assert old.total == D("113174.70")
    # The replaced period is not settled again (the refusal read in English: Chinese is the default language).
    with translation.override("en"), pytest.raises(InvalidTransition, match="revision"):
        prepare(world, period)


def test_statements_reproduce_byte_for_byte_from_their_stored_inputs(world, contract):
    period = signed_period(world, contract, score="79.99", incidents=433)
    statement = prepare(world, period)
    statement = SettlementStatement.objects.get(pk=statement.pk)  # only what the database holds
    # The canonical JSON and its hash are recomputed from the stored inputs alone.
    fresh = settle(**services.settle_kwargs(statement.inputs)).as_dict()
    assert services.canonical_json(statement.inputs, fresh) == services.canonical_json(
        statement.inputs, statement.result
    )
    assert services.content_hash(statement.inputs, fresh) == statement.content_hash
    outcome = services.statement_verify(actor=world.users["auditor"], statement=statement)
    assert outcome.ok and outcome.recomputed_hash == statement.content_hash and outcome.differences == []
    services.statement_approve(actor=world.users["client_supervisor"], statement=statement)
    call_command("settlement_verify", stdout=io.StringIO())
    # A line altered behind the services' back is detected.
    StatementLine.objects.filter(statement=statement, code="base_fee").update(amount=D("120000.01"))
    bad = services.verify_statement(statement)
    assert not bad.ok and "lines" in bad.differences
    with pytest.raises(CommandError, match="do not reproduce"):
        call_command("settlement_verify", stdout=io.StringIO())


def test_the_demo_loader_is_idempotent(world, contract):
    older = signed_period(world, contract, score="92", quarter=2, status="locked")
    newer = signed_period(world, contract, score="88.5", quarter=3)
    with clock.frozen_at(NOW):
        first = load_demo_settlements(world.org, world.users["client_supervisor"])
        second = load_demo_settlements(world.org, world.users["client_supervisor"])
    assert [s.pk for s in first] == [s.pk for s in second]
    by_period = {s.period_id: s for s in second}
    assert by_period[older.pk].status == "approved"
    assert by_period[newer.pk].status == "draft"
    assert SettlementStatement.objects.count() == 2


def test_spare_parts_used_in_the_period_are_unit_rate_charges(world, contract):
    # The desk vendor's work orders used in Q3: toners at 450.00 (3 used, 1 returned: 2 billed) on two work
    # orders, and labels at 12.35 (3 used); a toner used in Q2 and a part of the other vendor are not billed.
    # Toner 2 × 450.00 = 900.00; labels 3 × 12.35 = 37.05; U = 1 026.00 (incidents) + 937.05 = 1 963.05.
    # Invoice I = 120 000.00 + 1 963.05 = 121 963.05; band deduction 1 800.00 (score 88.5, of B only).
    # A = 10 % × 121 963.05 = 12 196.305 → 12 196.31 (half up).
    # Response: 30 % × 12 196.31 = 3 658.893 → 3 658.89; resolution: 40 % × 50 % × 12 196.31 = 2 439.262 → 2 439.26.
    # T = 121 963.05 − 1 800.00 − 3 658.89 − 2 439.26 = 114 064.90.

    supervisor, agent = world.users["client_supervisor"], world.users["vendor_agent"]
    with clock.frozen_at(dt.datetime(2026, 5, 1, 2, 0, tzinfo=dt.UTC)):
        store = parts.location_create(
            actor=supervisor, site=SiteFactory(organisation=world.org, code="it"), code="store", name="信息科备件库"
        )
        toner = parts.item_create(
            actor=supervisor, code="TN-01", name="硒鼓", unit="个", unit_price=D("450.00"), vendor=world.vendor
        )
        labels = parts.item_create(
            actor=supervisor, code="LB-02", name="标签纸", unit="卷", unit_price=D("12.35"), vendor=world.vendor
        )
        sfp = parts.item_create(
            actor=supervisor, code="SFP", name="光模块", unit="个", unit_price=D("900.00"), vendor=world.other_vendor
        )
        for item in (toner, labels, sfp):
            parts.movement_record(actor=supervisor, item=item, location=store, kind="receive", quantity=10)

    def work_order(service, title):
        wo = tickets.work_order_create(actor=world.users["requester"], service=service, title=title)
        who = agent if service == world.service else world.users["other_vendor_agent"]
        return tickets.work_order_transition(actor=who, work_order=wo, action="accept")

    def use(item, wo, quantity, kind="consume"):
        parts.movement_record(actor=supervisor, item=item, location=store, kind=kind, quantity=quantity, work_order=wo)

    with clock.frozen_at(dt.datetime(2026, 6, 20, 2, 0, tzinfo=dt.UTC)):
        use(toner, work_order(world.service, "Q2 printer"), 1)
    with clock.frozen_at(dt.datetime(2026, 8, 3, 2, 0, tzinfo=dt.UTC)):
        first, second = work_order(world.service, "Ward 3 printer"), work_order(world.service, "Ward 5 printer")
        use(toner, first, 2)
        use(toner, second, 1)
        use(toner, first, 1, kind="return")
        use(labels, second, 3)
        use(sfp, work_order(world.other_service, "Uplink"), 1)

    statement = prepare(world, signed_period(world, contract, score="88.50"))
    assert amounts(statement) == {
        "base_fee": D("120000.00"),
        "unit:incident": D("1026.00"),
        "unit:part:LB-02@12.35": D("37.05"),
        "unit:part:TN-01@450.00": D("900.00"),
        "score_deduction": D("-1800.00"),
        "credit:response": D("-3658.89"),
        "credit:resolution": D("-2439.26"),
    }
    assert statement.unit_charges == D("1963.05")
    assert statement.invoice_amount == D("121963.05")
    assert statement.at_risk_amount == D("12196.31")
    assert statement.total == D("114064.90") == sum(amounts(statement).values())
    assert services.verify_statement(statement).ok
    line = statement.lines.get(code="unit:part:TN-01@450.00")
    assert line.ref == f"part:{toner.pk}" and line.explanation["count"] == 2
    with translation.override("en"):
        assert line_name(line) == "Unit-rate charge: Spare part TN-01"
        assert explain(line, statement) == (
            "2 unit(s) of Spare part TN-01 used on the vendor's work orders in the period × CN¥450.00."
        )
