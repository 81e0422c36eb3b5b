"""Every write of the changes app: changes and their catalogue (`changes`), the approval engine and the CAB
(`approvals`). Import the functions from here."""

from oversight.changes.services.approvals import (
    approval_ask_substitutes,
    approval_policy_set,
    approval_vote,
    cab_decide,
    cab_meeting_create,
)
from oversight.changes.services.calendar import (
    change_approve_exception,
    change_recheck_calendar,
    window_create,
    window_deactivate,
)
from oversight.changes.services.changes import (
    EDITABLE_FIELDS,
    change_assess_risk,
    change_create,
    change_link_incidents,
    change_review,
    change_template_create,
    change_template_update,
    change_transition,
    change_unlink_incident,
    change_update,
)
from oversight.changes.services.feed import (
    feed_key_create,
    feed_key_owner,
    feed_key_revoke,
    live_feed_key,
    may_have_feed,
)

__all__ = [
    "EDITABLE_FIELDS",
    "approval_ask_substitutes",
    "approval_policy_set",
    "approval_vote",
    "cab_decide",
    "cab_meeting_create",
    "change_approve_exception",
    "change_assess_risk",
    "change_recheck_calendar",
    "change_create",
    "change_link_incidents",
    "change_review",
    "change_template_create",
    "change_template_update",
    "change_transition",
    "change_unlink_incident",
    "change_update",
    "feed_key_create",
    "feed_key_owner",
    "feed_key_revoke",
    "live_feed_key",
    "may_have_feed",
    "window_create",
    "window_deactivate",
]
