"""SLA policies in the admin: a change is a new immutable version made by the service."""

from django.contrib import admin
from django.urls import reverse

from oversight.audit.models import AuditEntry
from oversight.catalog.models import PriorityRule, SLAPolicy, SLAPolicyVersion
from oversight.tickets.services import work_order_create
from tests.admin.admin_support import changeform_data


def _new_version_url(policy):
    return reverse("admin:catalog_slapolicy_new_version", args=[policy.pk])


def _grid(response) -> dict:
    """The new-version form's initial values as POST data."""
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            data[name] = ""
        elif isinstance(value, list):
            data[name] = [str(v) for v in value]
        else:
            data[name] = str(value)
    return data


def _targets(version) -> list:
    return sorted(version.targets.values_list("priority", "metric", "target_minutes", "calendar_id"))


def test_a_new_version_leaves_version_1_and_existing_work_orders_alone(admin_client_a, world, client_admin):
    policy = world.policy
    v1 = policy.current_version()
    v1_targets = _targets(v1)
    existing = work_order_create(
        actor=world.users["requester"], service=world.service, title="Screen dark", impact=1, urgency=1
    )
    assert existing.priority == "P1"
    assert existing.sla_policy_version == v1

    response = admin_client_a.get(_new_version_url(policy))
    assert response.status_code == 200
    data = _grid(response)
    assert data["minutes_P1_response"] == "15"
    assert data["calendar_P1_response"] == str(world.calendar.pk)
    data.update(
        {
            "minutes_P1_response": "10",
            "warning_percent": "80",
            "change_note": "Faster P1 response",
            "pause_resolution": ["pending_requester"],
        }
    )
    response = admin_client_a.post(_new_version_url(policy), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:catalog_slapolicy_change", args=[policy.pk])

    v2 = policy.current_version()
    assert v2.number == 2
    assert v2.warning_percent == 80
    assert v2.created_by == client_admin
    assert v2.pause_statuses["resolution"] == ["pending_requester"]
    assert ("P1", "response", 10, world.calendar.pk) in _targets(v2)
    v1.refresh_from_db()
    assert v1.warning_percent == 75 and _targets(v1) == v1_targets
    existing.refresh_from_db()
    assert existing.sla_policy_version_id == v1.pk
    assert existing.clocks.get(metric="response").target_seconds == 15 * 60
    fresh = work_order_create(actor=world.users["requester"], service=world.service, title="Keyboard")
    assert fresh.sla_policy_version_id == v2.pk
    entry = AuditEntry.objects.get(action="catalog.slapolicy.version_created", actor=client_admin)
    assert entry.after["version"] == 2


def test_a_target_without_a_calendar_is_refused_and_the_input_kept(admin_client_a, world):
    response = admin_client_a.get(_new_version_url(world.policy))
    data = _grid(response)
    data.update({"minutes_P1_response": "5", "calendar_P1_response": ""})
    response = admin_client_a.post(_new_version_url(world.policy), data)
    assert response.status_code == 200
    assert "calendar_P1_response" in response.context["form"].errors
    assert response.context["form"]["minutes_P1_response"].value() == "5"
    assert world.policy.versions.count() == 1


def test_another_organisations_calendar_cannot_be_chosen(admin_client_a, world):
    foreign_calendar = world.foreign_service.sla_policy.current_version().targets.first().calendar
    data = _grid(admin_client_a.get(_new_version_url(world.policy)))
    data["calendar_P2_response"] = str(foreign_calendar.pk)
    response = admin_client_a.post(_new_version_url(world.policy), data)
    assert response.status_code == 200
    assert "calendar_P2_response" in response.context["form"].errors
    assert world.policy.versions.count() == 1


def test_versions_are_shown_read_only_and_never_editable(admin_client_a, world):
    assert SLAPolicyVersion not in admin.site._registry
    response = admin_client_a.get(reverse("admin:catalog_slapolicy_change", args=[world.policy.pk]))
    inline = response.context["inline_admin_formsets"][0]
    assert inline.formset.model is SLAPolicyVersion
    assert not inline.has_change_permission and not inline.has_add_permission and not inline.has_delete_permission
    assert "new-version" in response.content.decode()
    # Renaming the policy still works (and is audited), its versions stay as they were.
    data = changeform_data(response)
    data["name"] = "Standard policy"
    assert (
        admin_client_a.post(reverse("admin:catalog_slapolicy_change", args=[world.policy.pk]), data).status_code == 302
    )
    assert world.policy.versions.count() == 1
    entry = AuditEntry.objects.get(action="catalog.slapolicy.changed")
    assert entry.after == {"name": "Standard policy"}
    delete_url = reverse("admin:catalog_slapolicy_delete", args=[world.policy.pk])
    assert admin_client_a.post(delete_url, {"post": "yes"}).status_code == 403


def test_adding_a_policy_uses_the_service_and_asks_for_its_first_version(admin_client_a, world, client_admin):
    response = admin_client_a.post(
        reverse("admin:catalog_slapolicy_add"), {"organisation": str(world.org.pk), "name": "Gold", "code": "gold"}
    )
    policy = SLAPolicy.objects.get(code="gold")
    assert response.status_code == 302
    assert response["Location"] == _new_version_url(policy)
    assert AuditEntry.objects.filter(action="catalog.slapolicy.created", actor=client_admin).count() == 1
    assert admin_client_a.get(_new_version_url(policy)).status_code == 200


def test_the_priority_matrix_is_edited_with_audit(admin_client_a, world, client_admin):
    response = admin_client_a.post(
        reverse("admin:catalog_priorityrule_add"),
        {"organisation": str(world.org.pk), "impact": "1", "urgency": "2", "priority": "P1"},
    )
    assert response.status_code == 302
    rule = PriorityRule.objects.get(organisation=world.org, impact=1, urgency=2)
    assert rule.priority == "P1"
    entry = AuditEntry.objects.get(action="catalog.priorityrule.created", actor=client_admin)
    assert entry.after["priority"] == "P1"
    page = admin_client_a.get(reverse("admin:catalog_priorityrule_changelist"))
    matrix = page.context["matrices"][0]
    assert matrix["organisation"] == world.org
    assert matrix["rows"][0][1] == ["P1", "P1", "P3"]
