"""Who may do what to a project they can see. Visibility itself is decided by projects.selectors (the gate):
client roles see their organisation's projects, vendor staff only their own vendor's, requesters none.

- Client administrators and supervisors open projects, plan them (work breakdown, milestones), move them along
  their states, enter costs and attribute settlement lines.
- The project's vendor owner and the vendor's manager report progress and may ask for a re-baseline: the vendor
  does the work and knows where it stands. Client operators may report progress too.
- Only a client supervisor approves or rejects a re-baseline (the plan the vendor is measured against).
- Executives, auditors and vendor agents read.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from oversight.core.errors import NotAllowed
from oversight.tenancy.choices import Role
from oversight.tenancy.roles import is_client_operator, is_signed_in, is_vendor_manager_of


def may_create(user) -> bool:
    """Client administrators and supervisors open projects for their organisation."""
    return is_client_operator(user, getattr(user, "organisation_id", None))


def may_manage(user, project) -> bool:
    """Edit the project and its plan, transition it, enter costs, attribute settlement lines."""
    return is_client_operator(user, project.organisation_id)


def is_vendor_side_owner(user, project) -> bool:
    """The project's vendor owner or its vendor's manager."""
    if not is_signed_in(user):
        return False
    if project.vendor_owner_id and project.vendor_owner_id == user.pk and user.vendor_id == project.vendor_id:
        return True
    return is_vendor_manager_of(user, project.vendor_id)


def may_report_progress(user, project) -> bool:
    """Record progress at a status date: the vendor owner, the vendor's manager, the client's operators."""
    return may_manage(user, project) or is_vendor_side_owner(user, project)


def may_request_baseline(user, project) -> bool:
    """Ask for a re-baseline: whoever reports progress."""
    return may_report_progress(user, project)


def may_decide_baseline(user, project) -> bool:
    """Approve or reject a re-baseline: a client supervisor of the organisation (or a superuser)."""
    if not is_signed_in(user):
        return False
    return user.is_superuser or (
        user.role == Role.CLIENT_SUPERVISOR and user.organisation_id == project.organisation_id
    )


def require(condition: bool, message=None) -> None:
    """Raise NotAllowed with a clear message unless the condition holds."""
    if not condition:
        raise NotAllowed(message or _("You are not allowed to do this."))
