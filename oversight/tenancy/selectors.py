"""Who may see which organisations, sites, vendors and users: the one place that decides it."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from oversight.tenancy.choices import CLIENT_ROLES, VENDOR_ROLES, Role
from oversight.tenancy.models import Organisation, Site, StaffMember, Team, User, Vendor


def organisation_ids_for(user) -> list[int] | None:
    """The organisations a user belongs to (None = every one, for superusers)."""
    if user.is_superuser:
        return None
    return [user.organisation_id] if user.organisation_id else []


def organisation_list(*, user) -> QuerySet[Organisation]:
    """Organisations the user may see."""
    qs = Organisation.objects.all()
    ids = organisation_ids_for(user)
    return qs if ids is None else qs.filter(pk__in=ids)


def site_list(*, user) -> QuerySet[Site]:
    """Sites and departments of the user's organisation (everyone there may pick a location)."""
    qs = Site.objects.select_related("parent")
    ids = organisation_ids_for(user)
    return qs if ids is None else qs.filter(organisation_id__in=ids)


def vendor_list(*, user) -> QuerySet[Vendor]:
    """Vendors: the client side sees all of its organisation's, vendor staff only their own, requesters none."""
    qs = Vendor.objects.select_related("organisation")
    if user.is_superuser:
        return qs
    if user.role in CLIENT_ROLES:
        return qs.filter(organisation_id=user.organisation_id)
    if user.role in VENDOR_ROLES:
        return qs.filter(pk=user.vendor_id)
    return qs.none()


def team_list(*, user) -> QuerySet[Team]:
    """Teams of the vendors the user may see."""
    return Team.objects.filter(vendor__in=vendor_list(user=user)).select_related("vendor")


def user_list(*, user) -> QuerySet[User]:
    """People the user may see: client staff see their organisation, vendor staff their colleagues
    and the client staff and requesters they work with, requesters only themselves."""
    qs = User.objects.select_related("organisation", "vendor", "department")
    if user.is_superuser:
        return qs
    if user.role in CLIENT_ROLES:
        return qs.filter(organisation_id=user.organisation_id)
    if user.role in VENDOR_ROLES:
        return qs.filter(organisation_id=user.organisation_id).filter(
            Q(vendor_id=user.vendor_id) | Q(vendor__isnull=True)
        )
    return qs.filter(pk=user.pk)


def staff_list(*, user) -> QuerySet[StaffMember]:
    """Vendor staff roster entries the user may see."""
    return StaffMember.objects.filter(vendor__in=vendor_list(user=user)).select_related("vendor", "user")


def assignable_agents(*, vendor) -> QuerySet[User]:
    """Active vendor staff who can be given a work order of this vendor."""
    return User.objects.filter(
        vendor=vendor, is_active=True, role__in=[Role.VENDOR_AGENT, Role.VENDOR_MANAGER]
    ).order_by("username")
