"""Tiers, monthly scores (computed, entered, recomputed), coverage and staff compliance against hand-computed values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from oversight.audit.models import AuditEntry
from oversight.core import clock
from oversight.core.errors import ApplicationError, NotAllowed
from oversight.portfolio import selectors, services
from oversight.portfolio.models import PortfolioSettings, VendorTierChange
from oversight.tenancy.models import Certificate, StaffMember
from oversight.tickets import services as tickets
from oversight.tickets.models import SLAClock
from tests.portfolio.conftest import JULY

D = Decimal
UTC = dt.UTC
T0 = dt.datetime(2026, 7, 6, 2, 0, tzinfo=UTC)
MIN = dt.timedelta(minutes=1)
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
AFTER_JULY = dt.datetime(2026, 8, 20, 2, 0, tzinfo=UTC)


def _at(at, fn, **kwargs):
    with clock.frozen_at(at):
        return fn(**kwargs)


@pytest.fixture
def july_work_orders(world, contract):
    """A: answered in 10 min, resolved; B: answered after 90 min (late), resolved; C: answered in 30 min, open;
    D: received in August (not due in July); E: another vendor's work order (not counted)."""
    req, vm, agent = world.users["requester"], world.users["vendor_manager"], world.users["vendor_agent"]
    made = {}
    for key, start, accept_after, resolve_after in (
        ("A", T0, 10 * MIN, 2 * HOUR),
        ("B", T0 + DAY, 90 * MIN, 20 * HOUR),
        ("C", T0 + 2 * DAY, 30 * MIN, None),
        ("D", T0 + 40 * DAY, 10 * MIN, HOUR),
    ):
        wo = _at(start, tickets.work_order_create, actor=req, service=world.service, title=key)
        wo = _at(start + MIN, tickets.work_order_assign, actor=vm, work_order=wo, assignee=agent)
        wo = _at(start + accept_after, tickets.work_order_transition, actor=agent, work_order=wo, action="accept")
        if resolve_after:
            wo = _at(
                start + resolve_after,
                tickets.work_order_transition,
                actor=agent,
                work_order=wo,
                action="resolve",
                resolution="fixed",
            )
        made[key] = wo
    made["E"] = _at(T0, tickets.work_order_create, actor=req, service=world.other_service, title="E")
    return made


def test_setting_a_tier_writes_the_vendor_an_immutable_history_row_and_the_audit(world):
    with clock.frozen_at(T0):
        change = services.vendor_set_tier(
            actor=world.users["client_supervisor"], vendor=world.vendor, tier="strategic", reason="Runs the desk"
        )
    world.vendor.refresh_from_db()
    assert world.vendor.tier == "strategic"
    assert (change.previous_tier, change.tier, change.reason, change.changed_at) == (
        "ordinary",
        "strategic",
        "Runs the desk",
        T0,
    )
    assert change.changed_by == world.users["client_supervisor"]
    entry = AuditEntry.objects.get(action="portfolio.vendor.tier_changed")
    assert entry.before == {"tier": "ordinary"}
    assert entry.after == {"tier": "strategic", "reason": "Runs the desk"}
    services.vendor_set_tier(actor=world.users["client_admin"], vendor=world.vendor, tier="core", reason="Smaller")
    assert list(VendorTierChange.objects.filter(vendor=world.vendor).values_list("previous_tier", "tier")) == [
        ("strategic", "core"),
        ("ordinary", "strategic"),
    ]


@pytest.mark.parametrize("role", ["executive", "auditor", "vendor_manager", "requester", "foreign_admin"])
def test_only_client_admins_and_supervisors_set_tiers(world, role):
    with pytest.raises(NotAllowed):
        services.vendor_set_tier(actor=world.users[role], vendor=world.vendor, tier="core", reason="x")
    assert not VendorTierChange.objects.exists()


def test_a_tier_change_needs_a_reason(world):
    with pytest.raises(ApplicationError):
        services.vendor_set_tier(actor=world.users["client_admin"], vendor=world.vendor, tier="core", reason="  ")


def test_computed_response_speed_equals_an_independent_count_of_the_months_clocks(world, july_work_orders):
    score = _at(AFTER_JULY, services.monthly_score_compute, actor=None, vendor=world.vendor, month=JULY)
    start, end = dt.datetime(2026, 6, 30, 16, 0, tzinfo=UTC), dt.datetime(2026, 7, 31, 16, 0, tzinfo=UTC)
    clocks = SLAClock.objects.filter(
        metric="response", work_order__vendor=world.vendor, due_at__gte=start, due_at__lt=end
    )
    due = clocks.filter(state__in=["met", "breached"]).count()
    met = clocks.filter(state="met").count()
    assert (met, due) == (2, 3)  # A and C met, B late; D falls due in August
    assert (score.responses_met, score.responses_due) == (met, due)
    assert score.response == (D(100) * met / due).quantize(D("0.01")) == D("66.67")
    assert score.response_source == "computed"


def test_cost_score_is_the_target_over_the_fee_per_resolved_work_order(world, july_work_orders):
    PortfolioSettings.objects.create(organisation=world.org, target_cost_per_work_order=D("48000.00"))
    score = _at(AFTER_JULY, services.monthly_score_compute, actor=None, vendor=world.vendor, month=JULY)
    # fee 120 000.00 ÷ 2 resolved in July (A, B) = 60 000.00; 100 × 48 000 ÷ 60 000 = 80.00
    assert (score.fee, score.resolved_count, score.cost_per_work_order) == (D("120000.00"), 2, D("60000.00"))
    assert score.cost == D("80.00")
    PortfolioSettings.objects.filter(organisation=world.org).update(target_cost_per_work_order=D("70000.00"))
    score = _at(AFTER_JULY, services.monthly_score_compute, actor=None, vendor=world.vendor, month=JULY)
    assert score.cost == D("100.00")  # cheaper than the target: capped at 100


def test_no_cost_score_without_a_target(world, july_work_orders):
    score = _at(AFTER_JULY, services.monthly_score_compute, actor=None, vendor=world.vendor, month=JULY)
    assert score.cost_per_work_order == D("60000.00")
    assert score.cost is None


def test_an_entered_figure_survives_a_recompute_and_is_audited(world, july_work_orders):
    supervisor = world.users["client_supervisor"]
    _at(AFTER_JULY, services.monthly_score_compute, actor=supervisor, vendor=world.vendor, month=JULY)
    services.monthly_score_enter(
        actor=supervisor, vendor=world.vendor, month=JULY, dimension="response", value=D("90"), note="Outage excused"
    )
    services.monthly_score_enter(
        actor=supervisor, vendor=world.vendor, month=JULY, dimension="technical", value=D("85.5"), note="Review"
    )
    score = _at(AFTER_JULY, services.monthly_score_compute, actor=supervisor, vendor=world.vendor, month=JULY)
    assert (score.response, score.response_source, score.response_note) == (D("90.00"), "entered", "Outage excused")
    assert (score.technical, score.technical_source) == (D("85.50"), "entered")
    assert score.responses_due == 3  # the basis is still refreshed
    entry = AuditEntry.objects.filter(action="portfolio.monthly_score.entered").first()
    assert entry.after["response"] == {"value": "90.00", "source": "entered"}
    assert AuditEntry.objects.filter(action="portfolio.monthly_score.computed").count() == 2


def test_recompute_is_idempotent(world, july_work_orders):
    first = _at(AFTER_JULY, services.monthly_score_compute, actor=None, vendor=world.vendor, month=JULY)
    second = _at(AFTER_JULY, services.monthly_score_compute, actor=None, vendor=world.vendor, month=JULY)
    assert first.pk == second.pk
    assert (first.response, first.responses_due) == (second.response, second.responses_due)


@pytest.mark.parametrize(
    ("dimension", "value", "note"), [("technical", D("101"), "x"), ("technical", D("80"), ""), ("speed", D("1"), "x")]
)
def test_invalid_entries_are_refused(world, dimension, value, note):
    with pytest.raises(ApplicationError):
        services.monthly_score_enter(
            actor=world.users["client_admin"],
            vendor=world.vendor,
            month=JULY,
            dimension=dimension,
            value=value,
            note=note,
        )


def test_a_month_is_given_by_its_first_day(world):
    with pytest.raises(ApplicationError):
        services.monthly_score_compute(actor=None, vendor=world.vendor, month=dt.date(2026, 7, 2))


def test_coverage_warns_below_the_minimum_and_not_at_it(world):
    world.service.is_critical = True
    world.service.save(update_fields=["is_critical"])
    admin, on = world.users["client_admin"], dt.date(2026, 7, 1)
    [row] = selectors.coverage(user=admin, on=on)
    assert (row.primary, row.backups, row.count, row.minimum, row.ok) == (world.vendor, [], 1, 2, False)
    # an expired qualification does not count
    services.qualification_add(
        actor=admin,
        service=world.service,
        vendor=world.other_vendor,
        valid_from=dt.date(2025, 1, 1),
        valid_to=dt.date(2026, 6, 30),
    )
    assert selectors.coverage(user=admin, on=on)[0].ok is False
    services.qualification_add(
        actor=admin, service=world.service, vendor=world.other_vendor, valid_from=dt.date(2026, 7, 1)
    )
    [row] = selectors.coverage(user=admin, on=on)
    assert (row.backups, row.count, row.ok) == ([world.other_vendor], 2, True)
    PortfolioSettings.objects.create(organisation=world.org, min_critical_vendors=3)
    assert selectors.coverage(user=admin, on=on)[0].ok is False
    assert selectors.coverage(user=world.users["foreign_admin"], on=on) == []
    assert selectors.coverage(user=world.users["vendor_manager"], on=on) == []


def test_qualifying_the_owner_makes_it_primary_and_a_foreign_vendor_is_refused(world):
    admin = world.users["client_admin"]
    q = services.qualification_add(actor=admin, service=world.service, vendor=world.vendor, valid_from=JULY)
    assert q.role == "primary"
    assert AuditEntry.objects.filter(action="portfolio.qualification.created").count() == 1
    with pytest.raises(ApplicationError):
        services.qualification_add(actor=admin, service=world.service, vendor=world.foreign_vendor, valid_from=JULY)


def _member(world, name, position, *expiries, active=True):
    member = StaffMember.objects.create(vendor=world.vendor, name=name, position=position, is_active=active)
    for i, expires in enumerate(expiries):
        Certificate.objects.create(staff_member=member, name=f"Cert {i}", expires_on=expires)
    return member


def test_staff_compliance_with_expired_and_expiring_certificates_and_an_unfilled_position(world, contract):
    on = dt.date(2026, 7, 15)
    _member(world, "E1", "onsite_engineer", dt.date(2027, 1, 1))
    _member(world, "E2", "onsite_engineer", dt.date(2026, 7, 25))  # expiring in 10 days: valid, warned
    _member(world, "E3", "onsite_engineer", dt.date(2027, 1, 1), dt.date(2026, 7, 14))  # one expired: not qualified
    _member(world, "E4", "onsite_engineer")  # no certificate on record
    _member(world, "S1", "service_desk", None)
    _member(world, "S2", "service_desk", active=False)  # inactive: not counted
    _member(world, "X1", "specialist")  # not contracted: ignored
    result = selectors.staff_compliance(world.vendor, on)
    rows = {r.position: (r.contracted, r.active, r.qualified, r.filled) for r in result.positions}
    assert rows == {"onsite_engineer": (4, 4, 3, 3), "service_desk": (2, 1, 1, 1)}
    # 100 × (3 + 1) ÷ (4 + 2) = 66.666… → 66.67
    assert result.figure == D("66.67")
    assert [(i.staff_member.name, i.state) for i in result.issues] == [("E3", "expired"), ("E2", "expiring")]
    assert [i.staff_member.name for i in result.expiring] == ["E2"]


def test_no_compliance_figure_without_contracted_staffing(world):
    assert selectors.staff_compliance(world.vendor, dt.date(2026, 7, 15)).figure is None


def test_certificate_state_edges():
    on = dt.date(2026, 7, 15)
    assert selectors.certificate_state(dt.date(2026, 7, 14), on) == "expired"
    assert selectors.certificate_state(on, on) == "expiring"
    assert selectors.certificate_state(dt.date(2026, 8, 14), on) == "expiring"
    assert selectors.certificate_state(dt.date(2026, 8, 15), on) == "valid"
    assert selectors.certificate_state(None, on) == "valid"
