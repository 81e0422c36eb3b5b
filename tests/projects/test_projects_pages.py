"""The project pages: the list with its lights, the project with every figure and its "how computed" note, the
charts, and the forms (progress by the vendor owner, costs, plan, re-baseline and its approval), in both
languages, with 404 for a project the reader may not see."""

from __future__ import annotations

import re
from decimal import Decimal

from django.urls import reverse

from oversight.projects import services
from oversight.projects.models import Baseline, CostEntry, ProgressRecord, WorkPackage
from tests.projects.conftest import day
from tests.projects.test_projects_services import record_first_week

D = Decimal


def _as(client, user):
    client.force_login(user)
    return client


def test_list_shows_lights_and_hides_other_vendors(world, client, started):
    record_first_week(world, started)
    page = _as(client, world.users["client_supervisor"]).get(reverse("projects:list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert started.project.number in html
    assert 'light-yellow" data-testid="spi-light">0.9375' in html
    assert 'light-red" data-testid="cpi-light">0.8824' in html
    other = _as(client, world.users["other_vendor_manager"]).get(reverse("projects:list"))
    assert started.project.number not in other.content.decode()


def test_project_page_in_both_languages(world, client, started):
    record_first_week(world, started)
    user = world.users["vendor_agent"]
    c = _as(client, user)
    url = reverse("projects:detail", args=[started.project.pk])
    html = c.get(url).content.decode()
    user.language = "zh-hans"
    user.save(update_fields=["language"])
    zh = c.get(url).content.decode()
    assert "SPI = EV ÷ PV" in html and "EAC = BAC ÷ CPI" in html
    assert "¥4,533.33" in zh  # EAC = 4 000 · 1 700 / 1 500
    assert "挣值" in zh and "进度绩效指数" in zh
    assert 'data-testid="s-curve"' in zh and "<svg" in zh
    # no English figure names on the Chinese page
    assert "Planned value" not in zh and "How computed" not in zh
    assert re.search(r"project-light\">[^<]*红灯", zh)


def test_other_vendor_and_organisation_get_404(world, client, started):
    url = reverse("projects:detail", args=[started.project.pk])
    for role in ("other_vendor_manager", "foreign_admin"):
        assert _as(client, world.users[role]).get(url).status_code == 404
    assert _as(client, world.users["requester"]).get(url).status_code == 403


def test_vendor_owner_records_progress_from_the_page(world, client, started):
    c = _as(client, world.users["vendor_agent"])
    url = reverse("projects:progress", args=[started.project.pk])
    response = c.post(
        url,
        {
            "status_date": "2026-11-04",
            f"started_{started.requirements.pk}": "on",
            f"percent_{started.requirements.pk}": "60",
        },
    )
    assert response.status_code == 302
    record = ProgressRecord.objects.get(project=started.project, status_date=day(11, 4))
    assert record.lines.get().percent_complete == D(60)
    # bad input: a clear error, never a 500
    assert c.post(url, {"status_date": "not a date"}).status_code == 400
    assert c.post(url, {"status_date": "2026-11-04", f"percent_{started.requirements.pk}": "150"}).status_code == 400
    # another vendor's agent cannot even find it
    assert _as(client, world.users["other_vendor_agent"]).post(url, {"status_date": "2026-11-04"}).status_code == 404


def test_operator_forms(world, client, started):
    c = _as(client, world.users["client_admin"])
    pk = started.project.pk
    response = c.post(
        reverse("projects:cost_create", args=[pk]),
        {"incurred_on": "2026-11-03", "amount": "250.00", "description": "Licences"},
    )
    assert response.status_code == 302 and CostEntry.objects.filter(project=started.project).count() == 1
    response = c.post(
        reverse("projects:work_package_create", args=[pk]),
        {
            "code": "3",
            "name": "Training",
            "planned_start": "2026-11-30",
            "planned_finish": "2026-12-04",
            "budget": "500",
            "ev_method": "0_100",
        },
    )
    assert response.status_code == 302 and WorkPackage.objects.filter(project=started.project, code="3").exists()
    bad = c.post(reverse("projects:work_package_create", args=[pk]), {"code": "", "name": ""})
    assert bad.status_code == 400
    services.project_update(actor=world.users["client_admin"], project=started.project, bac=D(4500))
    c.post(reverse("projects:baseline_request", args=[pk]), {"reason": "Training added"})
    request = Baseline.objects.get(project=started.project, number=2)
    # an administrator is not the supervisor who approves
    c.post(reverse("projects:baseline_decide", args=[request.pk]), {"action": "approve"})
    request.refresh_from_db()
    assert request.status == "requested"
    s = _as(client, world.users["client_supervisor"])
    s.post(reverse("projects:baseline_decide", args=[request.pk]), {"action": "approve", "note": "ok"})
    request.refresh_from_db()
    assert request.status == "approved"


def test_the_progress_form_names_each_deliverable_in_the_readers_language(world, client, planned):
    WorkPackage.objects.filter(pk=planned.requirements.pk).update(name="需求分析", name_en="Requirements analysis")
    services.project_transition(actor=world.users["client_supervisor"], project=planned.project, action="start")
    user = world.users["vendor_agent"]
    c = _as(client, user)
    url = reverse("projects:detail", args=[planned.project.pk])
    for language, shown, hidden in (
        ("en", "Requirements analysis", "需求分析"),
        ("zh-hans", "需求分析", "Requirements analysis"),
    ):
        user.language = language
        user.save(update_fields=["language"])
        html = c.get(url).content.decode()
        row = html.split(f'name="started_{planned.requirements.pk}"')[0].rsplit("<tr>", 1)[1]
        assert shown in row and hidden not in row, language
