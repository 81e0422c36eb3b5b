"""Who may do what with spare parts they can see. Visibility itself is decided by parts.selectors (the gate).

- Client administrators and supervisors keep the catalogue of parts and locations, set reorder points and
  target stock, and record every kind of movement on any part of their organisation.
- The staff (managers and agents) of the vendor who supplies and holds a part order, receive, use it on
  their vendor's work orders, return it and transfer it between locations; only the vendor's manager adjusts
  its stock (an adjustment needs a reason).
- Executives and auditors read; requesters see no part.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from oversight.core.errors import NotAllowed
from oversight.parts.choices import MovementKind
from oversight.tenancy.roles import is_client_operator, is_vendor_manager_of, is_vendor_staff_of


def may_manage_catalogue(user, organisation_id) -> bool:
    """Create and change parts, locations, reorder points and target stock."""
    return is_client_operator(user, organisation_id)


def may_move(user, item, kind: str) -> bool:
    """Record a movement of this kind for this part (a transfer is checked as ``transfer_out``)."""
    if is_client_operator(user, item.organisation_id):
        return True
    if kind == MovementKind.ADJUST:
        return is_vendor_manager_of(user, item.vendor_id)
    return is_vendor_staff_of(user, item.vendor_id)


def may_use_on(user, work_order) -> bool:
    """Use parts on (or return them from) this work order: the client's operators, or its vendor's staff."""
    return is_client_operator(user, work_order.organisation_id) or bool(
        work_order.vendor_id and is_vendor_staff_of(user, work_order.vendor_id)
    )


def require(condition: bool, message=None) -> None:
    """Raise NotAllowed with a clear message unless the condition holds."""
    if not condition:
        raise NotAllowed(message or _("You are not allowed to do this."))
