"""Who may change the vendor portfolio (visibility of vendors: the gate, ``Vendor.visibility``)."""

from __future__ import annotations

from oversight.tenancy.roles import CLIENT_OPERATORS


def may_manage(user, organisation_id) -> bool:
    """Client administrators and supervisors of the organisation (and superusers) manage the portfolio."""
    if user is None:
        return True  # system (tasks, commands)
    if user.is_superuser:
        return True
    return user.role in CLIENT_OPERATORS and user.organisation_id == organisation_id
