"""Who may do what in sourcing. Visibility itself is decided by `sourcing.selectors` (the gate): scenarios are the
client's (client roles see them, vendors and requesters none); commercial models are seen with their contract
(the client side and the contract's own vendor).

- Client administrators and supervisors save, change and delete scenarios and commercial models.
- Executives and auditors read; vendor staff read their own contracts' commercial models and charges.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from oversight.core.errors import NotAllowed
from oversight.tenancy.roles import is_client_operator


def may_manage(user, organisation_id: int) -> bool:
    """Save, change or delete scenarios and commercial models: the organisation's client operators."""
    return is_client_operator(user, organisation_id)


def require(condition: bool, message=None) -> None:
    """Raise NotAllowed with a clear message unless the condition holds."""
    if not condition:
        raise NotAllowed(message or _("You are not allowed to do this."))
