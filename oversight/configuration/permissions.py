"""Who may do what to configuration items they can see. Visibility itself is the gate (configuration.selectors).

- Client administrators and supervisors record CIs, edit them, change their status, relate them and keep the
  redundancy groups.
- The manager of the vendor that owns a CI edits it, relates it and changes its status; agents of that vendor
  change its status (report it down, under maintenance, restored); a vendor manager records CIs for their vendor.
- Only a client administrator defines classes and their attributes.
- The client's operators and the staff of a work order's vendor link CIs to the work order.
- The client's operators import CIs from a file and record spot checks of the CMDB's accuracy.
- Executives and auditors read; requesters see no CI.
"""

from __future__ import annotations

from oversight.core.errors import NotAllowed
from oversight.tenancy.roles import ADMINISTRATORS, is_client_operator, is_signed_in, is_vendor_manager_of
from oversight.tenancy.roles import is_vendor_staff_of as _is_vendor_staff_of
from oversight.tickets.permissions import require

__all__ = ["NotAllowed", "require"]


def may_create(user, vendor=None) -> bool:
    """Client operators record any CI of their organisation; a vendor manager records their own vendor's."""
    if is_client_operator(user, getattr(user, "organisation_id", None)):
        return True
    return vendor is not None and is_vendor_manager_of(user, vendor.pk)


def may_edit(user, ci) -> bool:
    """Edit a CI and its relations: the client's operators and the owner vendor's manager."""
    if is_client_operator(user, ci.organisation_id):
        return True
    return bool(ci.vendor_id and is_vendor_manager_of(user, ci.vendor_id))


def may_change_status(user, ci) -> bool:
    """Change a CI's status: whoever may edit it, and the owner vendor's agents."""
    return may_edit(user, ci) or bool(ci.vendor_id and _is_vendor_staff_of(user, ci.vendor_id))


def may_manage_classes(user) -> bool:
    """Define CI classes and their typed attributes: client administrators."""
    return is_signed_in(user) and (user.is_superuser or user.role in ADMINISTRATORS)


def may_link_work_order(user, work_order) -> bool:
    """Link CIs to a work order (and unlink them): the client's operators and the work order's vendor staff."""
    if is_client_operator(user, work_order.organisation_id):
        return True
    return bool(work_order.vendor_id and _is_vendor_staff_of(user, work_order.vendor_id))


def may_manage_groups(user) -> bool:
    """Keep the redundancy groups (cluster rules): the client's operators."""
    return is_client_operator(user, getattr(user, "organisation_id", None))


def may_import(user) -> bool:
    """Import CIs from a CSV or XLSX file: the client's operators."""
    return is_client_operator(user, getattr(user, "organisation_id", None))


def may_spot_check(user) -> bool:
    """Record a spot check of the CMDB's accuracy: the client's operators (supervisors, administrators)."""
    return is_client_operator(user, getattr(user, "organisation_id", None))
