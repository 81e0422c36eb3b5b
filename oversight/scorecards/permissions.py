"""Who may do what with evaluations (the selectors decide who may *see* them).

* The client side's operators (client administrator and client supervisor) of the organisation create,
  compute, publish, enter manual values, decide disputes, sign first, lock and revise periods.
* Only client administrators change indicator schemes (weights, rules).
* Only the vendor's own manager disputes and countersigns. Executives and auditors only read.
"""

from __future__ import annotations

from oversight.tenancy.choices import Role
from oversight.tenancy.roles import is_client_operator, is_signed_in, is_vendor_manager_of

__all__ = ["is_client_operator", "is_vendor_manager_of", "may_dispute", "may_manage_schemes", "may_operate"]


def may_manage_schemes(user, organisation_id: int) -> bool:
    """Client administrators of the organisation (and superusers) edit indicator schemes; None is the system."""
    if user is None:
        return True
    if not is_signed_in(user):
        return False
    return user.is_superuser or (user.role == Role.CLIENT_ADMIN and user.organisation_id == organisation_id)


def may_operate(user, period) -> bool:
    """Compute, publish, enter manual values, decide disputes, sign for the client, lock, revise."""
    return user is None or is_client_operator(user, period.organisation_id)


def may_dispute(user, period) -> bool:
    """Raise a dispute or countersign: the vendor manager of the period's vendor only."""
    return is_vendor_manager_of(user, period.vendor_id)
