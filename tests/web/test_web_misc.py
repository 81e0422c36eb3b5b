"""Times in the user's zone, the language switch, and the templates' CSP and CSRF hygiene."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from django.conf import settings

from oversight.tenancy.services import user_update_preferences


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
