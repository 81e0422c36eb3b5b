"""Who may do what to a work order they can see. Visibility itself is decided by tickets.selectors."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from oversight.core.errors import NotAllowed
from oversight.tenancy.choices import Role
from oversight.tenancy.roles import CLIENT_OPERATORS, READ_ONLY_ROLES, VENDOR_ROLES
from oversight.tickets import preconditions
from oversight.tickets.choices import TRANSITIONS, Action, Status
from oversight.tickets.models import WorkOrder


def _is_vendor_staff_of(user, work_order: WorkOrder) -> bool:
    return user.role in VENDOR_ROLES and user.vendor_id == work_order.vendor_id


def _is_vendor_manager_of(user, work_order: WorkOrder) -> bool:
    return user.role == Role.VENDOR_MANAGER and user.vendor_id == work_order.vendor_id


def _is_client_operator(user, work_order: WorkOrder) -> bool:
    return user.is_superuser or (user.role in CLIENT_OPERATORS and user.organisation_id == work_order.organisation_id)


def _is_requester_of(user, work_order: WorkOrder) -> bool:
    return user.pk == work_order.requester_id


def may_transition(user, work_order: WorkOrder, action: str) -> bool:
    """Whether the user's role allows this action on this work order (state is checked separately)."""
    if user is None:  # the system: sweeps, auto-close, resuming an incident whose problem was resolved
        return action == Action.AUTO_CLOSE or (action == Action.RESUME and work_order.status == Status.PENDING_PROBLEM)
    if action == Action.AUTO_CLOSE:
        return False
    if action == Action.DISPATCH:
        return _is_vendor_staff_of(user, work_order) or _is_client_operator(user, work_order)
    if action == Action.ACCEPT:
        # An agent takes what is unassigned or assigned to them; the manager may accept for the team.
        if _is_vendor_manager_of(user, work_order):
            return True
        return _is_vendor_staff_of(user, work_order) and work_order.assignee_id in (None, user.pk)
    if action in (
        Action.ARRIVE,
        Action.PAUSE_REQUESTER,
        Action.PAUSE_THIRD_PARTY,
        Action.RESUME,
        Action.RESOLVE,
    ):
        return _is_vendor_manager_of(user, work_order) or (
            _is_vendor_staff_of(user, work_order) and work_order.assignee_id == user.pk
        )
    if action == Action.PAUSE_PROBLEM:
        # The vendor working the incident, or the client's operators who manage the problem it waits for.
        return (
            _is_vendor_manager_of(user, work_order)
            or (_is_vendor_staff_of(user, work_order) and work_order.assignee_id == user.pk)
            or _is_client_operator(user, work_order)
        )
    if action in (Action.CONFIRM, Action.REOPEN):
        return _is_requester_of(user, work_order) or _is_client_operator(user, work_order)
    if action == Action.CANCEL:
        if _is_client_operator(user, work_order):
            return True
        return _is_requester_of(user, work_order) and work_order.status in (Status.NEW, Status.DISPATCHED)
    return False


def allowed_actions(user, work_order: WorkOrder) -> list[str]:
    """The transitions the user may perform now, in the order the UI shows them."""
    return [
        action
        for action, (sources, _target) in TRANSITIONS.items()
        if action != Action.AUTO_CLOSE
        and work_order.status in sources
        and may_transition(user, work_order, action)
        and preconditions.refusal(action, work_order) is None
    ]


def may_comment(user, work_order: WorkOrder, *, internal: bool = False) -> bool:
    """Read-only roles never write; internal comments are for client and vendor staff only."""
    if user.is_superuser:
        return True
    if user.role in READ_ONLY_ROLES:
        return False
    if internal:
        return _is_vendor_staff_of(user, work_order) or _is_client_operator(user, work_order)
    return (
        _is_vendor_staff_of(user, work_order)
        or _is_client_operator(user, work_order)
        or _is_requester_of(user, work_order)
    )


def may_reassign(user, work_order: WorkOrder) -> bool:
    """Vendor staff hand over within their vendor; the client's operators may too."""
    return _is_vendor_staff_of(user, work_order) or _is_client_operator(user, work_order)


def may_transfer(user, work_order: WorkOrder) -> bool:
    """Only the client side moves a work order to another vendor."""
    return _is_client_operator(user, work_order)


def may_change_priority(user, work_order: WorkOrder) -> bool:
    """The client's operators and the vendor's manager (service desk triage) may re-prioritise."""
    return _is_client_operator(user, work_order) or _is_vendor_manager_of(user, work_order)


def may_edit_details(user, work_order: WorkOrder) -> bool:
    """Title, description and location: the requester while new, vendor staff and client operators."""
    if _is_client_operator(user, work_order) or _is_vendor_staff_of(user, work_order):
        return True
    return _is_requester_of(user, work_order) and work_order.status == Status.NEW


def may_create(user) -> bool:
    """Everyone except the read-only roles may submit work orders (vendor staff on behalf of callers)."""
    return user.is_authenticated and user.is_active and user.role not in READ_ONLY_ROLES


def require(condition: bool, message=None) -> None:
    """Raise NotAllowed with a clear message unless the condition holds."""
    if not condition:
        raise NotAllowed(message or _("You are not allowed to do this."))
