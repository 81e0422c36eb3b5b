"""One access rule over every risk API route (register, quantification, triggers): the client side reads, vendor
staff and requesters get 403 before anything is read (lists, objects and writes alike), another organisation's
objects are 404."""

from __future__ import annotations

import pytest

from oversight.risks.models import SimulationRun
from oversight.risks.simulation import simulation_create
from tests.risks.test_quant_services import make_risk, quantify

pytestmark = pytest.mark.django_db

LISTS = (
    "/api/v1/risks/",
    "/api/v1/risk-mitigations/",
    "/api/v1/risk-matrix-versions/",
    "/api/v1/risk-quantifications/",
    "/api/v1/risk-simulations/",
    "/api/v1/kris/",
    "/api/v1/risk-events/",
    "/api/v1/vendor-states/",
)
REFUSED = ("vendor_manager", "vendor_agent", "requester")


@pytest.fixture
def quantified(world):
    risk = make_risk(world, "R-1", vendor=world.vendor)
    q = quantify(world, risk)
    run = simulation_create(actor=world.users["client_admin"], seed=4)
    return risk, q, run


@pytest.mark.parametrize("role", REFUSED)
def test_vendor_staff_and_requesters_get_403_on_every_risk_list(api, world, role):
    client = api(role)
    for url in LISTS:
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("role", REFUSED)
def test_vendor_staff_and_requesters_get_403_on_quantification_objects_and_writes(api, world, quantified, role):
    risk, q, run = quantified
    client = api(role)
    assert client.get(f"/api/v1/risk-quantifications/{q.pk}/").status_code == 403
    assert client.get(f"/api/v1/risk-simulations/{run.pk}/").status_code == 403
    assert client.get(f"/api/v1/risks/{risk.pk}/").status_code == 403
    data = {"risk": risk.pk, "frequency": "bernoulli", "rate": "0.5", "severity": "pert", "low": 1, "high": 3}
    assert client.post("/api/v1/risk-quantifications/", data, format="json").status_code == 403
    assert client.post("/api/v1/risk-simulations/", {"seed": 1}, format="json").status_code == 403
    assert SimulationRun.objects.count() == 1


def test_the_client_side_reads_and_another_organisation_finds_nothing(api, world, quantified):
    _risk, q, run = quantified
    for role in ("client_admin", "client_supervisor", "executive", "auditor"):
        client = api(role)
        for url in LISTS:
            assert client.get(url).status_code == 200, (role, url)
        assert client.get(f"/api/v1/risk-simulations/{run.pk}/").status_code == 200
    foreign = api("foreign_admin")
    assert foreign.get("/api/v1/risk-simulations/").json()["results"] == []
    assert foreign.get(f"/api/v1/risk-simulations/{run.pk}/").status_code == 404
    assert foreign.get(f"/api/v1/risk-quantifications/{q.pk}/").status_code == 404
