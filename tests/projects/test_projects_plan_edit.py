"""Changing and deleting the plan: work packages and milestones are edited and deleted through the services (with
the plan's rules and an audit record), deleting is refused with a clear message while a baseline or progress
refers to them, a change after a baseline reaches the figures only through an approved re-baseline, and the
project page and the API do the same for the client's operators and refuse everyone else."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from oversight.audit.models import AuditEntry
from oversight.core.errors import ApplicationError, NotAllowed
from oversight.projects import evaluation, services
from oversight.projects.models import Milestone, WorkPackage
from tests.projects.conftest import day

D = Decimal
pytestmark = pytest.mark.usefixtures("english")


def test_a_work_package_is_changed_with_the_plan_rules_and_audited(world, planned):
    admin = world.users["client_admin"]
    changed = services.work_package_update(
        actor=admin, package=planned.build, name="Build and test", planned_finish=day(11, 30), budget=D(2000)
    )
    assert (changed.name, changed.planned_finish) == ("Build and test", day(11, 30))
    entry = AuditEntry.objects.get(action="projects.workpackage.changed", object_id=str(planned.build.pk))
    assert entry.before["name"] == "Build" and entry.after["name"] == "Build and test"
    assert "budget" not in entry.after  # only what changed is recorded
    # The same rules as when adding:
    for changes, words in (
        ({"planned_finish": day(11, 1)}, "planned finish"),
        ({"code": "1.1"}, "already used"),
        ({"planned_start": day(11, 12)}, "finish-to-start"),  # design (its predecessor) finishes on 11-13
        ({"parent": planned.build}, "part of itself"),
        ({"parent": planned.requirements}, "has a budget of its own"),
        ({"ev_method": "units"}, "units planned"),
        ({"budget": D(-1)}, "negative"),
    ):
        with pytest.raises(ApplicationError, match=words):
            services.work_package_update(actor=admin, package=planned.build, **changes)
    # A summary keeps no budget of its own, and a package may not move under one of its parts.
    with pytest.raises(ApplicationError, match="has parts"):
        services.work_package_update(actor=admin, package=planned.analysis, budget=D(10))
    review = services.work_package_create(
        actor=admin,
        project=planned.project,
        code="1.3",
        name="Review",
        parent=planned.analysis,
        planned_start=day(11, 9),
        planned_finish=day(11, 9),
    )
    with pytest.raises(ApplicationError, match="part of itself"):
        services.work_package_update(actor=admin, package=planned.analysis, parent=review)
    # Moving a predecessor's finish past its successor's start is refused from this side too.
    with pytest.raises(ApplicationError, match="starts after this one"):
        services.work_package_update(actor=admin, package=planned.design, planned_finish=day(11, 16))
    assert AuditEntry.objects.filter(action="projects.workpackage.changed").count() == 1


def test_only_the_clients_operators_change_the_plan(world, planned):
    for role in ("executive", "auditor", "vendor_manager", "vendor_agent"):
        with pytest.raises(NotAllowed):
            services.work_package_update(actor=world.users[role], package=planned.build, name="x")
        with pytest.raises(NotAllowed):
            services.milestone_delete(actor=world.users[role], milestone=planned.m1)
    with pytest.raises(NotAllowed):
        services.work_package_delete(actor=world.users["foreign_admin"], package=planned.build)


def test_deleting_in_planning_and_the_refusals(world, planned):
    admin = world.users["client_admin"]
    with pytest.raises(ApplicationError, match="Milestones are weighted"):
        services.work_package_delete(actor=admin, package=planned.build)
    with pytest.raises(ApplicationError, match="has parts"):
        services.work_package_delete(actor=admin, package=planned.analysis)
    with pytest.raises(ApplicationError, match="start after this one"):
        services.work_package_delete(actor=admin, package=planned.requirements)
    services.milestone_delete(actor=admin, milestone=planned.m1)
    assert AuditEntry.objects.get(action="projects.milestone.deleted", object_id=str(planned.m1.pk)).before["name"]
    services.milestone_delete(actor=admin, milestone=planned.m2)
    services.work_package_delete(actor=admin, package=planned.build)
    assert not WorkPackage.objects.filter(pk=planned.build.pk).exists()
    entry = AuditEntry.objects.get(action="projects.workpackage.deleted", object_id=str(planned.build.pk))
    assert entry.before["code"] == "2" and entry.before["depends_on"] == [planned.design.pk]


def test_after_a_baseline_nothing_it_holds_is_deleted_and_changes_wait_for_a_re_baseline(world, started):
    admin, supervisor = world.users["client_admin"], world.users["client_supervisor"]
    with pytest.raises(ApplicationError, match="Baseline 1 includes it"):
        services.milestone_delete(actor=admin, milestone=started.m1)
    with pytest.raises(ApplicationError, match="Baseline 1 includes it"):
        services.work_package_delete(actor=admin, package=started.requirements)
    # Changing the budget split is allowed, but the figures keep measuring against baseline 1 …
    services.work_package_update(actor=admin, package=started.requirements, budget=D(1500))
    services.work_package_update(actor=admin, package=started.build, budget=D(1500))
    services.milestone_update(actor=admin, milestone=started.m2, planned_date=day(11, 26), weight=D(2))
    started.project.refresh_from_db()
    figures = evaluation.evaluate(started.project, day(11, 6))
    assert figures.baseline.number == 1 and figures.figures.pv == D(1000)  # requirements fully planned by 11-06
    # … until a supervisor approves the re-baseline that carries them.
    request = services.baseline_request(actor=admin, project=started.project, reason="Requirements grew")
    services.baseline_decide(actor=supervisor, baseline=request, action="approve")
    figures = evaluation.evaluate(started.project, day(11, 6))
    assert figures.baseline.number == 2 and figures.figures.pv == D(1500)
    m2 = next(m for m in figures.milestones if m.milestone_id == started.m2.pk)
    assert (m2.planned_date, m2.weight) == (day(11, 26), D(2))
    # A package added after the baseline, with no progress yet, can still be deleted.
    december = {"planned_start": day(12, 1), "planned_finish": day(12, 1)}
    extra = services.work_package_create(actor=admin, project=started.project, code="3", name="Extra", **december)
    services.work_package_delete(actor=admin, package=extra)


def test_progress_blocks_deletion(world, started):
    admin = world.users["client_admin"]
    late = services.milestone_create(actor=admin, project=started.project, name="M3", planned_date=day(11, 11))
    services.progress_record(
        actor=admin,
        project=started.project,
        status_date=day(11, 11),
        lines=[{"work_package": started.requirements, "started": True, "percent_complete": D(10)}],
        milestones_reached={late.pk: day(11, 11)},
    )
    with pytest.raises(ApplicationError, match="reported reached"):
        services.milestone_delete(actor=admin, milestone=late)
    with pytest.raises(ApplicationError, match="Baseline 1 includes it"):
        services.work_package_delete(actor=admin, package=started.requirements)
    assert Milestone.objects.filter(pk=late.pk).exists()


def test_the_project_page_edits_and_deletes_with_clear_errors(client, world, started):
    client.force_login(world.users["client_admin"])
    page = client.get(started.project.get_absolute_url()).content.decode()
    edit_url = reverse("projects:work_package_edit", args=[started.build.pk])
    assert 'data-testid="plan-edit"' in page and edit_url in page
    assert client.get(edit_url).status_code == 200
    form = {
        "code": "2",
        "name": "Build",
        "planned_start": "2026-11-16",
        "planned_finish": "2026-11-10",
        "budget": "2000",
        "ev_method": "milestones",
    }
    response = client.post(edit_url, form)
    assert response.status_code == 400 and "planned finish must not be before" in response.content.decode()
    response = client.post(edit_url, {**form, "planned_finish": "2026-11-30", "name_en": "Build"})
    assert response.status_code == 302
    started.build.refresh_from_db()
    assert started.build.planned_finish == day(11, 30)
    assert list(started.build.depends_on.all()) == []  # the form's dependencies are what it sends
    response = client.post(reverse("projects:milestone_delete", args=[started.m1.pk]), follow=True)
    assert "Baseline 1 includes it" in response.content.decode()
    assert Milestone.objects.filter(pk=started.m1.pk).exists()
    milestone_url = reverse("projects:milestone_edit", args=[started.m1.pk])
    assert client.post(milestone_url, {"name": "M1", "planned_date": "bad", "weight": "1"}).status_code == 400
    ok = client.post(milestone_url, {"name": "M1a", "planned_date": "2026-11-19", "weight": "1"})
    assert ok.status_code == 302
    started.m1.refresh_from_db()
    assert (started.m1.name, started.m1.planned_date) == ("M1a", day(11, 19))
    # Readers and vendor staff see no edit controls and are refused the pages.
    for role in ("executive", "vendor_manager"):
        client.force_login(world.users[role])
        assert 'data-testid="plan-edit"' not in client.get(started.project.get_absolute_url()).content.decode()
        assert client.get(edit_url).status_code == 403
    client.force_login(world.users["foreign_admin"])
    assert client.get(edit_url).status_code == 404


def test_the_api_lists_adds_changes_and_deletes(api, world, planned):
    admin = api("client_admin")
    milestones = f"/api/v1/projects/{planned.project.pk}/milestones/"
    assert [m["name"] for m in admin.get(milestones).json()] == ["M1", "M2"]
    created = admin.post(milestones, {"name": "M0", "planned_date": "2026-11-03"}, format="json")
    assert created.status_code == 201
    new_id = created.json()["id"]
    url = f"/api/v1/project-milestones/{new_id}/"
    assert admin.patch(url, {"weight": "2.50"}, format="json").json()["weight"] == "2.50"
    assert admin.patch(url, {"reached_on": "2026-11-03"}, format="json").status_code == 400  # not settable here
    assert admin.delete(url).status_code == 204
    package = f"/api/v1/project-work-packages/{planned.build.pk}/"
    assert admin.get(package).json()["code"] == "2"
    bad = admin.patch(package, {"planned_finish": "2026-11-01"}, format="json")
    assert bad.status_code == 400 and "planned finish" in bad.content.decode()
    assert admin.patch(package, {"name_en": "Build"}, format="json").json()["name_en"] == "Build"
    refused = admin.delete(package)
    assert refused.status_code == 400 and "Milestones are weighted" in refused.content.decode()
    assert api("executive").patch(package, {"name": "x"}, format="json").status_code == 403
    assert api("vendor_manager").delete(package).status_code == 403
    assert api("requester").get(package).status_code == 403
    assert api("foreign_admin").get(package).status_code == 404
    assert WorkPackage.objects.get(pk=planned.build.pk).name == "Build"
