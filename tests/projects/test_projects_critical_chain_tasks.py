"""Critical-chain mode from per-deliverable durations, end to end: the chain and its project and feeding buffers
derived from the baseline's aggressive and safe durations (root square error), progress reported as remaining
durations, each buffer's burn and zone against a hand computation, the snapshots and the page (both languages),
and the refusals of bad durations."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from oversight.core.errors import ApplicationError
from oversight.projects import evaluation, services
from oversight.projects.models import Snapshot
from tests.projects.conftest import day

D = Decimal
pytestmark = pytest.mark.usefixtures("english")

# The network of tests/projects/test_projects_critical_chain.py, on a Monday-to-Friday calendar from 11-02:
#   A(10/16) → B(6/10) → C(8/20); D(2/3) → B; F1(4/7) → F2(3/7) → C. Chain A, B, C: 24 days, buffer √196 = 14.
PLAN = (
    ("A", (11, 2), (11, 13), "10", "16", ()),
    ("D", (11, 2), (11, 3), "2", "3", ()),
    ("F1", (11, 2), (11, 5), "4", "7", ()),
    ("F2", (11, 6), (11, 10), "3", "7", ("F1",)),
    ("B", (11, 16), (11, 23), "6", "10", ("A", "D")),
    ("C", (11, 24), (12, 3), "8", "20", ("B", "F2")),
)


@pytest.fixture
def chain(world, workweek):
    admin = world.users["client_admin"]
    project = services.project_create(
        actor=admin, name="HIS upgrade", vendor=world.vendor, calendar=workweek, bac=D(600)
    )
    packages = {}
    for code, start, finish, aggressive, safe, after in PLAN:
        packages[code] = services.work_package_create(
            actor=admin,
            project=project,
            code=code,
            name=f"Task {code}",
            planned_start=day(*start),
            planned_finish=day(*finish),
            budget=D(100),
            ev_method="50_50",
            aggressive_days=D(aggressive),
            safe_days=D(safe),
            depends_on=[packages[p] for p in after],
        )
    services.project_update(actor=admin, project=project, critical_chain=True)
    project = services.project_transition(actor=world.users["client_supervisor"], project=project, action="start")
    return project, packages


def _report(world, project, packages, on, **lines):
    services.progress_record(
        actor=world.users["vendor_manager"],
        project=project,
        status_date=on,
        lines=[{"work_package": packages[code], **line} for code, line in lines.items()],
    )


def test_buffers_and_their_burn_by_hand(world, chain):
    project, packages = chain
    # 11-13 (working day 10): A and D finished (D planned 7…9: a day late, its whole 1-day feeding buffer)
    _report(world, project, packages, day(11, 13), A={"finished": True}, D={"finished": True})
    # 11-17 (day 12): B started with 5 days left, F1 finished, F2 started with 2 days left
    _report(
        world,
        project,
        packages,
        day(11, 17),
        B={"started": True, "remaining_days": "5"},
        F1={"finished": True},
        F2={"started": True, "remaining_days": "2"},
    )
    project.refresh_from_db()
    result = evaluation.evaluate(project, day(11, 17))
    assert result.chain.codes == ("A", "B", "C") and result.chain.length == D(24) and result.chain.buffer == D(14)
    # 12 elapsed + (0 + 5 + 8) remaining − 24 = 1 day of 14; chain (24 − 13)/24 complete
    assert result.buffer.consumed == D(1) and result.buffer.complete_share == D(11) / D(24)
    assert result.fever_zone == "green"  # yellow starts at 0.15 + 0.6·11/24 = 0.425
    d, f = result.feeding
    assert (d.label, d.buffer, d.status.consumed, d.status.consumed_share, d.zone) == ("D → B", D(1), 1, 1, "red")
    assert (f.label, f.length, f.buffer) == ("F1 → F2 → C", D(7), D(5))
    # planned 4…11: 8 elapsed + 2 remaining − 7 = 3 of 5 (60 %), 5/7 complete, burn 0.84, yellow
    assert f.status.consumed == D(3) and f.status.consumed_share == D("0.6") and f.zone == "yellow"
    snapshot = Snapshot.objects.get(project=project, status_date=day(11, 17))
    assert (snapshot.buffer_consumed_share, snapshot.burn_rate) == (D("0.0714"), D("0.1558"))  # 1/14; (1/14)/(11/24)
    assert snapshot.feeding_buffers[1] == {
        "label": "F1 → F2 → C",
        "buffer": "5.0",
        "consumed_share": "0.6000",
        "complete_share": "0.7143",
        "burn_rate": "0.8400",
        "zone": "yellow",
    }
    # The finished feeding chain keeps what it used when it finished (day 10), not what the calendar adds since.
    earlier = Snapshot.objects.get(project=project, status_date=day(11, 13)).feeding_buffers[0]
    assert earlier["consumed_share"] == snapshot.feeding_buffers[0]["consumed_share"] == "1.0000"


def test_the_page_shows_the_chain_buffers_and_fever_charts(client, world, chain):
    project, packages = chain
    _report(world, project, packages, day(11, 13), A={"finished": True}, D={"finished": True})
    _report(world, project, packages, day(11, 17), F2={"started": True, "remaining_days": "2"})
    supervisor = world.users["client_supervisor"]
    client.force_login(supervisor)
    page = client.get(project.get_absolute_url() + "?date=2026-11-17").content.decode()
    assert 'data-testid="critical-chain"' in page and "A → B → C" in page
    assert 'data-figure="project_buffer">14.0<' in page
    assert 'data-testid="feeding-buffers"' in page and "F1 → F2 → C" in page
    assert page.count('data-testid="feeding-fever"') == 2
    assert f'name="remaining_{packages["B"].pk}"' in page  # progress is reported per deliverable as remaining days
    supervisor.language = "zh-hans"
    supervisor.save(update_fields=["language"])
    page = client.get(project.get_absolute_url()).content.decode()
    assert "关键链" in page and "汇入缓冲" in page and "Feeding chain" not in page


def test_the_progress_form_records_remaining_durations(client, world, chain):
    project, packages = chain
    client.force_login(world.users["vendor_manager"])
    response = client.post(
        reverse("projects:progress", args=[project.pk]),
        {"status_date": "2026-11-13", f"started_{packages['A'].pk}": "on", f"remaining_{packages['A'].pk}": "3"},
    )
    assert response.status_code == 302
    result = evaluation.evaluate(project, day(11, 13))
    # day 10: 3 + 6 + 8 = 17 remain; 10 + 17 − 24 = 3 of the 14-day buffer
    assert result.buffer.consumed == D(3)
    bad = client.post(
        reverse("projects:progress", args=[project.pk]),
        {"status_date": "2026-11-13", f"finished_{packages['A'].pk}": "on", f"remaining_{packages['A'].pk}": "2"},
    )
    assert bad.status_code == 400 and "nothing of it remains" in bad.content.decode()


def test_duration_refusals(world, planned):
    admin = world.users["client_admin"]
    for changes, words in (
        ({"aggressive_days": D(5)}, "or neither"),
        ({"aggressive_days": D(0), "safe_days": D(3)}, "more than zero"),
        ({"aggressive_days": D(5), "safe_days": D(5)}, "longer than the aggressive"),
    ):
        with pytest.raises(ApplicationError, match=words):
            services.work_package_update(actor=admin, package=planned.build, **changes)
    with pytest.raises(ApplicationError, match="aggressive and safe"):
        services.project_update(actor=admin, project=planned.project, critical_chain=True)
    services.work_package_update(actor=admin, package=planned.build, aggressive_days=D(5), safe_days=D(9))
    services.project_update(actor=admin, project=planned.project, critical_chain=True)  # now derivable
