"""Who may do what with ratings, complaints and prize draws they can see (visibility itself: feedback.selectors)."""

from __future__ import annotations

from oversight.tenancy.roles import (
    CLIENT_OPERATORS,
    CLIENT_ROLES,
    STAFF_ROLES,
    is_client_operator,
    is_vendor_staff_of,
)

# Client administrators and supervisors of the organisation (and superusers) run complaints and draws;
# the vendor's managers and agents answer them: the shared predicates of tenancy.roles, named here for callers.
__all__ = [
    "CLIENT_OPERATORS",
    "is_client_operator",
    "is_vendor_staff_of",
    "may_assign_complaint",
    "may_comment_complaint",
    "may_manage_draws",
    "may_open_complaint",
    "may_request_rating_link",
    "may_transition_complaint",
    "sees_complaints",
    "sees_draws",
]


def sees_complaints(user) -> bool:
    """The complaint pages are for the client side and vendor staff (requesters and others: no)."""
    return bool(user.is_authenticated and (user.is_superuser or user.role in STAFF_ROLES))


def sees_draws(user) -> bool:
    """Prize draws are shown to the client side only."""
    return bool(user.is_authenticated and (user.is_superuser or user.role in CLIENT_ROLES))


def may_manage_draws(user) -> bool:
    """Client supervisors and administrators publish and run draws of their own organisation."""
    return bool(user.is_authenticated and (user.is_superuser or user.role in CLIENT_OPERATORS))


def may_open_complaint(user, work_order) -> bool:
    """The client's operators open complaints by hand (e.g. from the supervision hotline)."""
    return is_client_operator(user, work_order.organisation_id)


def may_transition_complaint(user, complaint) -> bool:
    """Only the client's operators move a complaint along its lifecycle."""
    return is_client_operator(user, complaint.organisation_id)


def may_assign_complaint(user, complaint) -> bool:
    """Only the client's operators decide who handles a complaint."""
    return is_client_operator(user, complaint.organisation_id)


def may_comment_complaint(user, complaint, *, internal: bool = False) -> bool:
    """The client's operators write notes (internal or not); the vendor's staff answer (never internal)."""
    if is_client_operator(user, complaint.organisation_id):
        return True
    return not internal and is_vendor_staff_of(user, complaint.vendor_id)


def may_request_rating_link(user, work_order) -> bool:
    """Only the requester of the work order may get a rating link for it (vendor staff must never rate themselves)."""
    return bool(user is not None and user.is_authenticated and user.pk == work_order.requester_id)
