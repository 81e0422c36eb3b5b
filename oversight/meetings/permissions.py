"""Who may do what to a plan, meeting or action item they can see. Visibility itself is meetings.selectors (the
gate): the client side sees its organisation's, vendor staff their own vendor's, requesters nothing.

- Client administrators and supervisors keep the communication plans and series, schedule, hold and cancel
  meetings, prefill and edit the agenda, record minutes, decisions, attendance and action items.
- The vendor's manager does the same for their own vendor's meetings (the vendor runs half of each meeting),
  except plans and series, which are the client's.
- The minutes are signed by one client operator (the client side) and by the vendor's manager (the vendor side).
- An action item's owner, and whoever may manage its meeting, moves it along (start, done, cancel).
- Executives, auditors and vendor agents read.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from oversight.core.errors import NotAllowed
from oversight.tenancy.roles import is_client_operator, is_signed_in, is_vendor_manager_of


def may_plan(user, organisation_id=None) -> bool:
    """Create and change communication plans and series: the client's operators."""
    return is_client_operator(
        user, organisation_id if organisation_id is not None else getattr(user, "organisation_id", None)
    )


def may_manage(user, meeting) -> bool:
    """Schedule, hold, cancel a meeting; its agenda, minutes, decisions, attendance and actions."""
    return is_client_operator(user, meeting.organisation_id) or is_vendor_manager_of(user, meeting.vendor_id)


def may_sign_client(user, meeting) -> bool:
    """Sign the minutes for the client: an operator of the organisation."""
    return is_client_operator(user, meeting.organisation_id) and not getattr(user, "vendor_id", None)


def may_sign_vendor(user, meeting) -> bool:
    """Sign the minutes for the vendor: the vendor's manager."""
    return is_vendor_manager_of(user, meeting.vendor_id)


def may_move_action(user, item) -> bool:
    """Start, complete or cancel an action item: its owner or whoever may manage its meeting."""
    if not is_signed_in(user):
        return False
    own = item.owner_id == user.pk and (user.vendor_id in (None, item.vendor_id))
    return own or is_client_operator(user, item.organisation_id) or is_vendor_manager_of(user, item.vendor_id)


def require(condition: bool, message=None) -> None:
    """Raise NotAllowed with a clear message unless the condition holds."""
    if not condition:
        raise NotAllowed(message or _("You are not allowed to do this."))
