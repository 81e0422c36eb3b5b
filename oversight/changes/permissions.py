"""Who may do what to a change they can see. Visibility itself is decided by changes.selectors (the gate).

- Client administrators and supervisors (the change manager's role) request changes for any vendor, edit
  them, assess them, decide them when no approval steps do, schedule, cancel, review and close them, and
  record a change that was implemented without authorisation. They keep the catalogue of standard changes.
- A vendor's manager and agents request changes their vendor implements, edit them until they are authorised
  (the details the CAB decides on are frozen after that), and start and finish implementing them; the
  vendor's manager also schedules them once authorised.
- Executives and auditors read; requesters see no change.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from oversight.changes.choices import ChangeAction, ChangeStatus
from oversight.core.errors import NotAllowed
from oversight.tenancy.roles import is_client_operator, is_vendor_manager_of, is_vendor_staff_of

#: Statuses in which the implementing vendor may still edit the change's details.
VENDOR_EDITABLE = frozenset({ChangeStatus.NEW, ChangeStatus.ASSESSED})


def may_request(user, vendor) -> bool:
    """Request a change implemented by ``vendor``: the client's operators, or that vendor's own staff."""
    if vendor is None:
        return is_client_operator(user, getattr(user, "organisation_id", None))
    return is_client_operator(user, vendor.organisation_id) or is_vendor_staff_of(user, vendor.pk)


def may_manage(user, change) -> bool:
    """The client's change management: assess, decide, cancel, review, close, record unauthorised work."""
    return is_client_operator(user, change.organisation_id)


def may_edit(user, change) -> bool:
    """Change the details: the client's operators while it is open; the implementer's staff until authorised."""
    if change.is_final:
        return False
    return may_manage(user, change) or (
        change.status in VENDOR_EDITABLE and is_vendor_staff_of(user, change.implementer_id)
    )


def may_implement(user, change) -> bool:
    """Start and finish the implementation: the implementer's staff, or the client's operators for them."""
    return may_manage(user, change) or is_vendor_staff_of(user, change.implementer_id)


def may_schedule(user, change) -> bool:
    """Put an authorised (or standard) change on the calendar: the client's operators or the vendor's manager."""
    return may_manage(user, change) or is_vendor_manager_of(user, change.implementer_id)


def may_manage_templates(user) -> bool:
    """Keep the catalogue of standard changes: the client's operators."""
    return is_client_operator(user, getattr(user, "organisation_id", None))


_ACTION_RULES = {
    ChangeAction.START: may_implement,
    ChangeAction.COMPLETE: may_implement,
    ChangeAction.SCHEDULE: may_schedule,
}


def may_transition(user, change, action: str) -> bool:
    """Whether the user may ask for this transition of the change (the table decides whether it is possible)."""
    return _ACTION_RULES.get(action, may_manage)(user, change)


def require(condition: bool, message=None) -> None:
    """Raise NotAllowed with a clear message unless the condition holds."""
    if not condition:
        raise NotAllowed(message or _("You are not allowed to do this."))
