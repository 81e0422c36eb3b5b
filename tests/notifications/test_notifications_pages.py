"""The notifications pages: the unread count in the header, marking read, the unread-only filter."""

from __future__ import annotations

import datetime as dt

from oversight.notifications.models import Notification
from oversight.notifications.services import notification_create


def _notify(user, n, **kwargs):
    """Notification number n for the user (a unique dedupe key per user and n)."""
    return notification_create(
        recipient=user, kind="test", dedupe_key=f"t:{user.pk}:{n}", subject=f"Note {n}", **kwargs
    )[0]


def test_unread_count_in_the_header_and_marking_read(world, web, wo):
    user = world.users["vendor_agent"]
    work_order = wo()
    first = _notify(user, 1, work_order=work_order)
    _notify(user, 2)
    other = _notify(world.users["vendor_agent_2"], 3)
    client = web("vendor_agent")
    page = client.get("/notifications/").content.decode()
    assert '<span class="bell-count" data-testid="unread-count">2</span>' in page
    assert "Note 1" in page and "Note 2" in page and "Note 3" not in page
    assert f'href="/wo/{work_order.number}/"' in page
    partial = client.post("/notifications/read/", {"id": first.pk}, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    assert f'id="notification-{first.pk}"' in partial.content.decode()
    assert "unread" not in partial.content.decode().split(">")[0]
    first.refresh_from_db()
    assert first.read_at is not None
    # Another user's notification cannot be marked through this page.
    client.post("/notifications/read/", {"id": other.pk})
    other.refresh_from_db()
    assert other.read_at is None
    client.post("/notifications/read/", {})
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()
    assert 'data-testid="unread-count"' not in client.get("/notifications/").content.decode()


def test_unread_only_filter(world, web):
    user = world.users["requester"]
    seen = _notify(user, 1)
    _notify(user, 2)
    Notification.objects.filter(pk=seen.pk).update(read_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    page = web("requester").get("/notifications/?unread=1").content.decode()
    assert "Note 2" in page and "Note 1" not in page


def test_the_list_sorts_by_subject_or_work_order_flat_and_by_time_grouped(world, web, wo):
    import re

    user = world.users["vendor_agent"]
    first, second = wo(title="First"), wo(title="Second")
    _notify(user, 3, work_order=first)
    _notify(user, 1, work_order=second)
    _notify(user, 2)
    client = web("vendor_agent")

    def subjects(html):
        return re.findall(r">(Note \d)<", html)

    default = client.get("/notifications/").content.decode()
    assert subjects(default) == ["Note 2", "Note 1", "Note 3"]  # newest first
    assert 'class="notice-day"' in default
    by_subject = client.get("/notifications/?sort=subject").content.decode()
    assert subjects(by_subject) == ["Note 1", "Note 2", "Note 3"]
    assert 'class="notice-day"' not in by_subject  # a flat list in the chosen order
    assert re.search(r'href="\?sort=-subject" data-sort-state="ascending" aria-current="true">Subject', by_subject)
    reverse = client.get("/notifications/?sort=-subject").content.decode()
    assert subjects(reverse) == ["Note 3", "Note 2", "Note 1"]
    by_work_order = client.get("/notifications/?sort=work_order").content.decode()
    assert subjects(by_work_order) == ["Note 3", "Note 1", "Note 2"]  # no work order last
    oldest = client.get("/notifications/?sort=time").content.decode()
    assert subjects(oldest) == ["Note 3", "Note 1", "Note 2"]
    for bad in ("recipient__password", "-", "x" * 300):
        response = client.get("/notifications/", {"sort": bad})
        assert response.status_code == 200
        assert subjects(response.content.decode()) == ["Note 2", "Note 1", "Note 3"]
