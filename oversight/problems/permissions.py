"""Who may do what to a problem they can see. Visibility itself is decided by problems.selectors (the gate).

- Client administrators and supervisors open problems, edit them, move them along their states, link and
  unlink incidents, communicate the workaround, record known errors and decide suggestions.
- The manager of the vendor a problem is attributed to may also write its root-cause analysis (5 whys,
  fishbone, root cause, workaround, permanent fix): the vendor usually knows the cause best.
- Executives and auditors read; vendor agents read what their vendor may see; requesters see no problem.
- Only a client administrator changes the organisation's suggestion settings (k and W).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from oversight.core.errors import NotAllowed
from oversight.tenancy.roles import ADMINISTRATORS, is_client_operator, is_signed_in, is_vendor_manager_of


def may_create(user) -> bool:
    """Client administrators and supervisors open problems for their organisation."""
    return is_client_operator(user, getattr(user, "organisation_id", None))


def may_manage(user, problem) -> bool:
    """Edit, transition, link incidents, communicate the workaround, record the known error."""
    return is_client_operator(user, problem.organisation_id)


def may_analyse(user, problem) -> bool:
    """Write the root-cause analysis: the client's operators and the attributed vendor's manager."""
    return may_manage(user, problem) or bool(problem.vendor_id and is_vendor_manager_of(user, problem.vendor_id))


def may_decide_suggestions(user) -> bool:
    """Turn a suggestion into a problem or dismiss it (the client's operators)."""
    return may_create(user)


def may_change_settings(user) -> bool:
    """The suggestion rule (k, W, calendar) is set by a client administrator."""
    return is_signed_in(user) and (user.is_superuser or user.role in ADMINISTRATORS)


def require(condition: bool, message=None) -> None:
    """Raise NotAllowed with a clear message unless the condition holds."""
    if not condition:
        raise NotAllowed(message or _("You are not allowed to do this."))
