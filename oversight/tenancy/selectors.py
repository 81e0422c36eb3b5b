"""Reads of organisations, sites, vendors, teams, people and saved views, limited by the gate (tenancy.visibility)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from oversight.tenancy.models import ApiToken, Organisation, SavedView, Site, StaffMember, Team, User, Vendor
from oversight.tenancy.roles import VENDOR_ROLES
from oversight.tenancy.visibility import ADMINISTER, restrict


def organisation_list(*, user) -> QuerySet[Organisation]:
    """Organisations the user may see: their own (superusers: all)."""
    return restrict(Organisation.objects.all(), user)


def site_list(*, user) -> QuerySet[Site]:
    """Sites and departments of the user's organisation (everyone there may pick a location)."""
    return restrict(Site.objects.select_related("parent"), user)


def vendor_list(*, user) -> QuerySet[Vendor]:
    """Vendors: the client side sees all of its organisation's, vendor staff only their own, requesters none."""
    return restrict(Vendor.objects.select_related("organisation"), user)


def team_list(*, user) -> QuerySet[Team]:
    """Teams of the vendors the user may see."""
    return restrict(Team.objects.select_related("vendor"), user)


def user_list(*, user) -> QuerySet[User]:
    """People the user may see: client staff see their organisation, vendor staff their own vendor's staff,
    requesters only themselves (a requester's name and contact reach a vendor through a work order)."""
    return restrict(User.objects.select_related("organisation", "vendor", "department"), user)


def caller_find(*, user, identifier: str) -> User | None:
    """The caller a service desk names by exact user name or e-mail: an active person of the user's organisation
    who is not vendor staff. Vendor staff list no such people (the gate), yet take calls on their behalf: an
    exact name finds one person, nothing lists them."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    return (
        User.objects.filter(organisation__in=organisation_list(user=user), is_active=True, vendor__isnull=True)
        .filter(Q(username__iexact=identifier) | Q(email__iexact=identifier))
        .order_by("pk")
        .first()
    )


def staff_list(*, user) -> QuerySet[StaffMember]:
    """Vendor staff roster entries the user may see."""
    return restrict(StaffMember.objects.select_related("vendor", "user"), user)


def assignable_agents(*, vendor) -> QuerySet[User]:
    """Active vendor staff who can be given a work order of this vendor."""
    return User.objects.filter(vendor=vendor, is_active=True, role__in=sorted(VENDOR_ROLES)).order_by("username")


def people_administered(*, user, q: str = "", role: str = "", status: str = "active") -> QuerySet[User]:
    """The people of the organisation a client administrator manages, filtered by text, role and status."""
    qs = restrict(User.objects.select_related("vendor", "department"), user, ADMINISTER).filter(is_superuser=False)
    if q:
        qs = qs.filter(
            Q(username__icontains=q) | Q(display_name__icontains=q) | Q(email__icontains=q) | Q(last_name__icontains=q)
        )
    if role:
        qs = qs.filter(role=role)
    if status != "all":
        qs = qs.filter(is_active=status != "inactive")
    return qs.order_by("username")


def person_administered(*, user, pk) -> User:
    """One person the client administrator manages; 404 for anyone else (other organisations, superusers)."""
    qs = restrict(User.objects.select_related("vendor", "department", "organisation"), user, ADMINISTER)
    return get_object_or_404(qs.filter(is_superuser=False), pk=pk)


def api_token_list(*, user) -> QuerySet[ApiToken]:
    """The user's own API tokens, newest first (nobody lists another person's tokens, superusers neither)."""
    return restrict(ApiToken.objects.filter(owner_id=user.pk), user)


def api_token_get(*, user, pk) -> ApiToken:
    """One of the user's own tokens, or 404."""
    return get_object_or_404(api_token_list(user=user), pk=pk)


def saved_view_list(*, user, list_key: str | None = None) -> QuerySet[SavedView]:
    """The user's own saved views (of one list when `list_key` is given), by name."""
    qs = restrict(SavedView.objects.all(), user).filter(owner_id=user.pk)
    if list_key is not None:
        qs = qs.filter(list_key=list_key)
    return qs.order_by("list_key", "name", "pk")


def saved_view_get(*, user, pk) -> SavedView:
    """One of the user's own saved views, or 404 (another person's views do not exist for them)."""
    try:
        return saved_view_list(user=user).get(pk=pk)
    except (SavedView.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404 from exc
