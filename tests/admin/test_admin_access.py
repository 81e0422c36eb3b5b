"""Who may use the admin at all: client administrators with staff access and superusers, nobody else."""

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import reverse

from oversight.core.admin_site import OversightAdminSite
from oversight.tenancy.models import User

NON_ADMIN_ROLES = ["client_supervisor", "executive", "auditor", "vendor_manager", "vendor_agent", "requester"]


def test_the_default_admin_site_is_oversights():
    assert isinstance(admin.site, OversightAdminSite)


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
@pytest.mark.parametrize(
    "url",
    [
        "admin:index",
        "admin:tenancy_user_changelist",
        "admin:catalog_businesscalendar_changelist",
        "admin:audit_auditentry_changelist",
        "admin:tickets_workorder_changelist",
    ],
)
def test_other_roles_are_sent_to_the_login_page_even_with_staff_access(client, world, role, url):
    user = world.users[role]
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client.force_login(user)
    response = client.get(reverse(url))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_other_roles_get_no_module_or_model_permission(world, role):
    user = world.users[role]
    user.is_staff = True
    request = RequestFactory().get("/admin/")
    request.user = user
    for model_admin in admin.site._registry.values():
        assert not model_admin.has_module_permission(request)
        assert not model_admin.has_view_permission(request)
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)


def test_a_client_admin_without_staff_access_is_refused(client, world):
    client.force_login(world.users["client_admin"])
    assert not world.users["client_admin"].is_staff
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302


def test_a_posted_change_by_another_role_changes_nothing(client, world):
    agent = world.users["vendor_agent"]
    agent.is_staff = True
    agent.save(update_fields=["is_staff"])
    client.force_login(agent)
    requester = world.users["requester"]
    response = client.post(
        reverse("admin:tenancy_user_change", args=[requester.pk]), {"username": "hacked", "role": "client_admin"}
    )
    assert response.status_code == 302
    requester.refresh_from_db()
    assert requester.username == "nurse_a"
    assert requester.role == "requester"


def test_the_client_admin_and_the_superuser_get_in(admin_client_a, superuser):
    assert admin_client_a.get(reverse("admin:index")).status_code == 200
    client = Client()
    client.force_login(superuser)
    assert client.get(reverse("admin:index")).status_code == 200


def test_every_changelist_and_add_page_renders_for_the_client_admin(admin_client_a, client_admin, frozen_2026):
    request = RequestFactory().get("/admin/")
    request.user = client_admin
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_module_permission(request):
            continue
        info = (model._meta.app_label, model._meta.model_name)
        response = admin_client_a.get(reverse("admin:{}_{}_changelist".format(*info)))
        assert response.status_code == 200, info
        if model_admin.has_add_permission(request):
            assert admin_client_a.get(reverse("admin:{}_{}_add".format(*info))).status_code == 200, info


def test_superusers_see_django_groups_but_client_admins_do_not(admin_client_a, superuser):
    response = admin_client_a.get(reverse("admin:index"))
    assert b"/admin/auth/group/" not in response.content
    client = Client()
    client.force_login(superuser)
    response = client.get(reverse("admin:index"))
    assert b"/admin/auth/group/" in response.content
    assert User.objects.filter(is_superuser=True).count() == 1
