"""Users in the admin: role changes audited with before/after, never a password hash, no escalation."""

import json

from django.urls import reverse

from oversight.audit.models import AuditEntry
from oversight.tenancy.models import Certificate, StaffMember, User
from tests.admin.admin_support import changeform_data


def _all_audit_json() -> str:
    return json.dumps([[e.before, e.after] for e in AuditEntry.objects.all()])


def test_a_role_change_is_audited_with_before_and_after_and_no_password_hash(admin_client_a, world, client_admin):
    user = world.users["requester"]
    url = reverse("admin:tenancy_user_change", args=[user.pk])
    data = changeform_data(admin_client_a.get(url))
    data.update({"role": "client_supervisor", "department": "", "display_name": "Head nurse"})
    response = admin_client_a.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert user.role == "client_supervisor"

    role_entry = AuditEntry.objects.get(action="tenancy.user.role_changed", object_id=str(user.pk))
    assert role_entry.actor == client_admin
    assert role_entry.organisation == world.org
    assert role_entry.before == {"role": "requester"}
    assert role_entry.after == {"role": "client_supervisor"}
    other = AuditEntry.objects.get(action="tenancy.user.changed", object_id=str(user.pk))
    assert other.before == {"department": world.dept.pk, "display_name": ""}
    assert other.after == {"department": None, "display_name": "Head nurse"}
    text = _all_audit_json()
    assert "pbkdf2" not in text and user.password not in text
    assert "password" not in role_entry.after and "password" not in other.after


def test_making_someone_vendor_staff_records_the_vendor_as_a_role_change(admin_client_a, world):
    user = world.users["requester_2"]
    url = reverse("admin:tenancy_user_change", args=[user.pk])
    data = changeform_data(admin_client_a.get(url))
    data.update({"role": "vendor_agent", "vendor": str(world.vendor.pk), "teams": [str(world.team.pk)]})
    response = admin_client_a.post(url, data)
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="tenancy.user.role_changed", object_id=str(user.pk))
    assert entry.before == {"role": "requester", "vendor": None}
    assert entry.after == {"role": "vendor_agent", "vendor": world.vendor.pk}
    teams_entry = AuditEntry.objects.get(action="tenancy.user.changed", object_id=str(user.pk))
    assert teams_entry.after["teams"] == [world.team.pk]


def test_role_and_vendor_must_fit_together(admin_client_a, world):
    user = world.users["requester_2"]
    url = reverse("admin:tenancy_user_change", args=[user.pk])
    data = changeform_data(admin_client_a.get(url))
    data.update({"role": "vendor_agent", "vendor": ""})
    response = admin_client_a.post(url, data)
    assert response.status_code == 200
    assert "vendor" in response.context["adminform"].form.errors
    user.refresh_from_db()
    assert user.role == "requester"
    assert not AuditEntry.objects.filter(object_type="tenancy.user", object_id=str(user.pk)).exists()


def test_a_client_admin_cannot_make_anyone_superuser(admin_client_a, world):
    user = world.users["client_supervisor"]
    url = reverse("admin:tenancy_user_change", args=[user.pk])
    response = admin_client_a.get(url)
    form = response.context["adminform"].form
    assert "is_superuser" not in form.fields
    assert "user_permissions" not in form.fields
    data = changeform_data(response)
    data.update({"is_superuser": "on", "is_staff": "on"})
    assert admin_client_a.post(url, data).status_code == 302
    user.refresh_from_db()
    assert user.is_staff and not user.is_superuser


def test_a_client_admin_cannot_give_a_role_in_another_organisation(admin_client_a, world):
    url = reverse("admin:tenancy_user_add")
    response = admin_client_a.post(
        url,
        {
            "username": "intruder",
            "usable_password": "true",
            "password1": "pw-Oversight-1-long",
            "password2": "pw-Oversight-1-long",
            "organisation": str(world.other_org.pk),
            "role": "client_admin",
            "language": "en",
            "time_zone": "Asia/Shanghai",
        },
    )
    assert response.status_code == 200
    assert "organisation" in response.context["adminform"].form.errors
    assert not User.objects.filter(username="intruder").exists()


def test_creating_a_user_is_audited_without_the_password(admin_client_a, world):
    response = admin_client_a.post(
        reverse("admin:tenancy_user_add"),
        {
            "username": "newnurse",
            "usable_password": "true",
            "password1": "pw-Oversight-1-long",
            "password2": "pw-Oversight-1-long",
            "organisation": str(world.org.pk),
            "role": "requester",
            "department": str(world.dept.pk),
            "language": "zh-hans",
            "time_zone": "Asia/Shanghai",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="newnurse")
    assert user.organisation == world.org and user.check_password("pw-Oversight-1-long")
    entry = AuditEntry.objects.get(action="tenancy.user.created", object_id=str(user.pk))
    assert entry.after["role"] == "requester"
    assert "password" not in entry.after
    assert "pbkdf2" not in _all_audit_json()


def test_a_bad_time_zone_is_refused(admin_client_a, world):
    user = world.users["requester"]
    url = reverse("admin:tenancy_user_change", args=[user.pk])
    data = changeform_data(admin_client_a.get(url))
    data["time_zone"] = "Mars/Olympus"
    response = admin_client_a.post(url, data)
    assert response.status_code == 200
    assert "time_zone" in response.context["adminform"].form.errors


def test_a_password_change_is_audited_without_the_hash(admin_client_a, world):
    user = world.users["requester"]
    response = admin_client_a.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"usable_password": "true", "password1": "another-Pw-2026", "password2": "another-Pw-2026"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("another-Pw-2026")
    entry = AuditEntry.objects.get(action="tenancy.user.password_changed")
    # The administrator chose it: the person must replace it at the next sign-in.
    assert entry.after == {"usable": True, "how": "set_by_admin", "must_change": True}
    assert user.must_change_password
    assert user.password not in _all_audit_json()


def test_certificates_expiring_soon_or_expired_are_highlighted(admin_client_a, world, frozen_2026):
    import datetime as dt

    member = StaffMember.objects.create(vendor=world.vendor, name="Li Wei", position="onsite_engineer")
    Certificate.objects.create(staff_member=member, name="Electrician", expires_on=dt.date(2026, 6, 11))
    Certificate.objects.create(staff_member=member, name="First aid", expires_on=dt.date(2026, 5, 1))
    Certificate.objects.create(staff_member=member, name="CCNA", expires_on=dt.date(2027, 6, 1))
    page = admin_client_a.get(reverse("admin:tenancy_staffmember_change", args=[member.pk])).content.decode()
    assert "expires in 10 days" in page
    assert "expired 31 days ago" in page
    assert page.count("expiry expir") == 2
    listing = admin_client_a.get(reverse("admin:tenancy_staffmember_changelist") + "?certificates=expiring")
    assert [m.pk for m in listing.context["cl"].result_list] == [member.pk]
    assert "1 expired" in listing.content.decode() and "1 expiring soon" in listing.content.decode()


def test_inline_certificate_changes_are_audited(admin_client_a, world):
    member = StaffMember.objects.create(vendor=world.vendor, name="Li Wei", position="onsite_engineer")
    url = reverse("admin:tenancy_staffmember_change", args=[member.pk])
    data = changeform_data(admin_client_a.get(url))
    data.update(
        {
            "certificates-TOTAL_FORMS": "1",
            "certificates-0-name": "Electrician",
            "certificates-0-number": "E-1",
            "certificates-0-expires_on": "2027-01-31",
        }
    )
    assert admin_client_a.post(url, data).status_code == 302
    entry = AuditEntry.objects.get(action="tenancy.certificate.created")
    assert entry.organisation == world.org
    assert entry.after["name"] == "Electrician"


def test_a_deletion_is_audited_with_what_was_deleted(admin_client_a, world, client_admin):
    from oversight.tenancy.models import Team

    team = Team.objects.create(vendor=world.vendor, name="Night team")
    pk = team.pk
    response = admin_client_a.post(reverse("admin:tenancy_team_delete", args=[pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Team.objects.filter(pk=pk).exists()
    entry = AuditEntry.objects.get(action="tenancy.team.deleted")
    assert entry.actor == client_admin
    assert entry.object_id == str(pk)
    assert entry.organisation == world.org
    assert entry.before["name"] == "Night team"
    assert entry.after is None
