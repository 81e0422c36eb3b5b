"""The agenda prefilled from the service data: each kind of line, scoped to the meeting's vendor (never the other
vendor's), from the period since the previous meeting of the series; client-only lines; idempotent; typed lines
kept; open action items carried forward until closed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from oversight.changes.services import change_create
from oversight.core import clock
from oversight.feedback.models import Rating
from oversight.feedback.services.complaints import complaint_open
from oversight.meetings import selectors, services
from oversight.meetings.models import AgendaItem
from oversight.problems.services import problem_create
from oversight.risks.choices_triggers import KriRule, KriWindow
from oversight.risks.models import KriReading
from oversight.risks.services import risk_create
from oversight.risks.triggers import kri_save
from oversight.tickets.models import SLAClock
from oversight.tickets.services import work_order_create
from tests.meetings.conftest import at

D = dt.date


def _order(world, service, title, when):
    with clock.frozen_at(when):
        return work_order_create(actor=world.users["requester"], service=service, title=title)


@pytest.fixture
def data(world, meeting):
    """Service data around the meeting of Monday 28 September 2026 (the previous one: Monday 21 September)."""
    supervisor = world.users["client_supervisor"]
    ours = _order(world, world.service, "Printer down in cardiology", at(2026, 9, 23, 9))
    theirs = _order(world, world.other_service, "Switch down in radiology", at(2026, 9, 23, 9))
    old = _order(world, world.service, "Old breach", at(2026, 9, 10, 9))
    SLAClock.objects.filter(work_order=ours, metric="resolution").update(breached_at=at(2026, 9, 24, 9))
    SLAClock.objects.filter(work_order=theirs, metric="resolution").update(breached_at=at(2026, 9, 24, 9))
    SLAClock.objects.filter(work_order=old, metric="resolution").update(breached_at=at(2026, 9, 11, 9))
    with clock.frozen_at(at(2026, 9, 24, 10)):
        complaint = complaint_open(actor=supervisor, work_order=ours, summary="Nobody came for two days")
        complaint_open(actor=supervisor, work_order=theirs, summary="Switch complaint of the other vendor")
        for order, stars in ((ours, 1), (theirs, 1), (old, 5)):
            Rating.objects.create(
                organisation=world.org,
                work_order=order,
                vendor=order.vendor,
                requester=order.requester,
                stars=stars,
                channel="link",
                created_at=at(2026, 9, 25, 9),
            )
        problem = problem_create(actor=supervisor, title="Toner batch faulty", vendor=world.vendor)
        problem_create(actor=supervisor, title="Other vendor problem", vendor=world.other_vendor)
        change = change_create(
            actor=supervisor,
            title="Replace floor 3 printers",
            implementer=world.vendor,
            planned_start=at(2026, 9, 30, 20),
            planned_end=at(2026, 9, 30, 22),
        )
        risk = risk_create(
            actor=supervisor,
            title="Desk Co staff turnover",
            cause="c",
            event="e",
            consequence="q",
            category="vendor",
            owner=supervisor,
            vendor=world.vendor,
            next_review_date=D(2026, 9, 20),
        )
        kri = kri_save(
            actor=supervisor,
            organisation=world.org,
            links=[(risk, 1)],
            name="Desk Co backlog",
            rule=KriRule.NO_SERVICE,
            vendor=world.vendor,
            higher_is_worse=False,
            amber_threshold=Decimal("1"),
            red_threshold=Decimal("1"),
            window=KriWindow.BUSINESS_DAYS,
            window_days=1,
            calendar=world.calendar,
            persistence=3,
            starts_on=D(2026, 9, 1),
        )
    KriReading.objects.create(
        kri=kri,
        period_start=D(2026, 9, 25),
        period_end=D(2026, 9, 25),
        value=Decimal(0),
        status="red",
        computed_at=at(2026, 9, 26),
    )
    return {"order": ours, "complaint": complaint, "problem": problem, "change": change, "risk": risk, "kri": kri}


def _lines(meeting, user=None):
    qs = AgendaItem.objects.filter(meeting=meeting) if user is None else selectors.agenda(user=user, meeting=meeting)
    return sorted((i.kind, i.source_type, i.source_id) for i in qs)


def test_prefill_gives_each_kind_for_the_meetings_vendor_only(world, meeting, data):
    supervisor = world.users["client_supervisor"]
    with clock.frozen_at(at(2026, 9, 27, 9)):
        counts = services.meeting_prefill_agenda(actor=supervisor, meeting=meeting)
    breach = SLAClock.objects.get(work_order=data["order"], metric="resolution")
    rating = Rating.objects.get(work_order=data["order"])
    assert _lines(meeting) == sorted(
        [
            ("sla_breach", "tickets.slaclock", breach.pk),
            ("complaint", "feedback.complaint", data["complaint"].pk),
            ("low_rating", "feedback.rating", rating.pk),
            ("problem", "problems.problem", data["problem"].pk),
            ("change", "changes.change", data["change"].pk),
            ("kri", "risks.keyriskindicator", data["kri"].pk),
            ("risk_review", "risks.risk", data["risk"].pk),
        ]
    )
    assert counts == {"added": 7, "kept": 0, "dropped": 0}
    breach_line = AgendaItem.objects.get(meeting=meeting, kind="sla_breach")
    assert breach_line.url == data["order"].get_absolute_url()
    assert breach_line.title.startswith(data["order"].number)


def test_client_only_lines_are_hidden_from_the_vendor(world, meeting, data):
    with clock.frozen_at(at(2026, 9, 27, 9)):
        services.meeting_prefill_agenda(actor=world.users["client_supervisor"], meeting=meeting)
    vendor_kinds = {k for k, _t, _i in _lines(meeting, world.users["vendor_manager"])}
    client_kinds = {k for k, _t, _i in _lines(meeting, world.users["executive"])}
    assert "kri" in client_kinds and "risk_review" in client_kinds
    assert vendor_kinds == client_kinds - {"kri", "risk_review"}


def test_vendor_manager_prefills_only_what_they_may_see(world, meeting, data):
    with clock.frozen_at(at(2026, 9, 27, 9)):
        services.meeting_prefill_agenda(actor=world.users["vendor_manager"], meeting=meeting)
    kinds = {k for k, _t, _i in _lines(meeting)}
    assert "kri" not in kinds and "risk_review" not in kinds  # the register is the client's
    assert {"sla_breach", "complaint", "low_rating", "problem", "change"} <= kinds


def test_prefill_again_changes_nothing_and_keeps_typed_lines(world, meeting, data):
    supervisor = world.users["client_supervisor"]
    typed = services.agenda_item_add(actor=supervisor, meeting=meeting, title="Printer fleet budget")
    with clock.frozen_at(at(2026, 9, 27, 9)):
        services.meeting_prefill_agenda(actor=supervisor, meeting=meeting)
        before = list(AgendaItem.objects.filter(meeting=meeting).order_by("pk").values_list("pk", "position", "title"))
        counts = services.meeting_prefill_agenda(actor=supervisor, meeting=meeting)
    after = list(AgendaItem.objects.filter(meeting=meeting).order_by("pk").values_list("pk", "position", "title"))
    assert counts == {"added": 0, "kept": 7, "dropped": 0}
    assert before == after
    assert AgendaItem.objects.filter(pk=typed.pk, kind="manual").exists()


def test_a_line_no_longer_true_is_dropped(world, meeting, data):
    supervisor = world.users["client_supervisor"]
    with clock.frozen_at(at(2026, 9, 27, 9)):
        services.meeting_prefill_agenda(actor=supervisor, meeting=meeting)
    KriReading.objects.filter(kri=data["kri"]).update(status="green")
    with clock.frozen_at(at(2026, 9, 27, 10)):
        counts = services.meeting_prefill_agenda(actor=supervisor, meeting=meeting)
    assert counts["dropped"] == 1
    assert not AgendaItem.objects.filter(meeting=meeting, kind="kri").exists()


def test_open_action_items_carry_forward_until_closed(world, weekly, meeting):
    supervisor, agent = world.users["client_supervisor"], world.users["vendor_agent"]
    item = services.action_item_create(actor=supervisor, meeting=meeting, title="Count the toner", owner=agent)
    done = services.action_item_create(actor=supervisor, meeting=meeting, title="Already done", owner=agent)
    services.action_item_transition(actor=agent, item=done, action="complete")
    following = weekly.meetings.get(nominal_date=D(2026, 10, 5))  # held on 8 October (国庆)
    services.meeting_prefill_agenda(actor=supervisor, meeting=following)
    assert _lines(following) == [("action_item", "meetings.actionitem", item.pk)]
    services.action_item_transition(actor=agent, item=item, action="complete")
    services.meeting_prefill_agenda(actor=supervisor, meeting=following)
    assert _lines(following) == []


def test_window_starts_at_the_previous_meeting(world, weekly, meeting):
    from oversight.meetings.services.agenda import agenda_window

    since, until, ahead = agenda_window(meeting)
    assert since == at(2026, 9, 21, 10) and until == at(2026, 9, 28, 10)
    assert ahead == at(2026, 10, 5, 10)
    first = weekly.meetings.get(nominal_date=D(2026, 9, 21))
    assert agenda_window(first)[0] == at(2026, 9, 14, 10)  # no previous meeting: one cadence (7 days)
