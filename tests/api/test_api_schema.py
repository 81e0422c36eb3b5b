"""The OpenAPI schema is valid, warning-free and lists every endpoint; list endpoints keep a fixed query count."""

from __future__ import annotations

import re

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from oversight.tickets import services
from tests.query_counts import assert_flat, count_queries

NAMED_GROUP = re.compile(r"\(\?P<[^>]+>[^)]*\)")
PLACEHOLDER = re.compile(r"\{[^}]+\}")


def api_v1_patterns() -> list[tuple[str, object]]:
    """(regex route, pattern) of every URL pattern mounted under /api/v1/."""
    found = []

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(
                pattern.pattern.regex.pattern if hasattr(pattern.pattern, "regex") else pattern.pattern
            )
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                found.append((route, pattern))

    walk(get_resolver().url_patterns, "")
    return [(route, pattern) for route, pattern in found if route.replace("^", "").startswith("api/v1/")]


def as_path(route: str) -> str:
    """Turn a URL regex into an OpenAPI-style path with anonymous {} placeholders."""
    path = NAMED_GROUP.sub("{}", route).replace("^", "").replace("$", "").replace("\\Z", "").replace("\\", "")
    return "/" + path


def test_schema_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    assert schema["openapi"].startswith("3.")
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])


def test_every_api_v1_endpoint_is_in_the_schema():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    documented = {PLACEHOLDER.sub("{}", path) for path in schema["paths"]}
    patterns = [(route, p) for route, p in api_v1_patterns() if p.name != "not-found"]
    assert len(patterns) >= 35
    missing = sorted(as_path(route) for route, _pattern in patterns if as_path(route) not in documented)
    assert missing == []
    # And the other way round: nothing documented under /api/v1/ that is not routed.
    routed = {as_path(route) for route, _pattern in patterns}
    assert {p for p in documented if p.startswith("/api/v1/")} == routed


def test_schema_documents_the_transitions_and_concurrency_headers():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/work-orders/{id}/transitions/{transition}/"]["post"]
    params = {p["name"]: p for p in operation["parameters"]}
    assert "resolve" in params["transition"]["schema"]["enum"]
    assert "auto_close" not in params["transition"]["schema"]["enum"]
    assert "If-Match" in params
    assert "412" in operation["responses"]
    assert "patch" in schema["paths"]["/api/v1/work-orders/{id}/"]
    assert "put" not in schema["paths"]["/api/v1/work-orders/{id}/"]
    create = schema["paths"]["/api/v1/work-orders/"]["post"]
    assert "Idempotency-Key" in {p["name"] for p in create["parameters"]}


def test_schema_and_docs_pages_are_served(world, api):
    client = api("requester")
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()


def test_schema_and_docs_are_open_in_the_embedded_default(world, settings):
    assert settings.API_DOCS_REQUIRE_LOGIN is False
    anonymous = APIClient()
    assert anonymous.get("/api/schema/").status_code == 200
    assert anonymous.get("/api/docs/").status_code == 200


def test_schema_and_docs_need_a_login_when_required(world, api, settings):
    settings.API_DOCS_REQUIRE_LOGIN = True
    anonymous = APIClient()
    schema = anonymous.get("/api/schema/")
    assert schema.status_code == 401
    assert b"not_authenticated" in schema.content
    docs = anonymous.get("/api/docs/")
    assert docs.status_code == 302
    assert docs["Location"] == "/login/?next=/api/docs/"
    signed_in = api("vendor_agent")
    assert signed_in.get("/api/schema/").status_code == 200
    assert signed_in.get("/api/docs/").status_code == 200


def test_production_settings_require_a_login_for_the_api_description():
    import oversight.settings as embedded
    import oversight.settings_production as production

    assert production.API_DOCS_REQUIRE_LOGIN is True
    assert embedded.API_DOCS_REQUIRE_LOGIN is False
    for module in (embedded, production):
        assert module.SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"] == ["oversight.core.api.permissions.ApiDocsAccess"]


def _count_queries(client, url) -> int:
    with count_queries() as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["client_supervisor", "vendor_agent", "requester"])
def test_work_order_list_query_count_does_not_grow_with_rows(world, api, make_work_order, role):
    client = api(role)
    for i in range(5):
        make_work_order(title=f"wo {i}")
    five = _count_queries(client, "/api/v1/work-orders/?page_size=100")
    for i in range(25):
        services.work_order_assign(
            actor=world.users["vendor_manager"],
            work_order=make_work_order(title=f"more {i}", site=world.other_dept),
            assignee=world.users["vendor_agent"],
        )
    thirty = _count_queries(client, "/api/v1/work-orders/?page_size=100")
    assert client.get("/api/v1/work-orders/?page_size=100").json()["count"] == 30
    assert_flat("tickets.api.work_orders", five, thirty)


def test_events_list_query_count_does_not_grow_with_rows(world, api, make_work_order):
    work_order = make_work_order()
    client = api("vendor_agent")
    for i in range(4):
        services.comment_create(actor=world.users["vendor_agent"], work_order=work_order, body=f"note {i}")
    url = f"/api/v1/work-orders/{work_order.pk}/events/?page_size=100"
    five = _count_queries(client, url)
    for i in range(25):
        services.comment_create(actor=world.users["requester"], work_order=work_order, body=f"more {i}")
    assert client.get(url).json()["count"] == 30
    thirty = _count_queries(client, url)
    assert_flat("tickets.api.work_order_events", five, thirty)


def test_other_list_endpoints_keep_a_fixed_query_count(world, api, make_work_order):
    work_order = make_work_order()
    services.comment_create(actor=world.users["requester"], work_order=work_order, body="first")
    attach(world, work_order)
    client = api("client_admin")
    urls = {
        "/api/v1/services/": "catalog.api.services",
        "/api/v1/calendars/": "catalog.api.calendars",
        "/api/v1/sla-policies/": "catalog.api.sla_policies",
        "/api/v1/users/": "tenancy.api.users",
        f"/api/v1/work-orders/{work_order.pk}/comments/": "tickets.api.comments",
        f"/api/v1/work-orders/{work_order.pk}/attachments/": "tickets.api.attachments",
        f"/api/v1/work-orders/{work_order.pk}/clocks/": "tickets.api.clocks",
        "/api/v1/audit-entries/": "audit.api.entries",
    }
    before = {url: _count_queries(client, url) for url in urls}
    for i in range(6):
        other = make_work_order(title=f"x{i}")
        services.comment_create(actor=world.users["vendor_agent"], work_order=work_order, body=f"c{i}")
        services.comment_create(actor=world.users["vendor_agent"], work_order=other, body=f"c{i}")
        attach(world, work_order)
    calendar_24x7_more(world)
    after = {url: _count_queries(client, url) for url in urls}
    for url, pinned in urls.items():
        assert_flat(pinned, before[url], after[url])


def attach(world, work_order):
    upload = SimpleUploadedFile("p.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, content_type="image/png")
    services.attachment_create(actor=world.users["requester"], work_order=work_order, upload=upload)


def calendar_24x7_more(world):
    from tests.factories import ServiceFactory, calendar_24x7, policy_with_targets

    for i in range(3):
        calendar = calendar_24x7(world.org, name=f"extra {i}")
        ServiceFactory(
            organisation=world.org,
            vendor=world.vendor,
            sla_policy=policy_with_targets(world.org, calendar, code=f"extra{i}"),
            code=f"extra{i}",
        )
