"""Who sees which project (the one gate): client roles their organisation's, vendor staff their own vendor's,
requesters none; another vendor and another organisation get a 404, and every part is seen with its project."""

from __future__ import annotations

import pytest
from django.http import Http404

from oversight.projects import selectors
from tests.factories import UserFactory


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("client_admin", True),
        ("client_supervisor", True),
        ("executive", True),
        ("auditor", True),
        ("vendor_manager", True),
        ("vendor_agent", True),
        ("requester", False),
        ("other_vendor_manager", False),
        ("other_vendor_agent", False),
        ("foreign_admin", False),
    ],
)
def test_project_visibility_per_role(world, started, role, sees):
    user = world.users[role]
    project = started.project
    assert selectors.project_list(user=user).filter(pk=project.pk).exists() is sees
    if sees:
        assert selectors.project_get(user=user, pk=project.pk) == project
        assert selectors.baselines(user=user, project=project).count() == 1
        assert selectors.work_packages(user=user, project=project).count() == 4
    else:
        with pytest.raises(Http404):
            selectors.project_get(user=user, pk=project.pk)
        assert selectors.baselines(user=user, project=project).count() == 0
        assert selectors.milestones(user=user, project=project).count() == 0
        with pytest.raises(Http404):
            selectors.baseline_get(user=user, pk=project.baselines.get().pk)


def test_garbage_and_superuser(world, started):
    with pytest.raises(Http404):
        selectors.project_get(user=world.users["client_admin"], pk="abc")
    root = UserFactory(username="root", is_superuser=True, organisation=None)
    assert selectors.project_list(user=root).filter(pk=started.project.pk).exists()
