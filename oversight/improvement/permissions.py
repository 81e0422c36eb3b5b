"""Who may do what to an improvement they can see. Visibility itself is decided by `improvement.selectors` (the
gate): client roles see their organisation's items, vendor staff only their own vendor's, requesters none.

- Client administrators and supervisors raise items, edit them and move them along their states.
- Vendor managers raise items for their own vendor (the vendor proposes improvements too); the item's owner
  (client or vendor staff) edits it, implements it (start, hold, resume, done) and records its benefit.
- Only the item's approver approves or rejects it (a client supervisor or administrator of the organisation); an
  item raised by a vendor names none until the client does, and meanwhile any client operator may decide it.
- Measuring the effect at review: the client's operators and the owner.
- Executives, auditors and vendor agents who do not own the item read.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from oversight.core.errors import NotAllowed
from oversight.improvement.choices import APPROVER_ACTIONS, OWNER_ACTIONS
from oversight.tenancy.choices import Role
from oversight.tenancy.roles import CLIENT_OPERATORS, is_client_operator, is_signed_in, is_vendor_staff_of


def may_create(user) -> bool:
    """Client operators raise items for their organisation; vendor managers for their own vendor."""
    if not is_signed_in(user):
        return False
    return is_client_operator(user, user.organisation_id) or user.role == Role.VENDOR_MANAGER


def is_owner(user, item) -> bool:
    """The item's owner, still on the item's side (a vendor owner must still work for the item's vendor)."""
    if not is_signed_in(user) or item.owner_id != user.pk or user.organisation_id != item.organisation_id:
        return False
    return user.vendor_id is None or user.vendor_id == item.vendor_id


def may_manage(user, item) -> bool:
    """Edit, move along the states, measure: the client's operators."""
    return is_client_operator(user, item.organisation_id)


def may_edit(user, item) -> bool:
    """Change the item's details and benefit: the client's operators and the owner."""
    return may_manage(user, item) or is_owner(user, item)


def may_approve(user, item) -> bool:
    """Approve or reject: the item's approver, or any client operator while none is named (superusers too)."""
    if not is_signed_in(user):
        return False
    if item.approver_id is None:
        return is_client_operator(user, item.organisation_id)
    return user.is_superuser or (item.approver_id == user.pk and user.organisation_id == item.organisation_id)


def may_act(user, item, action: str) -> bool:
    """Whether ``user`` may take ``action`` on the item (the table decides whether it is possible now)."""
    if action in APPROVER_ACTIONS:
        return may_approve(user, item)
    if action in OWNER_ACTIONS:
        return may_manage(user, item) or is_owner(user, item)
    return may_manage(user, item)


def may_measure(user, item) -> bool:
    """Measure the effect at review: the client's operators and the owner."""
    return may_edit(user, item)


def may_own(user, organisation_id: int, vendor_id: int | None) -> bool:
    """Who can own an item: active client staff of the organisation who write, or staff of the item's vendor."""
    if not is_signed_in(user) or user.organisation_id != organisation_id:
        return False
    if user.role in CLIENT_OPERATORS:
        return True
    return vendor_id is not None and is_vendor_staff_of(user, vendor_id)


def may_be_approver(user, organisation_id: int) -> bool:
    """Who can approve: a client administrator or supervisor of the organisation."""
    return is_signed_in(user) and user.organisation_id == organisation_id and user.role in CLIENT_OPERATORS


def require(condition: bool, message=None) -> None:
    """Raise NotAllowed with a clear message unless the condition holds."""
    if not condition:
        raise NotAllowed(message or _("You are not allowed to do this."))
