"""`restrict(queryset, user, action)`: each kind of role across two organisations and two vendors of one of them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Group

from oversight.audit.models import AuditEntry
from oversight.audit.services import audit_record
from oversight.catalog.models import Service, SLAPolicy
from oversight.core import clock
from oversight.notifications.models import Notification
from oversight.tenancy.choices import Role
from oversight.tenancy.models import Organisation, Site, User, Vendor
from oversight.tenancy.visibility import ADMINISTER, CHANGE, is_visible, restrict
from oversight.tickets.models import SLAClock, WorkOrder
from oversight.tickets.services import work_order_create
from tests.factories import ServiceFactory, UserFactory

CLIENT_SIDE = ("client_admin", "client_supervisor", "executive", "auditor")


@pytest.fixture
def orders(world):
    """Four work orders: three of organisation A (two for vendor V1, one for V2) and one of organisation X."""
    users = world.users
    return {
        "mine": work_order_create(actor=users["requester"], service=world.service, title="Mine", site=world.dept),
        "colleague": work_order_create(actor=users["requester_2"], service=world.service, title="Colleague's"),
        "other_vendor": work_order_create(
            actor=users["other_requester"], service=world.other_service, title="Network", site=world.other_dept
        ),
        "foreign": work_order_create(actor=users["foreign_requester"], service=world.foreign_service, title="Far"),
    }


def seen(model, user, action="view") -> set[int]:
    return set(restrict(model.objects.all(), user, action).values_list("pk", flat=True))


def names(orders, *keys) -> set[int]:
    return {orders[k].pk for k in keys}


def test_a_superuser_sees_every_organisation(world, orders):
    root = UserFactory(username="root", organisation=None, is_superuser=True, role=Role.CLIENT_ADMIN)
    assert seen(WorkOrder, root) == names(orders, "mine", "colleague", "other_vendor", "foreign")
    assert seen(Group, root) == set(Group.objects.values_list("pk", flat=True))


@pytest.mark.parametrize("role", CLIENT_SIDE)
def test_the_client_side_sees_all_of_its_own_organisation_only(world, orders, role):
    assert seen(WorkOrder, world.users[role]) == names(orders, "mine", "colleague", "other_vendor")
    assert seen(WorkOrder, world.users["foreign_admin"]) == names(orders, "foreign")


@pytest.mark.parametrize("role", ["vendor_manager", "vendor_agent"])
def test_vendor_staff_see_their_own_vendor_only(world, orders, role):
    assert seen(WorkOrder, world.users[role]) == names(orders, "mine", "colleague")
    assert seen(WorkOrder, world.users[f"other_{role}"]) == names(orders, "other_vendor")
    assert seen(Vendor, world.users[role]) == {world.vendor.pk}


def test_a_requester_sees_their_own_rows_and_with_the_grant_their_department(world, orders):
    requester = world.users["requester"]
    assert seen(WorkOrder, requester) == names(orders, "mine")
    requester.sees_department_work_orders = True
    requester.save(update_fields=["sees_department_work_orders"])
    # The colleague's work order has no site but its requester works in the same department.
    assert seen(WorkOrder, requester) == names(orders, "mine", "colleague")
    assert seen(WorkOrder, world.users["foreign_requester"]) == names(orders, "foreign")


def test_parts_follow_their_parent(world, orders):
    clocks = seen(SLAClock, world.users["requester"])
    assert clocks
    assert clocks == set(SLAClock.objects.filter(work_order=orders["mine"]).values_list("pk", flat=True))
    assert seen(SLAClock, world.users["other_vendor_agent"]) == set(
        SLAClock.objects.filter(work_order=orders["other_vendor"]).values_list("pk", flat=True)
    )


def test_nobody_without_an_active_account_in_an_organisation_sees_anything(world, orders):
    inactive = world.users["client_admin"]
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    homeless = UserFactory(username="nobody", organisation=None, role=Role.CLIENT_ADMIN)
    for user in (inactive, homeless, AnonymousUser(), None):
        assert seen(WorkOrder, user) == set()
        assert seen(Organisation, user) == set()


def test_shared_reference_data_is_seen_by_the_whole_organisation(world):
    sites = {world.dept.pk, world.other_dept.pk}
    for role in ("client_admin", "vendor_agent", "other_vendor_manager", "requester"):
        assert seen(Site, world.users[role]) == sites
        assert seen(Organisation, world.users[role]) == {world.org.pk}
    assert seen(Vendor, world.users["requester"]) == set()


def test_vendor_staff_see_only_their_own_vendors_people(world):
    own_staff = {u.pk for u in world.users.values() if u.vendor_id == world.vendor.pk}
    for role in ("vendor_agent", "vendor_manager"):
        people = seen(User, world.users[role])
        assert people == own_staff
        assert world.users["client_supervisor"].pk not in people
        assert world.users["requester"].pk not in people
        assert world.users["other_vendor_agent"].pk not in people
        assert world.users["foreign_admin"].pk not in people
    assert seen(User, world.users["requester"]) == {world.users["requester"].pk}


def test_a_to_many_vendor_path_never_repeats_a_row(world):
    # A second service of vendor V1 under the same policy: a plain join would list the policy twice.
    ServiceFactory(organisation=world.org, vendor=world.vendor, sla_policy=world.policy, code="phones", name="Phones")
    visible = restrict(SLAPolicy.objects.all(), world.users["vendor_agent"])
    assert list(visible.values_list("pk", flat=True)) == [world.policy.pk]
    assert seen(SLAPolicy, world.users["requester"]) == set()


def test_the_roles_a_model_names_are_the_only_ones_that_read_it(world):
    entry = audit_record(actor=None, action="tests.visibility.checked", obj=world.org, organisation=world.org)
    own = set(AuditEntry.objects.filter(organisation=world.org).values_list("pk", flat=True))
    assert entry.pk in own
    assert AuditEntry.objects.exclude(organisation=world.org).exists()
    for role in ("auditor", "client_admin"):
        assert seen(AuditEntry, world.users[role]) == own
    for role in ("client_supervisor", "executive", "vendor_manager", "requester"):
        assert seen(AuditEntry, world.users[role]) == set()


def test_rows_addressed_to_a_person_are_seen_by_that_person_only(world, orders):
    Notification.objects.all().delete()
    now = clock.now()
    mine = Notification.objects.create(
        recipient=world.users["vendor_agent"], kind="assigned", subject="For me", dedupe_key="t-1", created_at=now
    )
    Notification.objects.create(
        recipient=world.users["vendor_agent_2"], kind="assigned", subject="Not for me", dedupe_key="t-2", created_at=now
    )
    assert seen(Notification, world.users["vendor_agent"]) == {mine.pk}
    assert seen(Notification, world.users["client_admin"]) == set()
    # The admin's "administer" action is organisation-wide for the client administrator.
    assert len(seen(Notification, world.users["client_admin"], ADMINISTER)) == 2


def test_read_only_roles_change_nothing(world, orders):
    for role in ("executive", "auditor"):
        assert seen(WorkOrder, world.users[role], CHANGE) == set()
    everything = names(orders, "mine", "colleague", "other_vendor")
    assert seen(WorkOrder, world.users["client_supervisor"], CHANGE) == everything
    assert seen(WorkOrder, world.users["requester"], CHANGE) == names(orders, "mine")


def test_only_client_administrators_administer_and_then_their_whole_organisation(world, orders):
    assert seen(Service, world.users["client_admin"], ADMINISTER) == set(
        Service.objects.filter(organisation=world.org).values_list("pk", flat=True)
    )
    for role in ("client_supervisor", "vendor_manager", "requester"):
        assert seen(Service, world.users[role], ADMINISTER) == set()


def test_a_model_without_a_declaration_shows_nothing_but_to_superusers(world):
    Group.objects.create(name="anything")
    assert seen(Group, world.users["client_admin"]) == set()


def test_an_unknown_action_is_a_programming_error(world):
    with pytest.raises(ValueError, match="Unknown action"):
        restrict(WorkOrder.objects.all(), world.users["client_admin"], "delete-everything")


def test_is_visible_answers_for_one_object(world, orders):
    assert is_visible(orders["mine"], world.users["vendor_agent"])
    assert not is_visible(orders["other_vendor"], world.users["vendor_agent"])
    assert not is_visible(orders["mine"], world.users["foreign_admin"])
