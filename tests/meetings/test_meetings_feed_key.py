"""The meetings calendar's own feed key: created, re-created and revoked on `/meetings/feed/`, its address shown on
that answer only; re-creating it leaves the change calendar's address working and the other way round; a meetings
key does not open the change calendar, while a change calendar key made before still opens the meetings feed."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from oversight.audit.models import AuditEntry
from oversight.changes.models import CalendarFeedKey
from oversight.changes.services import feed_key_create
from tests.factories import signed_in

ADDRESS = re.compile(r'id="feed-address"[^>]*>([^<]+)<')


def secret_of(response) -> str:
    return ADDRESS.search(response.content.decode()).group(1).rsplit("/", 1)[1].removesuffix(".ics")


@pytest.fixture
def anonymous(world):
    client = signed_in(world.users["requester"])
    client.logout()
    return client


def test_the_meetings_page_makes_its_own_key_and_leaves_the_change_calendar_working(world, anonymous):
    agent = world.users["vendor_agent"]
    _key, change_secret = feed_key_create(actor=agent)
    client = signed_in(agent)
    with translation.override("en"):
        page = client.get(reverse("meetings:feed_info"))
    assert page.status_code == 200 and b"You have no calendar feed key." in page.content
    first = client.post(reverse("meetings:feed_info"), {"action": "create"})
    assert first.status_code == 200
    meetings_secret = secret_of(first)
    assert meetings_secret.startswith("ovm_")
    assert anonymous.get(reverse("meetings:feed", args=[meetings_secret])).status_code == 200
    # The address is shown once: the page read again shows only the key's start.
    again = client.get(reverse("meetings:feed_info"))
    assert meetings_secret not in again.content.decode() and meetings_secret[:12] in again.content.decode()
    # Re-created: the old meetings address stops working, the change calendar's does not.
    second = secret_of(client.post(reverse("meetings:feed_info"), {"action": "create"}))
    assert anonymous.get(reverse("meetings:feed", args=[meetings_secret])).status_code == 404
    assert anonymous.get(reverse("meetings:feed", args=[second])).status_code == 200
    assert anonymous.get(reverse("changes:calendar_ics", args=[change_secret])).status_code == 200
    # A meetings key opens no change calendar; the change calendar key still opens the meetings feed.
    assert anonymous.get(reverse("changes:calendar_ics", args=[second])).status_code == 404
    assert anonymous.get(reverse("meetings:feed", args=[change_secret])).status_code == 200
    # Re-creating the change calendar's key leaves the meetings key alone.
    feed_key_create(actor=agent)
    assert anonymous.get(reverse("meetings:feed", args=[second])).status_code == 200
    assert CalendarFeedKey.objects.filter(owner=agent, revoked_at__isnull=True).count() == 2
    # Revoked: 404.
    revoked = client.post(reverse("meetings:feed_info"), {"action": "revoke"})
    assert revoked.status_code == 302
    assert anonymous.get(reverse("meetings:feed", args=[second])).status_code == 404
    actions = list(AuditEntry.objects.filter(actor=agent).values_list("action", flat=True).order_by("id"))
    assert actions.count("changes.calendarfeedkey.meetings_created") == 2
    assert actions.count("changes.calendarfeedkey.meetings_revoked") == 2  # once re-created, once revoked


def test_a_requester_has_no_meetings_key(world):
    client = signed_in(world.users["requester"])
    with translation.override("en"):
        refused = client.post(reverse("meetings:feed_info"), {"action": "create"})
    assert refused.status_code == 403
    assert not CalendarFeedKey.objects.filter(owner=world.users["requester"]).exists()
