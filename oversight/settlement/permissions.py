"""Who may prepare and approve settlement statements (visibility: the gate, ``SettlementStatement.visibility``)."""

from __future__ import annotations

from oversight.tenancy.roles import is_client_operator


def may_operate(user, organisation_id) -> bool:
    """Client administrators and supervisors of the organisation (and superusers) prepare and approve statements."""
    # None is the system itself (demo loader, shell).
    return user is None or is_client_operator(user, organisation_id)
