"""Pages and API of the risk quantification: the forms, the run page with its figures and charts, the API,
and who sees what (client roles; vendors and requesters find nothing)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from oversight.risks.choices_quant import SimulationStatus
from oversight.risks.models import RiskQuantification, SimulationRun
from tests.query_counts import assert_flat, count_queries
from tests.risks.test_quant_services import make_risk, quantify

pytestmark = pytest.mark.django_db


def test_an_operator_quantifies_a_risk_on_its_page(client, world):
    risk = make_risk(world, "R-1")
    client.force_login(world.users["client_supervisor"])
    url = reverse("risks:quantification", args=[risk.pk])
    assert client.get(url).status_code == 200
    data = {"frequency": "bernoulli", "rate": "0.2", "severity": "pert", "low": "10000", "mode": "20000"}
    response = client.post(url, {**data, "high": "5000", "currency": "CNY"})
    assert response.status_code == 400
    assert "下限必须低于上限" in response.content.decode() or "lower bound" in response.content.decode()
    response = client.post(url, {**data, "high": "60000", "currency": "CNY"})
    assert response.status_code == 302
    assert RiskQuantification.objects.get(risk=risk).high == Decimal("60000")
    page = client.get(url).content.decode()
    assert "5,000.00" in page  # 0.2 × (10000 + 80000 + 60000) / 6
    assert url in client.get(reverse("risks:detail", args=[risk.pk])).content.decode()  # linked from the risk


def test_a_run_from_the_form_shows_its_figures_and_charts(client, world, django_capture_on_commit_callbacks):
    quantify(world, make_risk(world, "R-1", vendor=world.vendor))
    quantify(world, make_risk(world, "R-2"), p="0.5", a="1000", m="4000", b="5000")
    client.force_login(world.users["client_admin"])
    assert client.get(reverse("risks:simulation_create")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("risks:simulation_create"), {"iterations": "10000", "seed": "99", "appetite": "20000"}
        )
    run = SimulationRun.objects.get()
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
    assert run.status == SimulationStatus.FINISHED and run.seed == 99
    page = client.get(run.get_absolute_url()).content.decode()
    assert "<svg" in page and "<polyline" in page and 'data-figure="prob_exceed"' in page
    # analytic mean shown with separators: 5,000.00 + 0.5·(1000 + 16000 + 5000)/6 = 6,833.33
    assert "¥6,833.33" in page
    assert "Desk Co" in page
    assert client.get(reverse("risks:simulation_list")).status_code == 200
    progress = client.get(reverse("risks:simulation_progress", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert progress.status_code == 200 and "hx-trigger" not in progress.content.decode()


def test_bad_run_input_is_a_form_error_not_a_500(client, world):
    client.force_login(world.users["client_admin"])
    response = client.post(reverse("risks:simulation_create"), {"iterations": "10000"})
    assert response.status_code == 400  # no quantified risk


def test_vendors_and_requesters_find_nothing(client, world, django_capture_on_commit_callbacks):
    risk = make_risk(world, "R-1")
    quantify(world, risk)
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(world.users["client_admin"])
        client.post(reverse("risks:simulation_create"), {"iterations": "10000"})
    run = SimulationRun.objects.get()
    for role in ("vendor_manager", "vendor_agent", "requester", "foreign_admin"):
        client.force_login(world.users[role])
        for url in (
            reverse("risks:quantification", args=[risk.pk]),
            run.get_absolute_url(),
            reverse("api:risk-simulation-detail", args=[run.pk]),
        ):
            assert client.get(url).status_code in (403, 404), (role, url)
        listing = client.get(reverse("api:risk-simulation-list"))
        if role == "foreign_admin":
            assert listing.json()["results"] == []
        else:  # vendor staff and requesters are refused the API as the register's and the triggers' (403)
            assert listing.status_code == 403
    client.force_login(world.users["auditor"])
    assert client.get(run.get_absolute_url()).status_code == 200
    assert client.post(reverse("risks:simulation_create"), {"iterations": "10000"}).status_code == 403


def test_api_quantifies_and_runs(client, world, django_capture_on_commit_callbacks):
    risk = make_risk(world, "R-1")
    client.force_login(world.users["client_supervisor"])
    bad = client.post(
        reverse("api:risk-quantification-list"),
        {"risk": risk.pk, "frequency": "bernoulli", "rate": "2", "severity": "pert", "low": 1, "mode": 2, "high": 3},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "rate"
    ok = client.post(
        reverse("api:risk-quantification-list"),
        {"risk": risk.pk, "frequency": "bernoulli", "rate": "0.5", "severity": "pert", "low": 1, "mode": 2, "high": 3},
        content_type="application/json",
    )
    assert ok.status_code == 201 and ok.json()["risk_number"] == "R-1"
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(reverse("api:risk-simulation-list"), {"seed": 5}, content_type="application/json")
    assert created.status_code == 201
    detail = client.get(reverse("api:risk-simulation-detail", args=[created.json()["id"]])).json()
    assert detail["status"] == "finished" and detail["seed"] == 5
    assert detail["result"]["analytic_mean"] == pytest.approx(0.5 * (1 + 8 + 3) / 6)
    client.force_login(world.users["executive"])
    refused = client.post(reverse("api:risk-simulation-list"), {}, content_type="application/json")
    assert refused.status_code == 403


def test_list_query_counts_do_not_grow_with_the_runs(client, world):
    from oversight.risks import simulation as services

    client.force_login(world.users["client_admin"])
    for i in range(2):
        quantify(world, make_risk(world, f"R-{i}", vendor=world.vendor))
    services.simulation_create(actor=world.users["client_admin"], vendor=world.vendor, seed=1)

    def measure():
        counts = []
        for name in ("risks:simulation_list", "api:risk-simulation-list", "api:risk-quantification-list"):
            with count_queries() as captured:
                assert client.get(reverse(name)).status_code == 200
            counts.append(len(captured))
        return counts

    few = measure()
    for i in range(2, 6):
        quantify(world, make_risk(world, f"R-{i}"))
        services.simulation_create(actor=world.users["client_supervisor"], seed=i)
    more = measure()
    for name, a, b in zip(
        ("risks.simulations", "risks.api.simulations", "risks.api.quantifications"), few, more, strict=True
    ):
        assert_flat(name, a, b)


def test_a_queued_run_shows_its_progress_and_the_fragment_keeps_polling(client, world):
    from oversight.risks import simulation as services

    quantify(world, make_risk(world, "R-1"))
    run = services.simulation_create(actor=world.users["client_admin"], seed=4)  # the job has not run (no commit)
    SimulationRun.objects.filter(pk=run.pk).update(progress=60)
    client.force_login(world.users["executive"])
    page = client.get(run.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 1s"' in page and 'value="60"' in page and "data-figure" not in page
    fragment = client.get(reverse("risks:simulation_progress", args=[run.pk])).content.decode()
    assert reverse("risks:simulation_progress", args=[run.pk]) in fragment and "60%" in fragment
