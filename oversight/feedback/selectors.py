"""Reads of ratings, complaints and prize draws, scoped to what the acting user may see.

Requesters see their own ratings; vendor staff the ratings and complaints of their vendor's work orders;
the client side everything of its organisation. Prize draws are for the client side only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from oversight.core import clock
from oversight.core.filters import parse_id
from oversight.feedback import draw as draw_maths
from oversight.feedback.models import Complaint, ComplaintEvent, PrizeDraw, Rating, RatingInvitation
from oversight.feedback.services.draws import draw_participants
from oversight.feedback.services.ratings import RatingLinkError, invitation_problem
from oversight.feedback.tokens import lookup_hash, token_matches
from oversight.tenancy.models import User
from oversight.tenancy.roles import CLIENT_OPERATORS, is_client
from oversight.tenancy.visibility import restrict

RATING_RELATED = ("work_order", "work_order__service", "vendor", "requester")
COMPLAINT_RELATED = ("work_order", "work_order__service", "vendor", "assignee", "rating", "opened_by")


# ---------------------------------------------------------------------------------------------- ratings


def rating_list(*, user) -> QuerySet[Rating]:
    """Ratings the user may see: requesters their own, vendor staff their vendor's, the client side all of its own."""
    return restrict(Rating.objects.select_related(*RATING_RELATED), user)


def rating_get(*, user, pk) -> Rating:
    """One visible rating, or 404."""
    try:
        return rating_list(user=user).get(pk=pk)
    except (Rating.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def rating_for_work_order(*, user, work_order) -> Rating | None:
    """The rating of a work order the user can see, if the user may see it (None otherwise)."""
    return rating_list(user=user).filter(work_order_id=work_order.pk).first()


def open_invitation_for_work_order(*, work_order, now: dt.datetime | None = None) -> RatingInvitation | None:
    """The newest invitation of a work order that can still be used (None when none can)."""
    now = now or clock.now()
    return (
        RatingInvitation.objects.filter(
            work_order_id=work_order.pk, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
        )
        .order_by("-created_at", "-id")
        .first()
    )


def rating_invitation_for_token(token: object, *, now: dt.datetime | None = None) -> RatingInvitation:
    """The usable invitation a rating link's token names, or RatingLinkError (invalid, used, expired...)."""
    token_hash = lookup_hash(token)
    if token_hash is None:
        raise RatingLinkError("invalid")
    invitation = (
        RatingInvitation.objects.select_related("work_order__service", "work_order__requester")
        .filter(token_hash=token_hash)
        .first()
    )
    if invitation is None or not token_matches(token, invitation.token_hash):
        raise RatingLinkError("invalid")
    problem = invitation_problem(invitation, now or clock.now())
    if problem:
        raise RatingLinkError(problem)
    return invitation


# ---------------------------------------------------------------------------------------------- complaints


def complaint_list(*, user) -> QuerySet[Complaint]:
    """Complaints the user may see: the client side all of its organisation's, vendor staff their vendor's."""
    return restrict(Complaint.objects.select_related(*COMPLAINT_RELATED), user)


def complaint_get(*, user, pk) -> Complaint:
    """One visible complaint, or 404 (never 403: nobody learns that an invisible one exists)."""
    try:
        return complaint_list(user=user).get(pk=pk)
    except (Complaint.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def complaint_events(*, user, complaint: Complaint) -> QuerySet[ComplaintEvent]:
    """The timeline of a visible complaint; internal notes are for the client side only."""
    qs = complaint.events.select_related("actor").order_by("seq")
    if is_client(user):
        return qs
    return qs.filter(is_internal=False)


def complaints_for_work_order(*, user, work_order) -> QuerySet[Complaint]:
    """The visible complaints about one work order."""
    return complaint_list(user=user).filter(work_order_id=work_order.pk)


def complaint_assignable(*, user) -> QuerySet[User]:
    """Who may handle complaints of the user's organisation: its active client supervisors and administrators."""
    return restrict(User.objects.filter(role__in=sorted(CLIENT_OPERATORS), is_active=True), user).order_by("username")


# ---------------------------------------------------------------------------------------------- draws


def prize_draw_list(*, user) -> QuerySet[PrizeDraw]:
    """Prize draws of the user's organisation, for the client side only."""
    return restrict(PrizeDraw.objects.select_related("organisation", "published_by", "drawn_by"), user)


def prize_draw_get(*, user, pk) -> PrizeDraw:
    """One visible prize draw, or 404."""
    try:
        return prize_draw_list(user=user).get(pk=pk)
    except (PrizeDraw.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def participant_names(*, draw: PrizeDraw, ids: list[str]) -> dict[str, str]:
    """Display names of the given participants of a draw (client staff see winners by display name only)."""
    numeric = [n for n in map(parse_id, ids) if n is not None]
    people = User.objects.filter(pk__in=numeric, organisation_id=draw.organisation_id)
    return {str(person.pk): str(person) for person in people}


@dataclass(frozen=True)
class DrawVerification:
    """A draw re-run from what is stored, compared with what was published and drawn."""

    digest: str
    digest_matches: bool
    current_participants_digest: str
    participants_unchanged: bool
    winners: list[str]
    winners_match: bool | None  # None while the draw has no seed yet
    ranking: list[tuple[str, str]]


def prize_draw_verify(*, draw: PrizeDraw) -> DrawVerification:
    """Re-run a draw: the digest of the stored participants, the participants from the ratings now, the winners."""
    digest = draw_maths.participants_digest(draw.participants)
    current = draw_participants(organisation_id=draw.organisation_id, start=draw.period_start, end=draw.period_end)
    current_digest = draw_maths.participants_digest(current) if current else ""
    if draw.seed:
        ranking = draw_maths.rank_participants(draw.participants, draw.seed)
        winners = [participant for participant, _ticket in ranking[: draw.winners_count]]
        winners_match = winners == list(draw.winners)
    else:
        ranking, winners, winners_match = [], [], None
    return DrawVerification(
        digest=digest,
        digest_matches=digest == draw.participants_digest,
        current_participants_digest=current_digest,
        participants_unchanged=current_digest == draw.participants_digest,
        winners=winners,
        winners_match=winners_match,
        ranking=ranking,
    )
