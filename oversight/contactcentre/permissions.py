"""Who may do what in the contact-centre app, for objects they can see. Visibility itself is
contactcentre.selectors (the gate): the client side sees its organisation's queues and facts, vendor staff their
own vendor's, requesters nothing.

- Client administrators and supervisors keep the queues, the service-level terms of their contracts, the period
  locks and the column mappings; they import and correct interval data for any vendor.
- The vendor's manager imports (and, before a period is locked, re-imports) their own vendor's interval data
  and keeps their own vendor's column mappings.
- A locked period takes a correction only from a client operator, with a reason.
- Executives, auditors and vendor agents read.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from oversight.core.errors import NotAllowed
from oversight.tenancy.roles import is_client_operator, is_vendor_manager_of


def _org(user, organisation_id):
    return organisation_id if organisation_id is not None else getattr(user, "organisation_id", None)


def may_keep_queues(user, organisation_id=None) -> bool:
    """Create and change queues, service-level terms and period locks: the client's operators."""
    return is_client_operator(user, _org(user, organisation_id)) and not getattr(user, "vendor_id", None)


def may_import(user, *, organisation_id, vendor_id) -> bool:
    """Import interval data for a vendor's queues: the client's operators or that vendor's manager."""
    return may_keep_queues(user, organisation_id) or is_vendor_manager_of(user, vendor_id)


def may_correct_locked(user, organisation_id) -> bool:
    """Correct data of a locked period (a new revision with a reason): the client's operators only."""
    return may_keep_queues(user, organisation_id)


def require(condition: bool, message=None) -> None:
    """Raise NotAllowed with a clear message unless the condition holds."""
    if not condition:
        raise NotAllowed(message or _("You are not allowed to do this."))
