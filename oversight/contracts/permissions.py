"""Who may do what with contracts they can see (visibility itself: the gate, ``Contract.visibility``)."""

from __future__ import annotations

from oversight.tenancy.choices import Role


def may_manage_contracts(user, organisation=None) -> bool:
    """Client administrators of the organisation (and superusers) create, amend and terminate contracts."""
    if user is None:
        return True  # the system itself (demo loader, shell)
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if user.role != Role.CLIENT_ADMIN:
        return False
    return organisation is None or user.organisation_id == getattr(organisation, "pk", organisation)
