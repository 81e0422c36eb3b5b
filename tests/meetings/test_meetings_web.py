"""The meeting pages, the API, the calendar files and feed and the minutes PDF: in both languages, for each role,
the other vendor and the other organisation; bad input is a form error, never a 500; list query counts pinned."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from icalendar import Calendar

from oversight.changes.services import feed_key_create, feed_key_revoke
from oversight.core import clock
from oversight.meetings import selectors, services
from tests.factories import signed_in
from tests.meetings.conftest import at

D = dt.date


@pytest.fixture
def held(world, meeting):
    """The 28 September meeting held, with minutes, a decision and an action for the vendor's agent."""
    supervisor = world.users["client_supervisor"]
    with clock.frozen_at(at(2026, 9, 28, 11)):
        meeting = services.meeting_transition(actor=supervisor, meeting=meeting, action="hold")
        services.minutes_save(actor=supervisor, meeting=meeting, minutes="Backlog of 12 printers reviewed.")
        services.decision_add(actor=supervisor, meeting=meeting, text="Spare toner kept on each floor.")
        services.action_item_create(
            actor=supervisor, meeting=meeting, title="Stock toner on floor 3", owner=world.users["vendor_agent"]
        )
    meeting.refresh_from_db()
    return meeting


def test_selectors_per_role(world, held):
    readers = ("client_admin", "client_supervisor", "executive", "auditor", "vendor_manager", "vendor_agent")
    for role in readers:
        assert list(selectors.meeting_list(user=world.users[role])) != [], role
        assert selectors.action_list(user=world.users[role]).count() == 1, role
    for role in ("other_vendor_manager", "other_vendor_agent", "requester", "foreign_admin"):
        assert not selectors.meeting_list(user=world.users[role]).exists(), role
        assert not selectors.action_list(user=world.users[role]).exists(), role
        assert not selectors.plan_list(user=world.users[role]).exists(), role


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_pages_in_both_languages(world, held, language):
    user = world.users["client_supervisor"]
    user.language = language
    user.save(update_fields=["language"])
    client = signed_in(user)
    item = held.action_items.get()
    urls = [
        reverse("meetings:list") + "?when=past",
        reverse("meetings:plans"),
        reverse("meetings:plan_detail", args=[held.plan_id]),
        reverse("meetings:series_detail", args=[held.series_id]),
        reverse("meetings:detail", args=[held.pk]),
        reverse("meetings:actions") + "?overdue=on",
        reverse("meetings:action_detail", args=[item.pk]),
        reverse("meetings:feed_info"),
    ]
    for url in urls:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, url
    page = client.get(reverse("meetings:detail", args=[held.pk]), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert "Stock toner on floor 3" in page and "Spare toner kept on each floor." in page
    if language == "zh-hans":
        assert "待办事项" in page and "会议纪要" in page
        assert "Action items" not in page and "Minutes" not in page
    series_page = client.get(reverse("meetings:series_detail", args=[held.series_id])).content.decode()
    assert series_page.count('data-testid="moved"') == 1  # 5 October moved to 8 October


def test_local_time_shown(world, held):
    client = signed_in(world.users["client_supervisor"])
    world.users["client_supervisor"].time_zone = "Asia/Shanghai"
    world.users["client_supervisor"].save(update_fields=["time_zone"])
    page = client.get(reverse("meetings:detail", args=[held.pk])).content.decode()
    assert "2026-09-28 10:00" in page


def test_other_vendor_gets_404_and_requester_403(world, held):
    url = reverse("meetings:detail", args=[held.pk])
    assert signed_in(world.users["other_vendor_manager"]).get(url).status_code == 404
    assert signed_in(world.users["foreign_admin"]).get(url).status_code == 404
    assert signed_in(world.users["requester"]).get(url).status_code == 403
    assert signed_in(world.users["vendor_agent"]).get(url).status_code == 200


def test_bad_input_is_a_form_error(world, plan):
    client = signed_in(world.users["client_supervisor"])
    response = client.post(
        reverse("meetings:series_create", args=[plan.pk]),
        {
            "kind": "weekly_operations",
            "name": "X",
            "rule": "EVERY MONDAY",
            "starts_on": "2026-10-05",
            "start_time": "10:00",
            "duration_minutes": "60",
        },
    )
    assert response.status_code == 400
    assert "FREQ=WEEKLY" in response.content.decode()
    response = client.post(reverse("meetings:series_create", args=[plan.pk]), {"starts_on": "not a date"})
    assert response.status_code == 400


def test_vendor_manager_holds_records_and_signs_vendor_side(world, meeting):
    vm = signed_in(world.users["vendor_manager"])
    url = reverse("meetings:detail", args=[meeting.pk])
    assert vm.post(reverse("meetings:transition", args=[meeting.pk]), {"action": "hold"}).status_code == 302
    assert vm.post(reverse("meetings:minutes", args=[meeting.pk]), {"minutes": "All good."}).status_code == 302
    vm.post(reverse("meetings:transition", args=[meeting.pk]), {"action": "draft"})
    vm.post(reverse("meetings:sign", args=[meeting.pk]), {"side": "vendor"})
    signed_in(world.users["client_admin"]).post(reverse("meetings:sign", args=[meeting.pk]), {"side": "client"})
    meeting.refresh_from_db()
    assert meeting.status == "signed" and meeting.vendor_signer == world.users["vendor_manager"]
    assert "All good." in vm.get(url).content.decode()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_minutes_pdf_in_both_languages(world, held, language):
    user = world.users["vendor_manager"]
    user.language = language
    user.save(update_fields=["language"])
    client = signed_in(user)
    response = client.get(reverse("meetings:minutes_pdf", args=[held.pk]), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    body = response.content
    assert body.startswith(b"%PDF")
    name = "会议纪要" if language == "zh-hans" else "Minutes"
    assert name.encode() in response["Content-Disposition"].encode() or "filename*" in response["Content-Disposition"]


def test_meeting_and_series_ics(world, held):
    client = signed_in(world.users["client_supervisor"])
    response = client.get(reverse("meetings:series_ics", args=[held.series_id]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = sorted((e.decoded("dtstart"), str(e["uid"])) for e in calendar.walk("VEVENT"))
    starts = [s for s, _uid in events]
    # 21, 28 Sep, 8 Oct (moved from 5 Oct, 国庆), 12, 19 Oct at 10:00 Shanghai = 02:00 UTC.
    assert starts == [
        dt.datetime(2026, 9, 21, 2, tzinfo=dt.UTC),
        dt.datetime(2026, 9, 28, 2, tzinfo=dt.UTC),
        dt.datetime(2026, 10, 8, 2, tzinfo=dt.UTC),
        dt.datetime(2026, 10, 12, 2, tzinfo=dt.UTC),
        dt.datetime(2026, 10, 19, 2, tzinfo=dt.UTC),
    ]
    assert all(uid.startswith("meeting-") and uid.endswith("@" + world.org.code + ".oversight") for _s, uid in events)
    one = Calendar.from_ical(client.get(reverse("meetings:ics", args=[held.pk])).content)
    [event] = one.walk("VEVENT")
    assert event.decoded("dtend") - event.decoded("dtstart") == dt.timedelta(hours=1)
    assert int(event["sequence"]) == held.version


def test_personal_feed_uses_the_change_calendar_key(world, held):
    agent = world.users["vendor_agent"]
    _key, secret = feed_key_create(actor=agent)
    anonymous = signed_in(world.users["requester"])
    anonymous.logout()
    response = anonymous.get(reverse("meetings:feed", args=[secret]))
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    summaries = [str(e["summary"]) for e in calendar.walk("VEVENT")]
    item = held.action_items.get()
    assert [s for s in summaries if "Stock toner on floor 3" in s]  # the agent's action due date
    dues = [e for e in calendar.walk("VEVENT") if str(e["uid"]).startswith("action-")]
    assert dues[0].decoded("dtstart") == item.due_on
    # The agent is not a participant: no meeting in their feed; the vendor manager's has the series' meetings.
    assert not [e for e in calendar.walk("VEVENT") if str(e["uid"]).startswith("meeting-")]
    _k, manager_secret = feed_key_create(actor=world.users["vendor_manager"])
    manager = Calendar.from_ical(anonymous.get(reverse("meetings:feed", args=[manager_secret])).content)
    assert len([e for e in manager.walk("VEVENT") if str(e["uid"]).startswith("meeting-")]) == 5
    feed_key_revoke(actor=agent)
    assert anonymous.get(reverse("meetings:feed", args=[secret])).status_code == 404
    assert anonymous.get(reverse("meetings:feed", args=["ovc_unknown"])).status_code == 404


def test_api_reads_and_moves(world, held):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(world.users["vendor_agent"])
    item = held.action_items.get()
    listed = api.get("/api/v1/meeting-action-items/?overdue=true")
    assert listed.status_code == 200
    moved = api.post(f"/api/v1/meeting-action-items/{item.pk}/transitions/start/", {}, format="json")
    assert moved.status_code == 200 and moved.json()["status"] == "in_progress"
    agenda = api.get(f"/api/v1/meetings/{held.pk}/agenda/")
    assert agenda.status_code == 200
    refused = api.post(f"/api/v1/meetings/{held.pk}/decisions/", {"text": "x"}, format="json")
    assert refused.status_code == 403
    other = APIClient()
    other.force_authenticate(world.users["other_vendor_manager"])
    assert other.get(f"/api/v1/meetings/{held.pk}/").status_code == 404


def test_list_query_counts_do_not_grow_with_the_rows(world, weekly):
    from rest_framework.test import APIClient

    from tests.query_counts import assert_flat, count_queries

    supervisor = world.users["client_supervisor"]
    api = APIClient()
    api.force_authenticate(supervisor)
    client = signed_in(supervisor)

    def counts() -> list[int]:
        found = []
        for url in ("/api/v1/meetings/", "/api/v1/meeting-action-items/"):
            with count_queries() as queries:
                assert api.get(url).status_code == 200
            found.append(len(queries))
        for url in (reverse("meetings:list") + "?when=past", reverse("meetings:actions")):
            with count_queries() as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    def add(until):
        with clock.frozen_at(at(2026, 9, 1, 9)):
            made = services.series_schedule(actor=supervisor, series=weekly, until=until)
        for meeting in made:
            services.action_item_create(actor=supervisor, meeting=meeting, title="A", owner=supervisor)

    add(D(2026, 9, 22))
    few = counts()
    add(D(2026, 10, 20))
    many = counts()
    assert_flat("meetings.api.meetings", few[0], many[0])
    assert_flat("meetings.api.action_items", few[1], many[1])
    assert_flat("meetings.list", few[2], many[2])
    assert_flat("meetings.actions", few[3], many[3])
