"""Who sees and who does what: the client side sees all, a vendor only its own published periods (404 otherwise),
requesters nothing; only the vendor manager disputes and countersigns; only the client side signs first, locks,
enters manual values and changes weights; executives and auditors only read."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from oversight.core import clock
from oversight.core.errors import InvalidTransition, NotAllowed
from oversight.scorecards import selectors, services
from oversight.scorecards.models import EvaluationPeriod
from tests.scorecards.conftest import EVAL_AT, open_period, simple_indicators

D = Decimal
HOUR = dt.timedelta(hours=1)
CLIENT = ("client_admin", "client_supervisor", "executive", "auditor")


def api(world, role) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=world.users[role])
    return client


@pytest.fixture
def published(world, q3):
    with clock.frozen_at(EVAL_AT + HOUR):
        return services.period_publish(period=q3, actor=world.users["client_supervisor"])


@pytest.fixture
def other_period(world, other_contract):
    services.scheme_version_create(
        contract=other_contract,
        actor=world.users["client_admin"],
        settings=services.SchemeSettings(name="Other"),
        indicators=simple_indicators(),
    )
    period = open_period(world, other_contract)
    with clock.frozen_at(EVAL_AT + HOUR):
        return services.period_publish(period=period, actor=world.users["client_supervisor"])


@pytest.mark.parametrize("role", CLIENT)
def test_client_roles_see_every_period_of_their_organisation(world, published, other_period, role):
    visible = set(selectors.period_list(user=world.users[role]).values_list("pk", flat=True))
    assert visible == {published.pk, other_period.pk}


def test_a_vendor_sees_only_its_own_published_periods(world, q3, other_period):
    manager = world.users["vendor_manager"]
    assert not selectors.period_list(user=manager).exists()  # q3 is still a draft
    with clock.frozen_at(EVAL_AT + HOUR):
        services.period_publish(period=q3, actor=world.users["client_supervisor"])
    for role in ("vendor_manager", "vendor_agent"):
        assert list(selectors.period_list(user=world.users[role])) == [EvaluationPeriod.objects.get(pk=q3.pk)]
    assert list(selectors.period_list(user=world.users["other_vendor_manager"])) == [other_period]


@pytest.mark.parametrize("role", ["requester", "foreign_admin", "foreign_requester"])
def test_requesters_and_other_organisations_see_none(world, published, role):
    assert not selectors.period_list(user=world.users[role]).exists()


@pytest.mark.parametrize("role", ["other_vendor_manager", "other_vendor_agent", "requester", "foreign_admin"])
def test_invisible_periods_are_404_on_every_page_and_endpoint(world, published, client, role):
    client.force_login(world.users[role])
    result = published.results.first()
    commitment = published.commitment_results.first()
    for url in (
        reverse("scorecards:period", args=[published.pk]),
        reverse("scorecards:result", args=[result.pk]),
        reverse("scorecards:commitment_result", args=[commitment.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("scorecards:sign", args=[published.pk])).status_code == 404
    rest = api(world, role)
    base = f"/api/v1/evaluation-periods/{published.pk}/"
    for url in (
        base,
        base + "results/",
        base + "commitments/",
        base + "events/",
        base + "drilldown/?indicator=response",
    ):
        assert rest.get(url).status_code == 404, url
    for action in ("sign", "lock", "publish", "recompute"):
        assert rest.post(base + f"{action}/").status_code == 404
    assert rest.get("/api/v1/evaluation-periods/").json()["count"] == 0


def test_a_vendor_gets_404_for_a_draft(world, q3, client):
    client.force_login(world.users["vendor_manager"])
    assert client.get(reverse("scorecards:period", args=[q3.pk])).status_code == 404
    assert api(world, "vendor_manager").get(f"/api/v1/evaluation-periods/{q3.pk}/").status_code == 404


@pytest.mark.parametrize("role", ["vendor_agent", "client_supervisor", "client_admin", "executive"])
def test_only_the_vendor_manager_disputes(world, published, role):
    with clock.frozen_at(EVAL_AT + 2 * HOUR), pytest.raises(NotAllowed):
        services.dispute_open(period=published, actor=world.users[role], indicator_code="response", reason="x")


def test_another_vendors_manager_cannot_dispute_even_through_the_service(world, published):
    with clock.frozen_at(EVAL_AT + 2 * HOUR), pytest.raises(NotAllowed):
        services.dispute_open(
            period=published, actor=world.users["other_vendor_manager"], indicator_code="response", reason="x"
        )


def test_the_client_signs_first(world, published):
    with clock.frozen_at(EVAL_AT + 2 * HOUR), pytest.raises(InvalidTransition):
        services.period_sign(period=published, actor=world.users["vendor_manager"])
    assert EvaluationPeriod.objects.get(pk=published.pk).status == "published"
    response = api(world, "vendor_manager").post(f"/api/v1/evaluation-periods/{published.pk}/sign/")
    assert response.status_code == 409


@pytest.mark.parametrize("role", ["vendor_manager", "vendor_agent", "executive", "auditor"])
def test_only_client_operators_sign_lock_publish_and_enter_manual_values(world, q3, role):
    actor = world.users[role]
    for attempt in (
        lambda: services.period_publish(period=q3, actor=actor),
        lambda: services.period_lock(period=q3, actor=actor),
        lambda: services.period_sign_client(period=q3, actor=actor),
        lambda: services.period_compute(period=q3, actor=actor),
        lambda: services.manual_entry_create(period=q3, actor=actor, indicator_code="response", value=1),
        lambda: services.period_revise(period=q3, actor=actor, reason="x"),
    ):
        with pytest.raises(NotAllowed):
            attempt()


@pytest.mark.parametrize("role", ["client_supervisor", "vendor_manager", "executive"])
def test_only_client_admins_change_weights(world, contract, role):
    with pytest.raises(NotAllowed):
        services.scheme_version_create(
            contract=contract,
            actor=world.users[role],
            settings=services.SchemeSettings(name="x"),
            indicators=simple_indicators(),
        )


def test_only_the_vendor_manager_countersigns(world, published):
    with clock.frozen_at(EVAL_AT + 2 * HOUR):
        period = services.period_sign(period=published, actor=world.users["client_supervisor"])
    for role in ("vendor_agent", "other_vendor_manager"):
        with pytest.raises(NotAllowed):
            services.period_sign_vendor(period=period, actor=world.users[role])
    # The client cannot sign twice for both sides.
    again = services.period_sign(period=period, actor=world.users["client_admin"])
    assert again.status == "signed_client"


def test_read_only_roles_get_403_on_writes_through_the_api(world, published):
    for role in ("executive", "auditor"):
        response = api(world, role).post(f"/api/v1/evaluation-periods/{published.pk}/sign/")
        assert response.status_code == 403


def test_the_html_actions_map_refusals_to_status_codes(world, published, client):
    client.force_login(world.users["vendor_agent"])
    response = client.post(reverse("scorecards:lock", args=[published.pk]))
    assert response.status_code == 403
    client.force_login(world.users["vendor_manager"])
    response = client.post(reverse("scorecards:sign", args=[published.pk]))
    assert response.status_code == 409
    assert EvaluationPeriod.objects.get(pk=published.pk).status == "published"


def test_evidence_downloads_only_after_the_permission_check(world, contract, template_scheme, client):
    period = open_period(world, contract)
    with clock.frozen_at(EVAL_AT + HOUR):
        entry = services.manual_entry_create(
            period=period,
            actor=world.users["client_supervisor"],
            indicator_code="dress_badge",
            value=1,
            files=[SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "image/png")],
        )
    evidence = entry.evidence.get()
    url = reverse("scorecards:evidence", args=[evidence.pk])
    client.force_login(world.users["client_supervisor"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert not str(evidence.file.name).endswith("photo.png")  # stored under a random name
    # The period is a draft: the vendor may not even learn it exists.
    for role in ("vendor_manager", "other_vendor_manager", "requester"):
        client.force_login(world.users[role])
        assert client.get(url).status_code == 404
        assert api(world, role).get(f"/api/v1/evaluation-evidence/{evidence.pk}/download/").status_code == 404


def test_requesters_and_agents_have_no_evaluation_pages(world, client):
    client.force_login(world.users["requester"])
    assert client.get(reverse("scorecards:list")).status_code == 403
    assert client.get(reverse("scorecards:trends")).status_code == 403
    client.force_login(world.users["vendor_agent"])
    assert client.get(reverse("scorecards:list")).status_code == 200
