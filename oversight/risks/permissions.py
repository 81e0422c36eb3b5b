"""Who may do what in the risk register. Visibility itself is the gate (`REGISTER_VISIBILITY` on the models,
read through `risks.selectors`): the organisation's client roles see its register, vendor staff and requesters
see nothing (404).

- Client administrators and supervisors record risks, edit, rate, review and move them along their states,
  manage mitigations and contingency actions.
- Executives and auditors read.
- Only a client administrator creates a new version of the organisation's risk matrix.

The quantification and trigger parts of the app reuse these rules for their own models.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from oversight.core.errors import NotAllowed
from oversight.tenancy.roles import ADMINISTRATORS, is_client_operator, is_signed_in


def may_create(user) -> bool:
    """Client administrators and supervisors record risks and mitigations for their organisation."""
    return is_client_operator(user, getattr(user, "organisation_id", None))


def may_manage(user, obj) -> bool:
    """Edit, rate, review, transition a risk (or a mitigation, or a contingency action's risk) of the user's
    organisation; ``obj`` is anything with an ``organisation_id``."""
    return is_client_operator(user, obj.organisation_id)


def may_change_matrix(user, organisation_id) -> bool:
    """A new version of the risk matrix is made by a client administrator of that organisation."""
    return is_signed_in(user) and (
        user.is_superuser or (user.role in ADMINISTRATORS and user.organisation_id == organisation_id)
    )


def require(condition: bool, message=None) -> None:
    """Raise NotAllowed with a clear message unless the condition holds."""
    if not condition:
        raise NotAllowed(message or _("You are not allowed to do this."))
