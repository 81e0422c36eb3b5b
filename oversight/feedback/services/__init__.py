"""Writes of the feedback app: rating links and ratings, complaints and their lifecycle, the quarterly draw.

Every change goes through one of these services, whoever asks for it (web page, API, admin, task, shell),
and every one of them writes the audit trail. The package re-exports the public services.
"""

from oversight.feedback.services.common import EffectiveSettings, feedback_settings_for
from oversight.feedback.services.complaints import (
    COMPLAINT_SERVICES,
    complaint_assign,
    complaint_close,
    complaint_comment,
    complaint_investigate,
    complaint_notify,
    complaint_open,
    complaint_open_for_rating,
    complaint_recipients,
    complaint_reopen,
    complaint_resolve,
    complaint_transition,
    default_complaint_assignee,
)
from oversight.feedback.services.draws import draw_participants, prize_draw_publish, prize_draw_run, quarter_bounds
from oversight.feedback.services.ratings import (
    RATEABLE_STATUSES,
    IssuedLink,
    RatingLinkError,
    invitation_problem,
    rating_deadline,
    rating_expected,
    rating_invitation_issue_on_resolve,
    rating_invitation_send_email,
    rating_link_for_requester,
    rating_submit,
    rating_url,
)

__all__ = [
    "COMPLAINT_SERVICES",
    "RATEABLE_STATUSES",
    "EffectiveSettings",
    "IssuedLink",
    "RatingLinkError",
    "complaint_assign",
    "complaint_close",
    "complaint_comment",
    "complaint_investigate",
    "complaint_notify",
    "complaint_open",
    "complaint_open_for_rating",
    "complaint_recipients",
    "complaint_reopen",
    "complaint_resolve",
    "complaint_transition",
    "default_complaint_assignee",
    "draw_participants",
    "feedback_settings_for",
    "invitation_problem",
    "prize_draw_publish",
    "prize_draw_run",
    "quarter_bounds",
    "rating_invitation_issue_on_resolve",
    "rating_invitation_send_email",
    "rating_deadline",
    "rating_expected",
    "rating_link_for_requester",
    "rating_submit",
    "rating_url",
]
