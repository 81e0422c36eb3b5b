"""Who may do what with report schedules they can see (visibility itself: the gate, ``ReportSchedule.visibility``)."""

from __future__ import annotations

from oversight.tenancy.roles import CLIENT_OPERATORS


def may_manage_schedules(user, organisation=None) -> bool:
    """Client administrators and supervisors of the organisation (and superusers); None is the system itself."""
    if user is None:
        return True
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if user.role not in CLIENT_OPERATORS:
        return False
    return organisation is None or user.organisation_id == getattr(organisation, "pk", organisation)
