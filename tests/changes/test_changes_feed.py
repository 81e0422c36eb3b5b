"""The change calendar's `.ics` feed: read back with `icalendar` and compared with the data, through the gate of
the key's owner, with stable UIDs, UTC times and recurring windows as RRULE; the key is hashed, revocable and
re-creatable, and a revoked or unknown key is a 404."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from django.test import Client
from django.utils import translation
from icalendar import Calendar

from oversight.audit.models import AuditEntry
from oversight.changes import services
from oversight.changes.models import CalendarFeedKey
from oversight.tenancy.services import api_token_hash


def _feed(secret: str, query: str = ""):
    return Client().get(f"/changes/calendar/feed/{secret}.ics{query}")


def _events(response) -> dict[str, object]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def _scheduled(world, change, window, **kwargs):
    sup = world.users["client_supervisor"]
    start, end = window(48, 2)
    c = change(planned_start=start, planned_end=end, **kwargs)
    for action in ("assess", "authorise", "schedule"):
        c = services.change_transition(actor=sup, change=c, action=action)
    return c


def test_feed_holds_the_owners_changes_and_windows(world, change, window):
    sup = world.users["client_supervisor"]
    mine = _scheduled(world, change, window)
    theirs = change(
        title="Core switch",
        implementer=world.other_vendor,
        services=[world.other_service],
        planned_start=mine.planned_start,
        planned_end=mine.planned_end,
        actor=world.users["client_admin"],
    )
    sunday = dt.datetime(2026, 12, 12, 18, tzinfo=dt.UTC)  # Sunday 02:00 in Shanghai
    weekly = services.window_create(
        actor=sup,
        name="Sunday maintenance",
        kind="maintenance",
        start=sunday,
        end=sunday + dt.timedelta(hours=4),
        rrule="FREQ=WEEKLY;BYDAY=SU",
    )
    once = services.window_create(
        actor=sup, name="Year-end freeze", kind="blackout", start=sunday, end=sunday + dt.timedelta(days=3)
    )
    _key, secret = services.feed_key_create(actor=world.users["vendor_agent"])
    events = _events(_feed(secret))
    domain = f"{world.org.code}.oversight"
    assert set(events) == {f"change-{mine.pk}@{domain}", f"window-{weekly.pk}@{domain}", f"window-{once.pk}@{domain}"}
    event = events[f"change-{mine.pk}@{domain}"]
    assert event["DTSTART"].dt == mine.planned_start and event["DTSTART"].dt.utcoffset() == dt.timedelta(0)
    assert event["DTEND"].dt == mine.planned_end and str(event["STATUS"]) == "CONFIRMED"
    assert mine.number in str(event["SUMMARY"]) and int(event["SEQUENCE"]) == mine.version
    recurring = events[f"window-{weekly.pk}@{domain}"]
    assert recurring["RRULE"]["FREQ"] == ["WEEKLY"] and recurring["RRULE"]["BYDAY"] == ["SU"]
    # A recurring window starts at its local time, in the organisation's zone (RFC 5545 expands it there).
    assert recurring["DTSTART"].dt == sunday and recurring["DTSTART"].dt.tzinfo == ZoneInfo("Asia/Shanghai")
    assert events[f"window-{once.pk}@{domain}"]["DTEND"].dt == sunday + dt.timedelta(days=3)
    # The client's supervisor sees both changes (the other one is planned, not scheduled: tentative).
    _key, sup_secret = services.feed_key_create(actor=sup)
    seen = _events(_feed(sup_secret))
    assert str(seen[f"change-{theirs.pk}@{domain}"]["STATUS"]) == "TENTATIVE"
    # Filtered by vendor: the windows of the whole organisation stay, the other vendor's change goes.
    filtered = _events(_feed(sup_secret, f"?vendor={world.vendor.pk}"))
    assert f"change-{theirs.pk}@{domain}" not in filtered and f"change-{mine.pk}@{domain}" in filtered
    assert _feed(sup_secret, "?vendor=abc").status_code == 200  # an odd id names nothing, never a 500
    # UIDs are stable across fetches; a moved change keeps its UID with a higher SEQUENCE.
    services.change_update(
        actor=sup,
        change=mine,
        planned_start=mine.planned_start + dt.timedelta(hours=1),
        planned_end=mine.planned_end + dt.timedelta(hours=1),
    )
    again = _events(_feed(secret))[f"change-{mine.pk}@{domain}"]
    assert again["DTSTART"].dt == mine.planned_start + dt.timedelta(hours=1)
    assert int(again["SEQUENCE"]) == int(event["SEQUENCE"]) + 1


def test_feed_is_worded_in_the_owners_language(world, change, window):
    _scheduled(world, change, window)
    agent = world.users["vendor_agent"]
    agent.language = "en"
    agent.save(update_fields=["language"])
    _key, secret = services.feed_key_create(actor=agent)
    with translation.override("zh-hans"):
        body = _feed(secret).content.decode()
    assert "Status: Scheduled" in body and "状态" not in body


def test_key_is_hashed_revocable_and_recreated(world):
    agent = world.users["vendor_agent"]
    key, secret = services.feed_key_create(actor=agent)
    assert key.key_hash == api_token_hash(secret) and secret not in str(CalendarFeedKey.objects.values_list())
    assert _feed(secret).status_code == 200
    _new, fresh = services.feed_key_create(actor=agent)  # re-created: the old address stops working
    assert _feed(secret).status_code == 404 and _feed(fresh).status_code == 200
    assert services.feed_key_revoke(actor=agent) == 1
    assert _feed(fresh).status_code == 404
    assert _feed("ovc_unknown").status_code == 404 and _feed("x" * 300).status_code == 404
    assert AuditEntry.objects.filter(action="changes.calendarfeedkey.revoked").count() == 2
    assert secret not in str(list(AuditEntry.objects.values_list("after", flat=True)))
    # A person who no longer reads changes (made a requester) has no feed, whatever key they held.
    _k, kept = services.feed_key_create(actor=agent)
    agent.role, agent.vendor = "requester", None
    agent.save(update_fields=["role", "vendor"])
    assert _feed(kept).status_code == 404


def test_key_page(world):
    client = Client()
    client.force_login(world.users["client_supervisor"])
    with translation.override("en"):
        page = client.get("/changes/calendar/feed/")
        assert page.status_code == 200 and "no calendar feed key" in page.content.decode()
        created = client.post("/changes/calendar/feed/", {"action": "create"})
    body = created.content.decode()
    assert created.status_code == 200 and "/changes/calendar/feed/ovc_" in body
    secret = re.search(r"/changes/calendar/feed/(ovc_[A-Za-z0-9_-]+)\.ics", body)[1]
    assert _feed(secret).status_code == 200
    revoked = client.post("/changes/calendar/feed/", {"action": "revoke"})
    assert revoked.status_code == 302 and _feed(secret).status_code == 404
    requester = Client()
    requester.force_login(world.users["requester"])
    assert requester.post("/changes/calendar/feed/", {"action": "create"}).status_code == 403
    assert not CalendarFeedKey.objects.filter(owner=world.users["requester"]).exists()
