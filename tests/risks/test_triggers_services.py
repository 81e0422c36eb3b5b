"""Evaluating key risk indicators: readings per period, one risk event per breach episode (evaluated twice, or
after a crash between the event and the rating), the linked risk's rating raised, its plan opened, its owner
told; saving a KRI and its refusals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from oversight.audit.models import AuditEntry
from oversight.core.clock import frozen_at
from oversight.core.errors import ApplicationError, NotAllowed
from oversight.notifications.models import Notification
from oversight.risks import triggers
from oversight.risks.choices_triggers import KriRule, KriStatus, KriWindow
from oversight.risks.models import ContingencyAction, KriReading, RiskEvent, RiskEventEffect, RiskRating
from oversight.risks.triggers import kri_evaluate, kri_save
from tests.risks.triggers_fixtures import at_noon, resolved_on

D = dt.date


def _serve(world):
    # Resolved on 1–3 Nov, nothing on 4–6 (three red working days), again on the 7th, nothing on 8–9.
    resolved_on(world, {D(2026, 11, 1): 4, D(2026, 11, 2): 2, D(2026, 11, 3): 1, D(2026, 11, 7): 3})


def test_three_days_without_service_raise_one_event_that_raises_the_risk_and_opens_its_plan(
    world, no_service_kri, rated_risk
):
    _serve(world)
    with frozen_at(at_noon(D(2026, 11, 7))):
        outcome = kri_evaluate(kri=no_service_kri)
    readings = list(KriReading.objects.filter(kri=no_service_kri).order_by("period_start"))
    assert [(r.period_start.day, r.value, r.status) for r in readings] == [
        (1, Decimal(4), KriStatus.GREEN),
        (2, Decimal(2), KriStatus.GREEN),
        (3, Decimal(1), KriStatus.GREEN),
        (4, Decimal(0), KriStatus.RED),
        (5, Decimal(0), KriStatus.RED),
        (6, Decimal(0), KriStatus.RED),
    ]
    assert len(outcome.raised) == 1
    event = RiskEvent.objects.get()
    assert (event.episode_start, event.breached_on, event.ended_on) == (D(2026, 11, 4), D(2026, 11, 6), None)
    assert event.applied_at is not None
    effect = RiskEventEffect.objects.get()
    assert effect.risk == rated_risk
    assert (effect.rating.kind, effect.rating.probability_level, effect.rating.impact_level) == ("current", 3, 3)
    assert (effect.rating.source_type, effect.rating.source_id) == ("risks.riskevent", str(event.pk))
    actions = ContingencyAction.objects.filter(risk=rated_risk, trigger_key=f"risk-event:{event.pk}")
    assert [a.title for a in actions.order_by("position")] == [
        "Call the backup vendor",
        "Escalate to the vendor's director",
    ]
    assert effect.actions_opened == 2
    assert Notification.objects.filter(recipient=rated_risk.owner, kind="risk_event").count() == 1
    assert AuditEntry.objects.filter(action="risks.riskevent.raised", object_id=str(event.pk)).count() == 1
    # The periodic evaluation is the system's and leaves no entry of its own; one asked for by a person does.
    assert not AuditEntry.objects.filter(action="risks.kri.evaluated").exists()
    with frozen_at(at_noon(D(2026, 11, 7))):
        kri_evaluate(kri=no_service_kri, actor=world.users["client_admin"])
    entry = AuditEntry.objects.get(action="risks.kri.evaluated")
    assert entry.actor == world.users["client_admin"] and entry.after["raised"] == []


def test_evaluating_twice_changes_nothing_and_the_episode_ends_once(world, no_service_kri, rated_risk):
    _serve(world)
    with frozen_at(at_noon(D(2026, 11, 7))):
        kri_evaluate(kri=no_service_kri)
        again = kri_evaluate(kri=no_service_kri)
    assert again.raised == [] and again.applied == 0
    with frozen_at(at_noon(D(2026, 11, 10))):
        later = kri_evaluate(kri=no_service_kri)
        kri_evaluate(kri=no_service_kri)
    # The 7th was green: the episode ended; 8–9 Nov are red but only two days, not yet a breach.
    assert [e.ended_on for e in later.ended] == [D(2026, 11, 7)]
    assert RiskEvent.objects.count() == 1
    assert RiskEvent.objects.get().ended_on == D(2026, 11, 7)
    assert RiskRating.objects.filter(risk=rated_risk, source_type="risks.riskevent").count() == 1
    assert ContingencyAction.objects.filter(risk=rated_risk).count() == 2
    assert AuditEntry.objects.filter(action="risks.riskevent.ended").count() == 1
    # The third red day (10 Nov) is judged on the 11th: a new episode, a second event.
    with frozen_at(at_noon(D(2026, 11, 11))):
        third = kri_evaluate(kri=no_service_kri)
    assert [e.episode_start for e in third.raised] == [D(2026, 11, 8)]
    assert RiskRating.objects.filter(risk=rated_risk, source_type="risks.riskevent").count() == 2


def test_a_crash_between_the_event_and_the_rating_is_completed_once_by_the_next_run(
    world, no_service_kri, rated_risk, monkeypatch
):
    _serve(world)
    real = triggers.risk_rating_record

    def crash(**kwargs):
        real(**kwargs)
        raise RuntimeError("the worker died")

    monkeypatch.setattr(triggers, "risk_rating_record", crash)
    with frozen_at(at_noon(D(2026, 11, 7))), pytest.raises(RuntimeError):
        kri_evaluate(kri=no_service_kri)
    # The event stands, the risk's part was rolled back whole: no effect, no rating, no action.
    event = RiskEvent.objects.get()
    assert event.applied_at is None
    assert not RiskEventEffect.objects.exists()
    assert not RiskRating.objects.filter(source_type="risks.riskevent").exists()
    assert not ContingencyAction.objects.exists()
    monkeypatch.setattr(triggers, "risk_rating_record", real)
    with frozen_at(at_noon(D(2026, 11, 7))):
        outcome = kri_evaluate(kri=no_service_kri)
        kri_evaluate(kri=no_service_kri)
    assert outcome.raised == [] and outcome.applied == 1
    assert RiskEvent.objects.count() == 1
    assert RiskEventEffect.objects.count() == 1
    assert RiskRating.objects.filter(source_type="risks.riskevent").count() == 1
    assert ContingencyAction.objects.filter(risk=rated_risk).count() == 2


def test_a_crash_right_after_the_event_is_raised_is_applied_by_the_next_evaluation(
    world, no_service_kri, rated_risk, monkeypatch
):
    _serve(world)

    def crash(*, event):
        raise RuntimeError("the worker died")

    monkeypatch.setattr(triggers, "risk_event_apply", crash)
    with frozen_at(at_noon(D(2026, 11, 7))), pytest.raises(RuntimeError):
        kri_evaluate(kri=no_service_kri)
    assert RiskEvent.objects.get().applied_at is None
    monkeypatch.undo()
    with frozen_at(at_noon(D(2026, 11, 7))):
        outcome = kri_evaluate(kri=no_service_kri)
    assert outcome.raised == [] and outcome.applied == 1
    assert RiskEvent.objects.get().applied_at is not None
    assert RiskRating.objects.filter(source_type="risks.riskevent").count() == 1
    assert ContingencyAction.objects.filter(risk=rated_risk).count() == 2


def test_an_episode_already_over_when_a_kri_is_first_evaluated_raises_nothing(world, no_service_kri):
    _serve(world)
    with frozen_at(at_noon(D(2026, 11, 9))):
        outcome = kri_evaluate(kri=no_service_kri)
    assert outcome.raised == []
    assert not RiskEvent.objects.exists()
    assert KriReading.objects.filter(kri=no_service_kri, status=KriStatus.RED).count() == 4


def test_the_raised_probability_stops_at_the_top_of_the_matrix(world, no_service_kri, rated_risk):
    no_service_kri.links.update(raise_levels=6)
    _serve(world)
    with frozen_at(at_noon(D(2026, 11, 7))):
        kri_evaluate(kri=no_service_kri)
    rating = RiskEventEffect.objects.get().rating
    assert rating.probability_level == 5  # the default matrix has five probability levels
    assert rating.impact_level == 3


def _kri_values(world, **overrides):
    values = {
        "name": "Cost deviation",
        "rule": KriRule.COST_DEVIATION,
        "vendor": world.vendor,
        "higher_is_worse": True,
        "amber_threshold": Decimal("5"),
        "red_threshold": Decimal("10"),
        "window": KriWindow.MONTH,
        "starts_on": D(2026, 1, 1),
    }
    return values | overrides


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"source": "cmdb_accuracy"}, "either an indicator source or a data rule"),
        ({"rule": "", "source": "no_such_indicator"}, "not registered"),
        ({"amber_threshold": Decimal("12")}, "amber threshold must not be above"),
        ({"higher_is_worse": False}, "amber threshold must not be below"),
        ({"rule": KriRule.NO_SERVICE}, "window of working days"),
        ({"window": KriWindow.BUSINESS_DAYS}, "need a business calendar"),
        ({"service": "service"}, "Only the rule on work orders resolved per working day"),
        ({"name": "  "}, "name"),
    ],
)
def test_a_kri_that_could_not_be_evaluated_is_refused_in_words(world, overrides, message):
    if overrides.get("service") == "service":
        overrides["service"] = world.service
    with pytest.raises(ApplicationError, match=message):
        kri_save(actor=world.users["client_admin"], organisation=world.org, **_kri_values(world, **overrides))


def test_a_kri_may_not_reach_another_organisation(world):
    with pytest.raises(ApplicationError, match="vendor of your organisation"):
        kri_save(
            actor=world.users["client_admin"], organisation=world.org, **_kri_values(world, vendor=world.foreign_vendor)
        )


@pytest.mark.parametrize("role", ["executive", "auditor", "vendor_manager", "requester", "foreign_admin"])
def test_only_the_client_operators_save_kris(world, role):
    with pytest.raises(NotAllowed):
        kri_save(actor=world.users[role], organisation=world.org, **_kri_values(world))


def test_saving_is_audited_and_replaces_the_links(world, rated_risk):
    actor = world.users["client_admin"]
    kri = kri_save(actor=actor, organisation=world.org, links=[(rated_risk, 2)], **_kri_values(world))
    assert AuditEntry.objects.filter(action="risks.kri.created", object_id=str(kri.pk)).count() == 1
    assert list(kri.links.values_list("risk_id", "raise_levels")) == [(rated_risk.pk, 2)]
    kri_save(actor=actor, organisation=world.org, kri=kri, links=[], **_kri_values(world, red_threshold=Decimal("15")))
    kri.refresh_from_db()
    assert kri.red_threshold == Decimal("15")
    assert not kri.links.exists()
    entry = AuditEntry.objects.get(action="risks.kri.updated", object_id=str(kri.pk))
    assert entry.before["red_threshold"] == "10.000000"
