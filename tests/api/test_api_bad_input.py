"""Absurd input to the API is a 400 or a 404 with the one error body, never a 500 (issue 8).

Oversized integers in id filters overflowed SQLite; a non-numeric id on a detail route reached the database;
a negative page size was silently ignored."""

from __future__ import annotations

import importlib

import django_filters
import pytest

from oversight.core.filters import FilterSet

HUGE = "99999999999999999999"

FILTERS = [
    ("client_supervisor", f"/api/v1/services/?vendor={HUGE}"),
    ("client_supervisor", f"/api/v1/services/?category={HUGE}"),
    ("client_supervisor", f"/api/v1/users/?vendor={HUGE}"),
    ("client_supervisor", f"/api/v1/sites/?parent={HUGE}"),
    ("client_supervisor", f"/api/v1/teams/?vendor={HUGE}"),
    ("client_supervisor", f"/api/v1/offerings/?service={HUGE}"),
    ("auditor", f"/api/v1/audit-entries/?actor={HUGE}"),
    ("vendor_agent", f"/api/v1/services/?vendor=-{HUGE}"),
    ("vendor_agent", "/api/v1/services/?vendor=1e99"),
    ("vendor_agent", "/api/v1/teams/?vendor=1.5"),
    ("client_supervisor", "/api/v1/evaluation-periods/?year=1e99"),
]


@pytest.mark.parametrize(("role", "url"), FILTERS)
def test_oversized_or_non_integer_id_filter_is_a_400(api, role, url):
    response = api(role).get(url)
    assert response.status_code == 400, response.content
    field = url.split("?")[1].split("=")[0]
    assert response.json()["error"]["code"] == "invalid"
    assert field in response.json()["error"]["fields"]


def test_an_id_filter_within_range_still_filters(api, world):
    response = api("client_supervisor").get(f"/api/v1/services/?vendor={world.vendor.pk}")
    assert response.status_code == 200
    assert {row["id"] for row in response.json()["results"]} == {world.service.pk}
    assert api("client_supervisor").get("/api/v1/services/?vendor=9223372036854775807").json()["count"] == 0


@pytest.mark.parametrize("size", ["-62366120782", "0", "abc", "1.5", HUGE[:1] + "e9"])
def test_a_page_size_that_is_not_a_positive_whole_number_is_a_400(api, size):
    response = api("client_supervisor").get(f"/api/v1/services/?page_size={size}")
    assert response.status_code == 400
    assert "page_size" in response.json()["error"]["fields"]


def test_a_huge_page_size_is_capped_not_refused(api):
    response = api("client_supervisor").get(f"/api/v1/services/?page_size={HUGE}")
    assert response.status_code == 200


PORTFOLIO = [
    "/api/v1/portfolio-vendors/abc/",
    "/api/v1/portfolio-vendors/abc/tier-changes/",
    "/api/v1/portfolio-vendors/abc/monthly-scores/",
    "/api/v1/portfolio-vendors/abc/compliance/",
    "/api/v1/portfolio-qualifications/abc/",
    "/api/v1/work-orders/abc/",
    "/api/v1/work-orders/abc/events/",
    "/api/v1/contracts/1x/",
]


@pytest.mark.parametrize("url", PORTFOLIO)
def test_a_non_numeric_id_on_a_detail_route_is_a_404(api, url):
    response = api("client_supervisor").get(url)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_posting_to_a_non_numeric_portfolio_id_is_a_404(api):
    response = api("client_supervisor").post("/api/v1/portfolio-vendors/abc/set-tier/", {}, format="json")
    assert response.status_code == 404


def test_every_filterset_derives_from_the_bounded_base():
    """A FilterSet on django-filter's own base would parse ids as decimals again (the 500 above)."""
    for module in ("oversight.api_urls", "oversight.urls"):  # every view, hence every FilterSet
        importlib.import_module(module)

    def walk(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from walk(sub)

    ours = [cls for cls in walk(django_filters.FilterSet) if cls.__module__.startswith("oversight.")]
    assert len(ours) >= 10
    strays = [f"{cls.__module__}.{cls.__name__}" for cls in ours if not issubclass(cls, FilterSet)]
    assert strays == []


def test_a_post_to_an_unknown_api_address_is_the_json_404_not_the_csrf_page(world):
    """A session client without a CSRF cookie got Django's HTML 403 page from the catch-all route."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["client_supervisor"])
    response = client.post("/api/v1/notifications/abc/read/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_download_error_is_json_and_says_so(api, world):
    """?format=bin (or Accept: application/octet-stream) chose the file renderer: the JSON error was labelled a file."""
    for url in ("/api/v1/attachments/987654321/download/?format=bin", "/api/v1/contract-documents/987654321/download/"):
        response = api("client_supervisor").get(url, HTTP_ACCEPT="application/octet-stream")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json()["error"]["code"] == "not_found"


def test_a_body_with_too_many_fields_is_a_json_400(api):
    """More form fields than DATA_UPLOAD_MAX_NUMBER_FIELDS: Django's HTML 400 page answered the API client."""
    body = "&".join(f"f{i}=1" for i in range(1200))
    response = api("client_supervisor").post(
        "/api/v1/notifications/read-all/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "invalid"
