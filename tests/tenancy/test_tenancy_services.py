"""The tenancy services the admin writes through: save (create or the changed fields) and delete, each audited
once with the owning organisation, users without secrets and with role changes as their own entry."""

from __future__ import annotations

import pytest

from oversight.audit.models import AuditEntry
from oversight.core.errors import NotAllowed
from oversight.tenancy import services
from oversight.tenancy.choices import Role
from oversight.tenancy.models import Site, Team, User


def entries(action: str):
    """The audit entries of one action, oldest first."""
    return list(AuditEntry.objects.filter(action=action).order_by("pk"))


def test_a_site_is_created_changed_only_where_it_changed_and_deleted_with_audit(world):
    actor = world.users["client_admin"]
    site = services.site_save(actor=actor, site=Site(organisation=world.org, name="Ward 9", code="w9"), fields=None)
    [created] = entries("tenancy.site.created")
    assert created.organisation == world.org and created.after["name"] == "Ward 9" and created.actor == actor

    site.name = "Ward Nine"
    site.code = "changed-in-memory-only"
    services.site_save(actor=actor, site=site, fields=["name"])
    [changed] = entries("tenancy.site.changed")
    assert (changed.before, changed.after) == ({"name": "Ward 9"}, {"name": "Ward Nine"})
    assert Site.objects.get(pk=site.pk).code == "w9"  # only the named fields are written

    services.site_save(actor=actor, site=Site.objects.get(pk=site.pk), fields=[])
    assert len(entries("tenancy.site.changed")) == 1  # nothing changed, nothing recorded

    pk = site.pk
    services.site_delete(actor=actor, site=site)
    [deleted] = entries("tenancy.site.deleted")
    assert not Site.objects.filter(pk=pk).exists()
    assert deleted.object_id == str(pk) and deleted.before["name"] == "Ward Nine" and deleted.organisation == world.org


def test_a_team_is_audited_under_its_vendors_organisation(world):
    team = services.team_save(actor=None, team=Team(vendor=world.vendor, name="Night shift"), fields=None)
    [created] = entries("tenancy.team.created")
    assert created.organisation == world.org and created.actor is None and created.actor_repr == "system"
    services.team_delete(actor=None, team=team)
    assert entries("tenancy.team.deleted")[0].organisation == world.org


def test_an_organisation_is_its_own_organisation_in_the_audit_and_none_once_deleted(db):
    from oversight.tenancy.models import Organisation

    organisation = services.organisation_save(
        actor=None, organisation=Organisation(name="Clinic", code="cl", work_order_prefix="CL"), fields=None
    )
    [created] = entries("tenancy.organisation.created")
    assert created.organisation == organisation
    # An organisation with audit entries is protected; one without (made outside the services) can go.
    bare = Organisation.objects.create(name="Pop-up", code="pu", work_order_prefix="PU")
    services.organisation_delete(actor=None, organisation=bare)
    [deleted] = entries("tenancy.organisation.deleted")
    assert deleted.organisation is None and deleted.before["name"] == "Pop-up"


def test_a_role_change_is_its_own_entry_and_no_password_is_ever_recorded(world):
    actor = world.users["client_admin"]
    user = User.objects.get(pk=world.users["requester"].pk)
    user.role = Role.CLIENT_SUPERVISOR
    user.phone = "+86 10 1234"
    user.set_password("a new secret")
    services.user_save(actor=actor, user=user, fields=["role", "phone", "password"])
    [role] = entries("tenancy.user.role_changed")
    [other] = entries("tenancy.user.changed")
    assert (role.before, role.after) == ({"role": Role.REQUESTER}, {"role": Role.CLIENT_SUPERVISOR})
    assert other.after == {"phone": "+86 10 1234"}
    assert "password" not in str(role.after) + str(other.after) + str(other.before)


def test_teams_given_to_the_service_are_set_and_audited(world):
    user = User.objects.get(pk=world.users["vendor_agent_2"].pk)
    before = sorted(user.teams.values_list("pk", flat=True))
    services.user_save(actor=world.users["client_admin"], user=user, fields=[], teams=[world.team])
    assert list(user.teams.all()) == [world.team]
    [changed] = entries("tenancy.user.changed")
    assert (changed.before, changed.after) == ({"teams": before}, {"teams": [world.team.pk]})


def test_a_client_admin_cannot_grant_superuser_or_place_someone_in_another_organisation(world):
    actor = world.users["client_admin"]
    user = User.objects.get(pk=world.users["requester"].pk)
    user.is_superuser = True
    with pytest.raises(NotAllowed):
        services.user_save(actor=actor, user=user, fields=["is_superuser"])
    user = User.objects.get(pk=world.users["requester"].pk)
    user.organisation = world.other_org
    with pytest.raises(NotAllowed):
        services.user_save(actor=actor, user=user, fields=["organisation"])
    stored = User.objects.get(pk=user.pk)
    assert not stored.is_superuser and stored.organisation == world.org
    assert not AuditEntry.objects.filter(action__startswith="tenancy.user.").exists()


def test_a_new_user_is_audited_with_teams_and_without_the_password(world):
    user = User(username="newbie", organisation=world.org, role=Role.REQUESTER)
    user.set_password("secret value")
    services.user_save(actor=world.users["client_admin"], user=user, fields=None)
    [created] = entries("tenancy.user.created")
    assert created.after["username"] == "newbie" and created.after["teams"] == []
    assert "password" not in created.after
