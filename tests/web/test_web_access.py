"""Who may open which page: each page renders for the roles that may see it, and 403/404/redirects otherwise."""

from __future__ import annotations

import pytest

from oversight.tickets.models import IntakePoint

ALL_ROLES = [
    "client_admin",
    "client_supervisor",
    "executive",
    "auditor",
    "vendor_manager",
    "vendor_agent",
    "requester",
]

PAGES = {
    # url: roles that get 200 (everyone else in ALL_ROLES gets 403)
    "/portal/": set(ALL_ROLES),
    "/portal/new/": {"client_admin", "client_supervisor", "vendor_manager", "vendor_agent", "requester"},
    "/workbench/": {"vendor_manager", "vendor_agent"},
    "/board/": {"client_admin", "client_supervisor", "executive", "auditor", "vendor_manager"},
    "/board/export.csv": {"client_admin", "client_supervisor", "executive", "auditor", "vendor_manager"},
    "/board/export.xlsx": {"client_admin", "client_supervisor", "executive", "auditor", "vendor_manager"},
    "/audit/": {"client_admin", "auditor"},
    "/intake-points/": {"client_admin"},
    "/notifications/": set(ALL_ROLES),
    "/preferences/": set(ALL_ROLES),
}


@pytest.mark.parametrize("url", sorted(PAGES))
@pytest.mark.parametrize("role", ALL_ROLES)
def test_page_access_by_role(world, web, url, role):
    response = web(role).get(url)
    expected = 200 if role in PAGES[url] else 403
    assert response.status_code == expected, (url, role, response.status_code)


@pytest.mark.parametrize(
    "url",
    [*sorted(PAGES), "/", "/wo/GH20260000001/", "/attachments/1/", "/q/some-token/", "/portal/offerings/"],
)
def test_anonymous_is_sent_to_login_and_back(db, client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")
    assert url.rstrip("/").split("?")[0] in response["Location"].replace("%2F", "/")


@pytest.mark.parametrize(
    ("role", "target"),
    [
        ("requester", "/portal/"),
        ("vendor_agent", "/workbench/"),
        ("vendor_manager", "/workbench/"),
        ("client_admin", "/board/"),
        ("client_supervisor", "/board/"),
        ("executive", "/board/"),
        ("auditor", "/board/"),
    ],
)
def test_home_redirects_by_role(world, web, role, target):
    response = web(role).get("/")
    assert response.status_code == 302
    assert response["Location"] == target


def test_login_page_renders_and_signs_in(world, client):
    page = client.get("/login/")
    assert page.status_code == 200
    assert b'name="username"' in page.content
    response = client.post("/login/", {"username": "nurse_a", "password": "pw-Oversight-1"})
    assert response.status_code == 302
    assert client.get("/").headers["Location"] == "/portal/"


def test_wrong_password_shows_a_clear_error(world, client):
    response = client.post("/login/", {"username": "nurse_a", "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert b"did not match" in response.content


def test_logout_is_a_post(world, web):
    client = web("requester")
    response = client.post("/logout/")
    assert response.status_code == 302
    assert client.get("/portal/").status_code == 302


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("requester", 200),
        ("vendor_agent", 200),
        ("vendor_manager", 200),
        ("client_admin", 200),
        ("client_supervisor", 200),
        ("executive", 200),
        ("auditor", 200),
        ("requester_2", 404),
        ("other_requester", 404),
        ("other_vendor_manager", 404),
        ("other_vendor_agent", 404),
        ("foreign_admin", 404),
        ("foreign_requester", 404),
    ],
)
def test_work_order_page_visibility(world, web, wo, role, status):
    work_order = wo()
    response = web(role).get(f"/wo/{work_order.number}/")
    assert response.status_code == status
    if status == 404:
        assert work_order.title.encode() not in response.content


def test_qr_images_and_list_only_for_client_admins_of_the_organisation(world, web):
    point = IntakePoint.objects.create(
        organisation=world.org, token="tok-1", label="Ward 3 printer", service=world.service
    )
    foreign = IntakePoint.objects.create(
        organisation=world.other_org, token="tok-x", label="Far printer", service=world.foreign_service
    )
    admin = web("client_admin")
    listing = admin.get("/intake-points/")
    assert b"Ward 3 printer" in listing.content
    assert b"Far printer" not in listing.content
    assert admin.get(f"/intake-points/{point.pk}/qr.svg").status_code == 200
    assert admin.get(f"/intake-points/{foreign.pk}/qr.svg").status_code == 404
    assert web("client_supervisor").get(f"/intake-points/{point.pk}/qr.png").status_code == 403
    assert web("foreign_admin").get(f"/intake-points/{point.pk}/qr.png").status_code == 404


def test_error_pages_use_the_site_templates(world, web):
    client = web("vendor_agent")
    not_found = client.get("/wo/NOPE/")
    assert not_found.status_code == 404
    assert b"This page does not exist" in not_found.content
    forbidden = client.get("/board/")
    assert forbidden.status_code == 403
    assert b"You are not allowed to open this page" in forbidden.content


def test_server_error_template_renders_without_a_request_context():
    from django.template import loader

    html = loader.get_template("500.html").render({})
    assert "500" in html
    assert "/static/css/oversight.css" in html


def test_navigation_follows_the_role(world, web):
    requester_page = web("requester").get("/portal/").content.decode()
    assert 'href="/portal/new/"' in requester_page
    assert 'href="/board/"' not in requester_page
    assert 'href="/audit/"' not in requester_page
    auditor_page = web("auditor").get("/board/").content.decode()
    assert 'href="/audit/"' in auditor_page
    assert 'href="/portal/new/"' not in auditor_page
    agent_page = web("vendor_agent").get("/workbench/").content.decode()
    assert 'href="/workbench/"' in agent_page
    assert 'href="/board/"' not in agent_page


def test_qr_images_encode_the_intake_url(world, web):
    point = IntakePoint.objects.create(organisation=world.org, token="tok-2", label="Room 5", service=world.service)
    admin = web("client_admin")
    svg = admin.get(f"/intake-points/{point.pk}/qr.svg")
    assert svg["Content-Type"] == "image/svg+xml"
    assert b"<svg" in svg.content
    png = admin.get(f"/intake-points/{point.pk}/qr.png?download=1")
    assert png["Content-Type"] == "image/png"
    assert png.content.startswith(b"\x89PNG")
    assert png["Content-Disposition"] == f'attachment; filename="qr-{point.pk}.png"'
    assert "http://testserver/q/tok-2/" in admin.get("/intake-points/").content.decode()
    assert admin.get(f"/intake-points/{point.pk}/qr.gif").status_code == 404


def test_workbench_starts_managers_on_the_unassigned_queue(world, web):
    manager_page = web("vendor_manager").get("/workbench/").content.decode()
    assert 'class="tab active" href="?queue=unassigned"' in manager_page
    agent_page = web("vendor_agent").get("/workbench/").content.decode()
    assert 'class="tab active" href="?queue=mine"' in agent_page


def test_portal_list_is_also_an_htmx_partial(world, web, wo):
    work_order = wo()
    html = web("requester").get("/portal/?page=1", HTTP_HX_REQUEST="true").content.decode()
    assert html.strip().startswith('<div id="portal-results"')
    assert work_order.number in html
