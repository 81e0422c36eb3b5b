"""What the feedback services share: the satisfaction settings in force for an organisation, time zones."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from oversight.feedback.models import FeedbackSettings


@dataclass(frozen=True)
class EffectiveSettings:
    """The satisfaction settings in force for one organisation (its own values, else the installation's)."""

    complaint_max_stars: int
    rating_link_days: int
    draw_winners: int


def feedback_settings_for(organisation_id: int) -> EffectiveSettings:
    """The organisation's settings, falling back to OVERSIGHT_COMPLAINT_MAX_STARS / OVERSIGHT_RATING_LINK_DAYS."""
    own = FeedbackSettings.objects.filter(organisation_id=organisation_id).first()
    default_stars = int(getattr(settings, "OVERSIGHT_COMPLAINT_MAX_STARS", 2))
    default_days = int(getattr(settings, "OVERSIGHT_RATING_LINK_DAYS", 14))
    default_winners = int(getattr(settings, "OVERSIGHT_DRAW_WINNERS", 3))
    return EffectiveSettings(
        complaint_max_stars=own.complaint_max_stars
        if own is not None and own.complaint_max_stars is not None
        else default_stars,
        rating_link_days=own.rating_link_days if own is not None and own.rating_link_days else default_days,
        draw_winners=own.draw_winners if own is not None and own.draw_winners else default_winners,
    )
