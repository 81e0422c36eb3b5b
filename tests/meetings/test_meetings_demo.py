"""The demo communication plan: three series on the hospital's working-day calendar, past meetings held with
minutes, decisions and actions (some overdue), signed minutes but for the latest, the next meeting's agenda filled
from the service data (the evaluation and settlement among it); loaded once."""

from __future__ import annotations

from oversight.catalog import services as catalog_services
from oversight.core import clock
from oversight.liaisons.models import Escalation
from oversight.meetings.demo import load_demo_meetings
from oversight.meetings.models import ActionItem, AgendaItem, CommunicationPlan, MeetingSeries
from oversight.meetings.selectors import overdue_q
from oversight.settlement import services as settlement
from oversight.tenancy.models import Vendor
from tests.meetings.conftest import WORKWEEK
from tests.settlement.conftest import make_contract, signed_period


def test_demo_meetings_once(world):
    Vendor.objects.filter(pk=world.vendor.pk).update(code="desk")
    calendar = catalog_services.calendar_create(
        actor=None,
        organisation=world.org,
        name="工作日",
        time_zone="Asia/Shanghai",
        holiday_source="china",
        weekly=WORKWEEK,
    )
    catalog_services.calendar_load_china_year(actor=None, calendar=calendar, year=clock.now().year)
    contract = make_contract(world, vendor=world.vendor, service=world.service, number="HT-DEMO")
    draft = settlement.statement_prepare(
        actor=world.users["client_admin"], period=signed_period(world, contract, score="95")
    )
    settlement.statement_approve(actor=world.users["client_supervisor"], statement=draft)
    made = load_demo_meetings(world.org)
    assert MeetingSeries.objects.count() == 3 and CommunicationPlan.objects.get().rows.count() == 5
    now = clock.now()
    past = [m for m in made if m.starts_at < now]
    assert len(past) >= 12
    assert [m.status for m in past[:-1]] == ["signed"] * (len(past) - 1)
    assert past[-1].status == "held"
    for meeting in past:
        assert meeting.decisions.count() == 1 and meeting.action_items.count() == 1
        assert meeting.agenda.filter(kind="manual").exists()
    # Every third action is left open: those past due are overdue.
    overdue = ActionItem.objects.filter(overdue_q(now))
    assert overdue.exists() and not overdue.filter(escalated_at__isnull=True).exists()
    assert Escalation.objects.filter(subject_type="meetings.actionitem", trigger="overdue_action").count() == (
        overdue.count()
    )
    assert ActionItem.objects.filter(status="done").count() > ActionItem.objects.exclude(status="done").count()
    upcoming = next(m for m in made if m.starts_at >= now)
    kinds = set(AgendaItem.objects.filter(meeting=upcoming).values_list("kind", flat=True))
    assert {"evaluation", "settlement", "action_item"} <= kinds
    assert [m.pk for m in load_demo_meetings(world.org)] == [m.pk for m in made]
    assert CommunicationPlan.objects.count() == 1
