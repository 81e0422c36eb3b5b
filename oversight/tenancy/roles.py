"""The role groups and the small predicates every app asks about a user, defined once.

A user has exactly one role (``tenancy.choices.Role``). Apps never spell a set of roles themselves:
they import the group that names what they mean, so "who runs the client's side" or "who only
reads" has one definition that the visibility gate (``tenancy.visibility``), the permissions and
the views share.
"""

from __future__ import annotations

from oversight.tenancy.choices import Role

#: The client organisation's own staff (甲方): administrators, supervisors, executives, auditors.
CLIENT_ROLES = frozenset({Role.CLIENT_ADMIN, Role.CLIENT_SUPERVISOR, Role.EXECUTIVE, Role.AUDITOR})
#: The client staff who operate: open, decide, sign, publish, manage schedules (never read-only).
CLIENT_OPERATORS = frozenset({Role.CLIENT_ADMIN, Role.CLIENT_SUPERVISOR})
#: Client roles that read everything of their organisation and write nothing.
READ_ONLY_ROLES = frozenset({Role.EXECUTIVE, Role.AUDITOR})
#: A vendor's staff (乙方): managers and agents; each belongs to exactly one vendor.
VENDOR_ROLES = frozenset({Role.VENDOR_MANAGER, Role.VENDOR_AGENT})
#: Everyone who works for the client or a vendor (everyone but requesters).
STAFF_ROLES = CLIENT_ROLES | VENDOR_ROLES
#: The client side plus vendor managers: who reads service reports, boards and report schedules.
MANAGEMENT_ROLES = CLIENT_ROLES | {Role.VENDOR_MANAGER}
#: Who reads the audit trail of their organisation.
AUDIT_READERS = frozenset({Role.AUDITOR, Role.CLIENT_ADMIN})
#: Who administers their organisation's services, SLA policies, calendars and people on the product pages.
ADMINISTRATORS = frozenset({Role.CLIENT_ADMIN})
#: Every role.
ALL_ROLES = frozenset(Role)


def is_signed_in(user) -> bool:
    """An authenticated, active user (anonymous visitors and deactivated accounts are not)."""
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_client(user) -> bool:
    """Client roles and superusers: they read everything of (their) organisation."""
    return bool(user is not None and user.is_authenticated and (user.is_superuser or user.role in CLIENT_ROLES))


def is_vendor(user) -> bool:
    """Vendor managers and agents."""
    return bool(user is not None and user.is_authenticated and user.role in VENDOR_ROLES)


def is_requester(user) -> bool:
    """Requesters (people who ask for service and rate it); superusers never are."""
    return bool(user is not None and user.is_authenticated and not user.is_superuser and user.role == Role.REQUESTER)


def is_read_only(user) -> bool:
    """Executives and auditors read and never write (superusers always may write)."""
    return bool(user is not None and not user.is_superuser and user.role in READ_ONLY_ROLES)


def is_client_operator(user, organisation_id) -> bool:
    """An active client administrator or supervisor of that organisation, or a superuser."""
    if not is_signed_in(user):
        return False
    return user.is_superuser or (user.role in CLIENT_OPERATORS and user.organisation_id == organisation_id)


def is_vendor_staff_of(user, vendor_id) -> bool:
    """A manager or agent of that vendor (superusers are not a vendor)."""
    return bool(is_vendor(user) and user.vendor_id == vendor_id)


def is_vendor_manager_of(user, vendor_id) -> bool:
    """That vendor's own manager (superusers are not a vendor: they never dispute or countersign)."""
    return bool(is_signed_in(user) and user.role == Role.VENDOR_MANAGER and user.vendor_id == vendor_id)
