"""The feedback API: ratings (read-only, scoped), complaints with POST transitions, prize draws; the schema
documents every endpoint without warnings; list endpoints keep a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator

from oversight.core import clock
from oversight.feedback.models import Complaint, PrizeDraw
from tests.factories import UserFactory
from tests.query_counts import assert_flat, count_queries


@pytest.fixture
def three_ratings(world, resolve, rate):
    """Ratings of vendor 1 (requester: 5 stars; requester_2: 1 star) and vendor 2 (other_requester: 2 stars)."""
    return {
        "mine": rate(resolve(), stars=5),
        "colleague": rate(resolve(requester="requester_2"), stars=1, comment="Late"),
        "other_vendor": rate(resolve(requester="other_requester", service=world.other_service), stars=2),
    }


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        ("client_supervisor", {"mine", "colleague", "other_vendor"}),
        ("auditor", {"mine", "colleague", "other_vendor"}),
        ("vendor_manager", {"mine", "colleague"}),
        ("vendor_agent", {"mine", "colleague"}),
        ("other_vendor_agent", {"other_vendor"}),
        ("requester", {"mine"}),
        ("requester_2", {"colleague"}),
        ("foreign_admin", set()),
    ],
)
def test_ratings_are_scoped_to_the_user(world, api, three_ratings, role, visible):
    client = api(role)
    body = client.get("/api/v1/ratings/?page_size=100").json()
    ids = {row["id"] for row in body["results"]}
    assert ids == {three_ratings[key].pk for key in visible}
    assert body["count"] == len(visible)
    for key, rating in three_ratings.items():
        response = client.get(f"/api/v1/ratings/{rating.pk}/")
        assert response.status_code == (200 if key in visible else 404)
    assert client.post("/api/v1/ratings/", {"stars": 5}, format="json").status_code in (403, 405)


def test_rating_filters(world, api, three_ratings):
    client = api("client_supervisor")
    low = client.get("/api/v1/ratings/?stars=1&stars=2").json()
    assert {row["id"] for row in low["results"]} == {three_ratings["colleague"].pk, three_ratings["other_vendor"].pk}
    commented = client.get("/api/v1/ratings/?with_comment=true").json()
    assert [row["id"] for row in commented["results"]] == [three_ratings["colleague"].pk]
    by_vendor = client.get(f"/api/v1/ratings/?vendor={world.other_vendor.pk}").json()
    assert [row["stars"] for row in by_vendor["results"]] == [2]


def test_complaints_api_for_the_supervisor(world, api, three_ratings):
    complaint = Complaint.objects.get(rating=three_ratings["colleague"])
    client = api("client_supervisor")
    listing = client.get("/api/v1/complaints/").json()
    assert {row["id"] for row in listing["results"]} == set(Complaint.objects.values_list("pk", flat=True))
    detail = client.get(f"/api/v1/complaints/{complaint.pk}/").json()
    assert detail["status"] == "open" and detail["rating"]["stars"] == 1
    assert detail["allowed_actions"] == ["investigate", "resolve"]
    assert detail["events"][0]["kind"] == "opened"
    url = f"/api/v1/complaints/{complaint.pk}/transitions"
    assert client.post(f"{url}/close/", {}, format="json").status_code == 409
    assert client.post(f"{url}/resolve/", {"text": ""}, format="json").status_code == 400
    assert client.post(f"{url}/bogus/", {}, format="json").status_code == 404
    stale = client.post(f"{url}/investigate/?expected_version=99", {}, format="json")
    assert stale.status_code == 412 and stale.json()["error"]["code"] == "conflict"
    moved = client.post(f"{url}/investigate/?expected_version=1", {"text": "On it"}, format="json")
    assert moved.status_code == 200 and moved.json()["status"] == "investigating"
    resolved = client.post(f"{url}/resolve/", {"text": "Coached"}, format="json").json()
    assert resolved["status"] == "resolved" and resolved["resolution"] == "Coached"
    refused = client.post(f"{url}/resolve/", {"text": "x", "status": "closed"}, format="json")
    assert refused.status_code == 400  # no mass assignment
    assign = client.post(
        f"/api/v1/complaints/{complaint.pk}/assign/", {"assignee": world.users["client_admin"].pk}, format="json"
    )
    assert assign.status_code == 200 and assign.json()["assignee"]["id"] == world.users["client_admin"].pk
    foreign = client.post(
        f"/api/v1/complaints/{complaint.pk}/assign/", {"assignee": world.users["foreign_admin"].pk}, format="json"
    )
    assert foreign.status_code == 400


def test_a_supervisor_opens_a_complaint_through_the_api(world, api, resolve):
    work_order = resolve()
    client = api("client_supervisor")
    created = client.post(
        "/api/v1/complaints/",
        {"work_order": work_order.pk, "summary": "Hotline call", "source": "hotline"},
        format="json",
    )
    assert created.status_code == 201 and created.json()["source"] == "hotline"
    foreign = resolve(requester="foreign_requester", service=world.foreign_service)
    invisible = client.post("/api/v1/complaints/", {"work_order": foreign.pk, "summary": "x"}, format="json")
    assert invisible.status_code == 400
    vendor = api("vendor_manager").post(
        "/api/v1/complaints/", {"work_order": work_order.pk, "summary": "x"}, format="json"
    )
    assert vendor.status_code == 403
    assert api("auditor").post("/api/v1/complaints/", {"work_order": work_order.pk, "summary": "x"}).status_code == 403
    assert Complaint.objects.count() == 1


def test_the_vendor_reads_and_answers_its_complaints_only(world, api, three_ratings):
    own = Complaint.objects.get(rating=three_ratings["colleague"])
    other = Complaint.objects.get(rating=three_ratings["other_vendor"])
    client = api("vendor_manager")
    assert {row["id"] for row in client.get("/api/v1/complaints/").json()["results"]} == {own.pk}
    assert client.get(f"/api/v1/complaints/{other.pk}/").status_code == 404
    assert client.post(f"/api/v1/complaints/{other.pk}/comments/", {"body": "x"}, format="json").status_code == 404
    assert client.post(f"/api/v1/complaints/{other.pk}/transitions/resolve/", {"text": "x"}).status_code == 404
    detail = client.get(f"/api/v1/complaints/{own.pk}/").json()
    assert detail["allowed_actions"] == []
    answered = client.post(f"/api/v1/complaints/{own.pk}/comments/", {"body": "Retrained"}, format="json")
    assert answered.status_code == 201 and answered.json()["events"][-1]["body"] == "Retrained"
    internal = client.post(f"/api/v1/complaints/{own.pk}/comments/", {"body": "x", "is_internal": True}, format="json")
    assert internal.status_code == 403
    assert client.post(f"/api/v1/complaints/{own.pk}/transitions/investigate/", {}, format="json").status_code == 403
    assert api("requester").get("/api/v1/complaints/").status_code == 403
    assert api("requester").get(f"/api/v1/complaints/{own.pk}/").status_code == 403


def test_prize_draws_through_the_api(world, api, resolve, rate):
    people = [UserFactory(username=f"p{i}", organisation=world.org, role="requester") for i in range(4)]
    start = dt.datetime(2026, 1, 10, 2, 0, tzinfo=dt.UTC)
    for person in people:
        with clock.frozen_at(start):
            rate(resolve(requester=person), stars=4)
    client = api("client_supervisor")
    with clock.frozen_at(dt.datetime(2026, 4, 3, tzinfo=dt.UTC)):
        created = client.post(
            "/api/v1/prize-draws/",
            {"year": 2026, "quarter": 1, "winners_count": 2, "seed_source": "CWL"},
            format="json",
        )
        assert created.status_code == 201, created.json()
        draw_id = created.json()["id"]
        assert created.json()["participants_count"] == 4
        drawn = client.post(f"/api/v1/prize-draws/{draw_id}/draw/", {"seed": "03 11 19"}, format="json")
    assert drawn.status_code == 200 and len(drawn.json()["winners"]) == 2
    assert {w["name"] for w in drawn.json()["winners"]} <= {str(p) for p in people}
    verify = client.get(f"/api/v1/prize-draws/{draw_id}/verify/").json()
    assert verify["winners_match"] is True and verify["digest_matches"] is True
    assert verify["winners"] == [w["id"] for w in drawn.json()["winners"]]
    again = client.post(f"/api/v1/prize-draws/{draw_id}/draw/", {"seed": "other"}, format="json")
    assert again.status_code == 409
    assert api("vendor_manager").get("/api/v1/prize-draws/").status_code == 403
    assert api("requester").get(f"/api/v1/prize-draws/{draw_id}/").status_code == 403
    assert api("foreign_admin").get(f"/api/v1/prize-draws/{draw_id}/").status_code == 404
    assert api("auditor").get(f"/api/v1/prize-draws/{draw_id}/").status_code == 200
    assert api("auditor").post(f"/api/v1/prize-draws/{draw_id}/draw/", {"seed": "x"}).status_code == 403
    assert PrizeDraw.objects.get().winners == verify["winners"]


FEEDBACK_PATHS = {
    "/api/v1/ratings/",
    "/api/v1/ratings/{id}/",
    "/api/v1/complaints/",
    "/api/v1/complaints/{id}/",
    "/api/v1/complaints/{id}/assign/",
    "/api/v1/complaints/{id}/comments/",
    "/api/v1/complaints/{id}/transitions/{transition}/",
    "/api/v1/prize-draws/",
    "/api/v1/prize-draws/{id}/",
    "/api/v1/prize-draws/{id}/draw/",
    "/api/v1/prize-draws/{id}/verify/",
}


def test_the_schema_documents_the_feedback_endpoints_without_warnings():
    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    warnings = list(GENERATOR_STATS._warn_cache) + list(GENERATOR_STATS._error_cache)
    GENERATOR_STATS.reset()
    assert FEEDBACK_PATHS <= set(schema["paths"])
    operation = schema["paths"]["/api/v1/complaints/{id}/transitions/{transition}/"]["post"]
    params = {p["name"]: p for p in operation["parameters"]}
    assert sorted(params["transition"]["schema"]["enum"]) == ["close", "investigate", "reopen", "resolve"]
    assert "412" in operation["responses"] and "409" in operation["responses"]
    assert set(schema["paths"]["/api/v1/ratings/{id}/"]) == {"get"}
    components = schema["components"]["schemas"]
    for name in ("ComplaintStatusEnum", "RatingChannelEnum", "DrawStatusEnum", "ComplaintEventKindEnum"):
        assert name in components
    ours = ("Complaint", "Rating", "PrizeDraw", "Draw", '"status"', '"channel"', '"source"', '"stars"', '"quarter"')
    assert [w for w in warnings if any(word in str(w) for word in ours)] == []


def _queries(client, url) -> int:
    with count_queries() as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("url", "pinned"),
    [
        ("/api/v1/ratings/?page_size=100", "feedback.api.ratings"),
        ("/api/v1/complaints/?page_size=100", "feedback.api.complaints"),
    ],
)
def test_list_endpoints_keep_a_fixed_query_count(world, api, resolve, rate, url, pinned):
    client = api("client_supervisor")
    for stars in (1, 2):
        rate(resolve(title=f"first {stars}"), stars=stars)
    few = _queries(client, url)
    for i in range(8):
        rate(resolve(requester="requester_2" if i % 2 else "requester", title=f"more {i}"), stars=1 + i % 2)
    assert_flat(pinned, few, _queries(client, url))
