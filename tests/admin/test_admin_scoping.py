"""A client administrator's admin shows and offers only their own organisation's rows."""

import pytest
from django.test import Client
from django.urls import reverse

from oversight.audit.models import AuditEntry
from oversight.catalog.models import BusinessCalendar, Service, SLAPolicy
from oversight.tenancy.models import User, Vendor
from oversight.tickets.models import WorkOrder
from oversight.tickets.services import work_order_create
from tests.admin.admin_support import result_pks


@pytest.fixture
def work_orders(world):
    own = work_order_create(actor=world.users["requester"], service=world.service, title="Printer jam")
    foreign = work_order_create(actor=world.users["foreign_requester"], service=world.foreign_service, title="Far away")
    return own, foreign


@pytest.mark.parametrize(
    ("url", "model"),
    [
        ("admin:tenancy_user_changelist", User),
        ("admin:tenancy_vendor_changelist", Vendor),
        ("admin:catalog_service_changelist", Service),
        ("admin:catalog_businesscalendar_changelist", BusinessCalendar),
        ("admin:catalog_slapolicy_changelist", SLAPolicy),
        ("admin:tickets_workorder_changelist", WorkOrder),
        ("admin:audit_auditentry_changelist", AuditEntry),
    ],
)
def test_changelists_show_only_the_own_organisation(admin_client_a, world, work_orders, superuser, url, model):
    response = admin_client_a.get(reverse(url))
    assert response.status_code == 200
    shown = result_pks(response)
    own = set(model.objects.filter(organisation=world.org).values_list("pk", flat=True))
    foreign = set(model.objects.exclude(organisation=world.org).values_list("pk", flat=True))
    assert own and foreign
    assert shown == own
    assert not shown & foreign


def test_the_superuser_sees_every_organisation(world, superuser):
    client = Client()
    client.force_login(superuser)
    shown = result_pks(client.get(reverse("admin:tenancy_vendor_changelist")))
    assert shown == set(Vendor.objects.values_list("pk", flat=True))


def test_a_foreign_object_cannot_be_opened(admin_client_a, world):
    response = admin_client_a.get(reverse("admin:tenancy_vendor_change", args=[world.foreign_vendor.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    response = admin_client_a.get(reverse("admin:tenancy_user_change", args=[world.users["foreign_admin"].pk]))
    assert response.status_code == 302


def test_superuser_accounts_are_invisible_to_a_client_admin(admin_client_a, world, superuser):
    superuser.organisation = world.org
    superuser.save(update_fields=["organisation"])
    response = admin_client_a.get(reverse("admin:tenancy_user_change", args=[superuser.pk]))
    assert response.status_code == 302
    response = admin_client_a.get(reverse("admin:auth_user_password_change", args=[superuser.pk]))
    assert response.status_code == 404


def test_choices_offer_only_the_own_organisation(admin_client_a, world):
    response = admin_client_a.get(reverse("admin:catalog_service_add"))
    form = response.context["adminform"].form
    assert set(form.fields["vendor"].queryset) == {world.vendor, world.other_vendor}
    assert list(form.fields["organisation"].queryset) == [world.org]
    assert world.foreign_service.sla_policy not in form.fields["sla_policy"].queryset
    assert form.fields["organisation"].initial == world.org.pk


def test_a_forged_foreign_choice_is_rejected(admin_client_a, world):
    response = admin_client_a.post(
        reverse("admin:tenancy_team_add"), {"vendor": world.foreign_vendor.pk, "name": "Sneaky"}
    )
    assert response.status_code == 200
    assert "vendor" in response.context["adminform"].form.errors
    assert not world.foreign_vendor.teams.exists()


def test_a_client_admin_cannot_create_organisations(admin_client_a, world):
    assert admin_client_a.get(reverse("admin:tenancy_organisation_add")).status_code == 403
    assert admin_client_a.get(reverse("admin:tenancy_organisation_delete", args=[world.org.pk])).status_code == 403
