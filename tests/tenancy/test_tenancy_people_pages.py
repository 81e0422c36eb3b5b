"""The client administrator's people pages: invite (e-mailed set-password link), change role, deactivate.

A client administrator manages only its own organisation's people (another organisation's are 404, every other
role gets 403); each change is a tenancy service call that leaves an audit entry; hostile input is refused."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from oversight.audit.models import AuditEntry
from oversight.tenancy.choices import Role
from oversight.tenancy.models import User
from tests.factories import signed_in

OTHER_ROLES = ("client_supervisor", "executive", "auditor", "vendor_manager", "vendor_agent", "requester")


@pytest.fixture
def admin(world):
    return signed_in(world.users["client_admin"])


def test_the_pages_are_the_client_administrators_alone(world, admin):
    agent = world.users["vendor_agent"]
    urls = [reverse("people:list"), reverse("people:invite"), reverse("people:detail", args=[agent.pk])]
    for url in urls:
        assert admin.get(url).status_code == 200, url
    for role in OTHER_ROLES:
        client = signed_in(world.users[role])
        for url in urls:
            assert client.get(url).status_code == 403, (role, url)
        response = client.post(reverse("people:active", args=[agent.pk]), {"active": "0"})
        assert response.status_code == 403
    agent.refresh_from_db()
    assert agent.is_active


def test_another_organisations_people_are_404_and_stay_untouched(world):
    foreign = signed_in(world.users["foreign_admin"])
    nurse = world.users["requester"]
    assert foreign.get(reverse("people:detail", args=[nurse.pk])).status_code == 404
    assert foreign.post(reverse("people:active", args=[nurse.pk]), {"active": "0"}).status_code == 404
    response = foreign.post(reverse("people:detail", args=[nurse.pk]), {"role": Role.CLIENT_ADMIN})
    assert response.status_code == 404
    nurse.refresh_from_db()
    assert (nurse.is_active, nurse.role) == (True, Role.REQUESTER)
    listed = foreign.get(reverse("people:list"), {"status": "all"}).content.decode()
    assert nurse.username not in listed


def test_an_invited_person_gets_a_link_to_set_a_password_in_their_language(
    world, admin, settings, django_capture_on_commit_callbacks
):
    settings.OVERSIGHT_BASE_URL = "https://oversight.example.org"
    settings.ALLOWED_HOSTS = ["*"]  # even a forged Host header that passes never makes the link
    data = {
        "username": "new_agent",
        "display_name": "王工",
        "email": "wang@example.org",
        "role": Role.VENDOR_AGENT,
        "vendor": world.vendor.pk,
        "language": "zh-hans",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(reverse("people:invite"), data, HTTP_HOST="evil.example.com")
    assert response.status_code == 302
    person = User.objects.get(username="new_agent")
    assert (person.role, person.vendor, person.organisation) == (Role.VENDOR_AGENT, world.vendor, world.org)
    assert not person.has_usable_password()
    assert AuditEntry.objects.filter(action="tenancy.user.created", object_id=str(person.pk)).exists()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["wang@example.org"]
    assert "邀请" in message.subject
    link = re.search(r"https://oversight\.example\.org(/reset/[^\s]+)", message.body)
    assert link, message.body  # the configured address, never the request's Host header
    assert "evil.example.com" not in message.body

    client = Client()
    response = client.get(link.group(1), follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "Stronger-pass-2026", "new_password2": "Stronger-pass-2026"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password("Stronger-pass-2026")
    assert AuditEntry.objects.filter(action="tenancy.user.password_changed", object_id=str(person.pk)).exists()
    # The link works once.
    response = Client().get(link.group(1), follow=True)
    assert not response.context["validlink"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"role": Role.VENDOR_AGENT}, "vendor"),  # vendor staff need a vendor
        ({"role": Role.REQUESTER, "vendor": "VENDOR"}, "vendor"),  # only vendor staff belong to one
        ({"role": Role.VENDOR_AGENT, "vendor": "FOREIGN"}, "vendor"),  # another organisation's vendor
        ({"username": "agent_a"}, "username"),  # taken
        ({"username": "AGENT_A"}, "username"),  # taken, other case
        ({"username": "<script>alert(1)</script>"}, "username"),
        ({"email": "not-an-address"}, "email"),
        ({"email": ""}, "email"),
        ({"role": "superuser"}, "role"),
        ({"department": "99999999999999999999"}, "department"),
    ],
)
def test_bad_invitations_are_refused_with_a_clear_error(world, admin, changes, field):
    data = {"username": "someone", "email": "someone@example.org", "role": Role.REQUESTER, "language": "en"}
    data.update(changes)
    if data.get("vendor") == "VENDOR":
        data["vendor"] = world.vendor.pk
    if data.get("vendor") == "FOREIGN":
        data["vendor"] = world.foreign_vendor.pk
    before = User.objects.count()
    response = admin.post(reverse("people:invite"), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert User.objects.count() == before
    assert not mail.outbox


def test_a_role_change_is_audited_and_sets_admin_access(world, admin):
    person = world.users["requester"]
    url = reverse("people:detail", args=[person.pk])
    response = admin.post(url, {"role": Role.CLIENT_ADMIN})
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.role, person.is_staff) == (Role.CLIENT_ADMIN, True)
    entry = AuditEntry.objects.get(action="tenancy.user.role_changed", object_id=str(person.pk))
    assert entry.before["role"] == Role.REQUESTER and entry.after["role"] == Role.CLIENT_ADMIN
    # Back to vendor staff of the own organisation's vendor; teams of another role are dropped.
    response = admin.post(url, {"role": Role.VENDOR_MANAGER, "vendor": world.other_vendor.pk})
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.role, person.vendor, person.is_staff) == (Role.VENDOR_MANAGER, world.other_vendor, False)
    # Refusals: a vendor role without a vendor, another organisation's vendor.
    assert admin.post(url, {"role": Role.VENDOR_AGENT}).status_code == 400
    assert admin.post(url, {"role": Role.VENDOR_AGENT, "vendor": world.foreign_vendor.pk}).status_code == 400
    person.refresh_from_db()
    assert person.vendor == world.other_vendor


def test_an_administrator_cannot_demote_or_deactivate_themself(world, admin):
    me = world.users["client_admin"]
    response = admin.post(reverse("people:detail", args=[me.pk]), {"role": Role.REQUESTER})
    assert response.status_code == 400
    response = admin.post(reverse("people:active", args=[me.pk]), {"active": "0"})
    assert response.status_code == 302
    me.refresh_from_db()
    assert (me.role, me.is_active) == (Role.CLIENT_ADMIN, True)


def test_a_deactivated_person_cannot_sign_in_and_is_reactivated(world, admin):
    agent = world.users["vendor_agent"]
    agent_client = signed_in(agent)
    assert agent_client.get(reverse("tickets:workbench")).status_code == 200
    admin.post(reverse("people:active", args=[agent.pk]), {"active": "0"})
    agent.refresh_from_db()
    assert not agent.is_active
    assert agent_client.get(reverse("tickets:workbench")).status_code == 302  # signed out
    assert AuditEntry.objects.filter(action="tenancy.user.deactivated", object_id=str(agent.pk)).exists()
    assert agent not in admin.get(reverse("people:list")).context["page"].items
    assert agent in admin.get(reverse("people:list"), {"status": "inactive"}).context["page"].items
    admin.post(reverse("people:active", args=[agent.pk]), {"active": "1"})
    agent.refresh_from_db()
    assert agent.is_active
    assert AuditEntry.objects.filter(action="tenancy.user.reactivated", object_id=str(agent.pk)).exists()


def test_the_list_filters_and_survives_hostile_parameters(world, admin):
    response = admin.get(reverse("people:list"), {"role": Role.VENDOR_AGENT})
    text = response.content.decode()
    assert "agent_a" in text and "nurse_a" not in text
    for params in (
        {"role": "nope"},
        {"status": "x"},
        {"q": "'; DROP TABLE users; --"},
        {"page": "-5"},
        {"q": "x" * 500},
    ):
        assert admin.get(reverse("people:list"), params).status_code == 200


def test_an_invitation_is_sent_again_only_while_no_password_is_set(world, admin, django_capture_on_commit_callbacks):
    data = {"username": "late_nurse", "email": "late@example.org", "role": Role.REQUESTER, "language": "en"}
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(reverse("people:invite"), data)
    person = User.objects.get(username="late_nurse")
    url = reverse("people:invite_again", args=[person.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert admin.post(url).status_code == 302
    assert [m.to for m in mail.outbox] == [["late@example.org"], ["late@example.org"]]
    assert AuditEntry.objects.filter(action="tenancy.user.invitation_sent", object_id=str(person.pk)).exists()
    # Someone with a password already (here: the vendor agent) gets no invitation, only a message.
    agent = world.users["vendor_agent"]
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(reverse("people:invite_again", args=[agent.pk]))
    assert len(mail.outbox) == 2
    assert signed_in(world.users["client_supervisor"]).post(url).status_code == 403
    assert signed_in(world.users["foreign_admin"]).post(url).status_code == 404
    assert len(mail.outbox) == 2
