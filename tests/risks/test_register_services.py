"""Services of the risk register: recording, the rating history on the matrix version in use (score, level,
exposure rounded half-up, the next review moved by a change of level), refusals, the audit trail (including
system actions), transitions, reviews, mitigations shared by risks, and the contingency plan opened once per
trigger key."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from oversight.audit.models import AuditEntry
from oversight.core.errors import ApplicationError, InvalidTransition, NotAllowed
from oversight.core.zones import local_today
from oversight.risks import services
from oversight.risks.choices import RiskLevel, RiskStatus
from oversight.risks.models import ContingencyAction, RiskActivity, RiskRating


def test_a_risk_is_recorded_with_a_number_an_audit_entry_and_a_first_review_soon(world, make_risk):
    risk = make_risk(vendor=world.vendor, service=world.service)
    assert risk.number.startswith("RSK-GH")
    assert risk.status == RiskStatus.IDENTIFIED
    # Unrated: reviewed within the shortest interval of the default matrix (very high: 30 days).
    assert risk.next_review_date == local_today(world.org) + dt.timedelta(days=30)
    entry = AuditEntry.objects.get(action="risks.risk.created", object_id=str(risk.pk))
    assert entry.actor == world.users["client_supervisor"]
    assert RiskActivity.objects.filter(risk=risk, kind="created").count() == 1


@pytest.mark.parametrize("role", ["executive", "auditor", "vendor_manager", "requester"])
def test_only_client_operators_record_risks(world, make_risk, role):
    with pytest.raises(NotAllowed):
        make_risk(actor=world.users[role], owner=world.users["client_supervisor"])


def test_refusals_name_the_rule(world, make_risk):
    with pytest.raises(ApplicationError, match="cause"):
        make_risk(cause="  ")
    with pytest.raises(ApplicationError, match="owner"):
        make_risk(owner=world.users["vendor_agent"])
    with pytest.raises(ApplicationError, match="own organisation"):
        make_risk(vendor=world.foreign_vendor)
    with pytest.raises(ApplicationError, match="approved"):
        make_risk(treatment="accept")
    risk = make_risk(
        treatment="accept",
        acceptance_approver=world.users["client_admin"],
        acceptance_expires_on=dt.date(2027, 6, 30),
    )
    assert risk.acceptance_approver == world.users["client_admin"]


def test_rating_scores_the_cell_on_the_version_in_use_and_moves_the_review(world, make_risk):
    risk = make_risk()
    actor = world.users["client_supervisor"]
    inherent = services.risk_rating_record(
        risk=risk,
        kind="inherent",
        probability_level=4,
        impact_level=5,
        reason="Two nights a week",
        actor=actor,
        probability=Decimal("0.35"),
        impact=Decimal("3"),
    )
    # 4 × 5 = 20 ≥ 17: very high; 0.35 × 3 = 1.05 exactly, half-up.
    assert (inherent.score, inherent.level, inherent.exposure) == (Decimal(20), RiskLevel.VERY_HIGH, Decimal("1.05"))
    risk.refresh_from_db()
    assert risk.level == RiskLevel.VERY_HIGH
    assert risk.next_review_date == local_today(world.org) + dt.timedelta(days=30)
    current = services.risk_rating_record(
        risk=risk, kind="current", probability_level=2, impact_level=3, reason="Third person on call", actor=actor
    )
    assert (current.score, current.level) == (Decimal(6), RiskLevel.MEDIUM)
    risk.refresh_from_db()
    assert (risk.level, risk.score) == (RiskLevel.MEDIUM, Decimal(6))
    assert risk.next_review_date == local_today(world.org) + dt.timedelta(days=180)
    # A residual rating does not set the risk's level.
    services.risk_rating_record(
        risk=risk, kind="residual", probability_level=1, impact_level=2, reason="After the roster change", actor=actor
    )
    risk.refresh_from_db()
    assert risk.level == RiskLevel.MEDIUM
    assert list(RiskRating.objects.filter(risk=risk).values_list("kind", flat=True).order_by("id")) == [
        "inherent",
        "current",
        "residual",
    ]
    assert AuditEntry.objects.filter(action="risks.risk.rated", object_id=str(risk.pk)).count() == 3


def test_rating_refuses_cells_outside_the_matrix_and_bad_amounts(world, make_risk):
    risk = make_risk()
    actor = world.users["client_supervisor"]
    with pytest.raises(ApplicationError):
        services.risk_rating_record(
            risk=risk, kind="current", probability_level=6, impact_level=1, reason="", actor=actor
        )
    with pytest.raises(ApplicationError):
        services.risk_rating_record(
            risk=risk, kind="worst", probability_level=1, impact_level=1, reason="", actor=actor
        )
    with pytest.raises(ApplicationError, match="between 0 and 1"):
        services.risk_rating_record(
            risk=risk, kind="current", probability_level=1, impact_level=1, reason="", actor=actor, probability="1.5"
        )
    with pytest.raises(ApplicationError, match="negative"):
        services.risk_rating_record(
            risk=risk, kind="current", probability_level=1, impact_level=1, reason="", actor=actor, impact="-1"
        )
    with pytest.raises(NotAllowed):
        services.risk_rating_record(
            risk=risk, kind="current", probability_level=1, impact_level=1, reason="", actor=world.users["auditor"]
        )
    assert not RiskRating.objects.filter(risk=risk).exists()


def test_a_system_rating_records_its_source_and_the_system_as_actor(world, make_risk):
    risk = make_risk()
    source = world.vendor  # any model instance stands for the risk event that caused it
    rating = services.risk_rating_record(
        risk=risk,
        kind="current",
        probability_level=5,
        impact_level=4,
        reason="Indicator red",
        actor=None,
        source=source,
    )
    assert (rating.source_type, rating.source_id, rating.rated_by) == ("tenancy.vendor", str(source.pk), None)
    entry = AuditEntry.objects.get(action="risks.risk.rated", object_id=str(risk.pk))
    assert entry.actor is None and entry.actor_repr == "system"
    assert entry.after["source"] == f"tenancy.vendor:{source.pk}"


def test_ratings_are_append_only(world, make_risk):
    risk = make_risk()
    rating = services.risk_rating_record(
        risk=risk, kind="current", probability_level=2, impact_level=2, reason="", actor=world.users["client_admin"]
    )
    rating.score = Decimal(1)
    with pytest.raises(ValueError):
        rating.save()


def test_transitions_follow_the_table_with_their_guards(world, make_risk):
    risk = make_risk()
    actor = world.users["client_supervisor"]
    with pytest.raises(ApplicationError, match="Rate the risk"):
        services.risk_transition(actor=actor, risk=risk, action="assess")
    services.risk_rating_record(risk=risk, kind="inherent", probability_level=3, impact_level=3, reason="", actor=actor)
    risk = services.risk_transition(actor=actor, risk=risk, action="assess")
    assert risk.status == RiskStatus.ASSESSED
    with pytest.raises(ApplicationError, match="treated"):
        services.risk_transition(actor=actor, risk=risk, action="treat")
    risk = services.risk_update(actor=actor, risk=risk, treatment="mitigate")
    risk = services.risk_transition(actor=actor, risk=risk, action="treat")
    with pytest.raises(InvalidTransition):
        services.risk_transition(actor=actor, risk=risk, action="reopen", note="why")
    with pytest.raises(ApplicationError, match="reason"):
        services.risk_transition(actor=actor, risk=risk, action="close")
    risk = services.risk_transition(actor=actor, risk=risk, action="close", note="Vendor replaced")
    assert risk.status == RiskStatus.CLOSED
    assert AuditEntry.objects.filter(action="risks.risk.close", object_id=str(risk.pk)).exists()
    risk = services.risk_transition(actor=actor, risk=risk, action="reopen", note="Back again")
    assert risk.status == RiskStatus.IDENTIFIED


def test_a_review_records_who_and_moves_the_next_review_by_the_level(world, make_risk):
    risk = make_risk()
    actor = world.users["client_admin"]
    services.risk_rating_record(risk=risk, kind="current", probability_level=3, impact_level=4, reason="", actor=actor)
    review = services.risk_review_record(actor=actor, risk=risk, still_valid=True)
    today = local_today(world.org)
    assert review.next_review_date == today + dt.timedelta(days=90)  # 12: high
    assert review.level == RiskLevel.HIGH and review.reviewer == actor
    risk.refresh_from_db()
    assert risk.next_review_date == review.next_review_date
    with pytest.raises(ApplicationError, match="what changed"):
        services.risk_review_record(actor=actor, risk=risk, still_valid=False)
    with pytest.raises(ApplicationError, match="after today"):
        services.risk_review_record(actor=actor, risk=risk, still_valid=True, next_review_date=today)
    chosen = services.risk_review_record(
        actor=actor, risk=risk, still_valid=False, changes="New vendor", next_review_date=today + dt.timedelta(days=7)
    )
    risk.refresh_from_db()
    assert risk.next_review_date == chosen.next_review_date


def test_contingency_opens_each_plan_line_once_per_trigger_key(world, make_risk):
    risk = make_risk(
        contingency_plan="1. Call the vendor's duty manager\n2、Switch to the backup desk\n\n- Tell the wards"
    )
    opened = services.contingency_open(risk=risk, reason="KRI red", trigger_key="kri:4:2026-12", actor=None)
    assert [a.title for a in opened] == [
        "Call the vendor's duty manager",
        "Switch to the backup desk",
        "Tell the wards",
    ]
    assert all(a.owner == risk.owner and a.opened_by is None for a in opened)
    assert services.contingency_open(risk=risk, reason="KRI red", trigger_key="kri:4:2026-12", actor=None) == []
    assert ContingencyAction.objects.filter(risk=risk).count() == 3
    again = services.contingency_open(
        risk=risk, reason="Another breach", trigger_key="kri:4:2027-01", actor=world.users["client_supervisor"]
    )
    assert len(again) == 3
    assert AuditEntry.objects.filter(action="risks.risk.contingency_opened", object_id=str(risk.pk)).count() == 2
    from oversight.notifications.models import Notification

    assert Notification.objects.filter(recipient=risk.owner, kind="risk_contingency_opened").count() == 2
    done = services.contingency_action_transition(actor=world.users["client_admin"], action=opened[0], step="complete")
    assert done.status == "done" and done.closed_at is not None
    with pytest.raises(ApplicationError, match="reason"):
        services.contingency_action_transition(actor=world.users["client_admin"], action=opened[1], step="cancel")


def test_an_empty_plan_opens_one_action_named_by_the_reason(world, make_risk):
    risk = make_risk()
    opened = services.contingency_open(risk=risk, reason="Vendor stopped delivering", trigger_key="k", actor=None)
    assert [a.title for a in opened] == ["Vendor stopped delivering"]


def test_one_mitigation_serves_many_risks_and_moves_along_its_states(world, make_risk):
    a, b = make_risk(title="A"), make_risk(title="B")
    actor = world.users["client_supervisor"]
    mitigation = services.mitigation_create(
        actor=actor,
        title="Third night engineer",
        owner=actor,
        due_date=dt.date(2027, 1, 31),
        cost="12000.005",
        risks=[a, b],
    )
    assert mitigation.cost == Decimal("12000.01")
    assert set(a.mitigations.all()) == {mitigation} == set(b.mitigations.all())
    assert RiskActivity.objects.filter(kind="mitigation_linked").count() == 2
    mitigation = services.mitigation_update(actor=actor, mitigation=mitigation, risks=[a])
    assert list(mitigation.risks.all()) == [a]
    assert RiskActivity.objects.filter(risk=b, kind="mitigation_unlinked").count() == 1
    mitigation = services.mitigation_transition(actor=actor, mitigation=mitigation, action="start")
    mitigation = services.mitigation_transition(actor=actor, mitigation=mitigation, action="complete")
    assert mitigation.status == "done" and mitigation.completed_at is not None
    with pytest.raises(ApplicationError):
        services.mitigation_create(actor=actor, title="X", owner=actor, due_date=dt.date(2027, 1, 1), cost="-1")
    with pytest.raises(ApplicationError):
        services.mitigation_create(
            actor=world.users["foreign_admin"],
            title="X",
            owner=world.users["foreign_admin"],
            due_date=dt.date(2027, 1, 1),
            risks=[a],
        )
