"""Preferences, language, notifications, the audit trail page, and the templates' CSP hygiene."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings

from oversight.audit.models import AuditEntry
from oversight.core.errors import ApplicationError, NotAllowed
from oversight.notifications.models import Notification
from oversight.notifications.services import notification_create
from oversight.tenancy.services import user_update_preferences


def test_preferences_page_saves_language_and_time_zone_with_audit(world, web):
    client = web("requester")
    page = client.get("/preferences/").content.decode()
    assert "Asia/Shanghai" in page
    response = client.post("/preferences/", {"language": "zh-hans", "time_zone": "Europe/Berlin"})
    assert response.status_code == 302
    user = world.users["requester"]
    user.refresh_from_db()
    assert (user.language, user.time_zone) == ("zh-hans", "Europe/Berlin")
    entry = AuditEntry.objects.get(action="tenancy.user.preferences_changed")
    assert entry.before == {"language": "en", "time_zone": "Asia/Shanghai"}
    assert entry.after == {"language": "zh-hans", "time_zone": "Europe/Berlin"}
    assert entry.actor == user
    follow = client.get("/preferences/")
    assert follow.content.decode().startswith("<!DOCTYPE html>")
    assert '<html lang="zh-hans"' in follow.content.decode()


def test_preferences_refuse_unknown_zones(world, web):
    response = web("requester").post("/preferences/", {"language": "en", "time_zone": "Mars/Olympus"})
    assert response.status_code == 400
    world.users["requester"].refresh_from_db()
    assert world.users["requester"].time_zone == "Asia/Shanghai"


def test_times_follow_the_users_zone(world, web, wo):
    from oversight.core import clock

    with clock.frozen_at(dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)):
        work_order = wo()
    client = web("requester")
    assert "2026-03-02 16:00" in client.get("/portal/").content.decode()
    user_update_preferences(
        actor=world.users["requester"], user=world.users["requester"], language="en", time_zone="Europe/London"
    )
    page = client.get("/portal/").content.decode()
    assert "2026-03-02 08:00" in page
    assert "Times are shown in Europe/London" in page
    assert work_order.number in page


def test_user_update_preferences_rules(world):
    requester = world.users["requester"]
    with pytest.raises(NotAllowed):
        user_update_preferences(actor=world.users["requester_2"], user=requester, language="en", time_zone="UTC")
    with pytest.raises(NotAllowed):
        user_update_preferences(actor=world.users["foreign_admin"], user=requester, language="en", time_zone="UTC")
    with pytest.raises(ApplicationError):
        user_update_preferences(actor=requester, user=requester, language="fr", time_zone="UTC")
    user_update_preferences(actor=world.users["client_admin"], user=requester, language="en", time_zone="UTC")
    requester.refresh_from_db()
    assert requester.time_zone == "UTC"
    count = AuditEntry.objects.filter(action="tenancy.user.preferences_changed").count()
    user_update_preferences(actor=requester, user=requester, language="en", time_zone="UTC")
    assert AuditEntry.objects.filter(action="tenancy.user.preferences_changed").count() == count  # no-op


def test_language_switch_saves_the_choice_and_returns(world, web):
    client = web("vendor_agent")
    response = client.post("/preferences/language/", {"language": "zh-hans", "next": "/workbench/?queue=team"})
    assert response.status_code == 302
    assert response["Location"] == "/workbench/?queue=team"
    world.users["vendor_agent"].refresh_from_db()
    assert world.users["vendor_agent"].language == "zh-hans"
    evil = client.post("/preferences/language/", {"language": "en", "next": "https://evil.example/"})
    assert evil["Location"] == "/"


def test_anonymous_language_switch_uses_djangos_view(db, client):
    page = client.get("/login/").content.decode()
    assert 'action="/i18n/setlang/"' in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert '<html lang="en"' in client.get("/login/").content.decode()


def _notify(user, n, **kwargs):
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


def test_audit_page_lists_the_organisations_entries_with_filters(world, web, wo):
    work_order = wo(title="Audited one")
    wo(service=world.foreign_service, requester="foreign_requester", title="Foreign audited")
    client = web("auditor")
    page = client.get("/audit/").content.decode()
    assert "tickets.workorder.created" in page
    assert work_order.number in page
    assert "Foreign audited" not in page
    filtered = client.get("/audit/?action=tenancy").content.decode()
    assert "tickets.workorder.created" not in filtered
    by_object = client.get(f"/audit/?object_type=tickets.workorder&object_id={work_order.pk}").content.decode()
    assert work_order.number in by_object
    by_actor = client.get("/audit/?actor=nurse_a").content.decode()
    assert work_order.number in by_actor
    assert work_order.number not in client.get("/audit/?actor=someone_else").content.decode()
    today = work_order.created_at.astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    assert work_order.number in client.get(f"/audit/?date_from={today}&date_to={today}").content.decode()
    later = today + dt.timedelta(days=1)
    assert work_order.number not in client.get(f"/audit/?date_from={later}").content.decode()
    bad = client.get(f"/audit/?date_from={later}&date_to={today}").content.decode()
    assert "The start date is after the end date" in bad


def test_audit_page_is_read_only(world, web):
    response = web("auditor").post("/audit/", {})
    assert response.status_code == 405


TEMPLATE_DIRS = [
    Path(settings.BASE_DIR) / "oversight" / "templates",
    Path(settings.BASE_DIR) / "oversight" / "tickets" / "templates",
    Path(settings.BASE_DIR) / "oversight" / "notifications" / "templates",
    Path(settings.BASE_DIR) / "oversight" / "audit" / "templates",
]


def _templates():
    """The web UI's own templates (the Django admin's overrides follow the admin's conventions)."""
    for folder in TEMPLATE_DIRS:
        yield from sorted(p for p in folder.rglob("*.html") if "admin" not in p.relative_to(folder).parts)


def test_templates_keep_a_strict_csp_possible():
    """No inline event handlers, inline scripts or style attributes; every asset is local."""
    files = list(_templates())
    assert len(files) > 20
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\son[a-z]+\s*=", text), f"inline event handler in {path}"
        assert not re.search(r"\sstyle\s*=", text), f"inline style attribute in {path}"
        assert "javascript:" not in text, path
        assert "hx-on" not in text, path
        for script in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in script, f"inline script in {path}"
        assert not re.search(r"(src|href)=\"(https?:)?//", text), f"external asset in {path}"


def test_every_page_has_csrf_tokens_in_post_forms(world, web, accepted):
    client = web("vendor_manager")
    for url in ("/workbench/", f"/wo/{accepted.number}/", "/portal/new/", "/notifications/", "/preferences/"):
        html = client.get(url).content.decode()
        for form in re.findall(r"<form\b[^>]*method=\"post\"[^>]*>.*?</form>", html, flags=re.S):
            assert "csrfmiddlewaretoken" in form, (url, form[:200])


def test_csrf_is_enforced(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["requester"])
    response = client.post("/preferences/", {"language": "en", "time_zone": "UTC"})
    assert response.status_code == 403
    assert b"This form has expired" in response.content


def test_static_assets_are_local():
    root = Path(settings.BASE_DIR) / "oversight" / "static"
    assert (root / "vendor" / "htmx-2.0.11.min.js").exists()
    css = (root / "css" / "oversight.css").read_text(encoding="utf-8")
    assert "@import" not in css and "url(http" not in css
    assert '"PingFang SC"' in css and '"Microsoft YaHei"' in css and '"Noto Sans CJK SC"' in css
    js = (root / "js" / "oversight.js").read_text(encoding="utf-8")
    assert "eval(" not in js and "innerHTML" not in js
