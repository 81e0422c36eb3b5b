"""The quarterly prize draw (抽奖): publish the frozen participants and the seed source, then draw with the seed."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import audit_record
from oversight.audit.transitions import transition
from oversight.core import clock
from oversight.core.errors import ApplicationError, NotAllowed
from oversight.core.periods import calendar_period, quarter_start
from oversight.core.zones import zone_or_default
from oversight.feedback import draw as draw_maths
from oversight.feedback import permissions
from oversight.feedback.choices import DRAW_MACHINE, DrawAction, DrawStatus
from oversight.feedback.models import PrizeDraw, Rating
from oversight.feedback.services.common import feedback_settings_for
from oversight.tenancy.models import Organisation, User

SEED_MAX = 500


def quarter_bounds(year: int, quarter: int, time_zone: str) -> tuple[dt.datetime, dt.datetime]:
    """The quarter as a half-open interval [start, end) of aware instants, in the organisation's time zone."""
    if not 1 <= int(quarter) <= 4 or not 2000 <= int(year) <= 2999:
        raise ApplicationError(_("Choose a year and a quarter from 1 to 4."))
    zone = zone_or_default(time_zone)
    first, after = calendar_period(quarter_start(int(year), int(quarter)), 3)
    start = dt.datetime.combine(first, dt.time(), tzinfo=zone)
    end = dt.datetime.combine(after, dt.time(), tzinfo=zone)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def draw_participants(*, organisation_id: int, start: dt.datetime, end: dt.datetime) -> list[str]:
    """The distinct requesters (their user ids, as text) who rated a work order in [start, end), sorted."""
    ids = (
        Rating.objects.filter(organisation_id=organisation_id, created_at__gte=start, created_at__lt=end)
        .values_list("requester_id", flat=True)
        .distinct()
    )
    return sorted({str(pk) for pk in ids})


@transaction.atomic
def prize_draw_publish(
    *,
    actor: User,
    year: int,
    quarter: int,
    seed_source: str,
    winners_count: int | None = None,
    organisation: Organisation | None = None,
) -> PrizeDraw:
    """Freeze and publish the participants of a finished quarter (their digest) and name the future seed source."""
    if not permissions.may_manage_draws(actor):
        raise NotAllowed(_("Only the client's supervisors run prize draws."))
    organisation = organisation if actor.is_superuser and organisation is not None else actor.organisation
    if organisation is None:
        raise ApplicationError(_("Choose an organisation."))
    start, end = quarter_bounds(year, quarter, organisation.time_zone)
    now = clock.now()
    if now < end:
        raise ApplicationError(_("The quarter has not ended yet: its participants are not final."))
    seed_source = (seed_source or "").strip()
    if not seed_source:
        raise ApplicationError(
            _("Name the public value that will be the seed (e.g. the numbers of a future lottery draw).")
        )
    if winners_count is None:
        winners_count = feedback_settings_for(organisation.pk).draw_winners
    if isinstance(winners_count, bool) or not isinstance(winners_count, int) or not 1 <= winners_count <= 1000:
        raise ApplicationError(_("The number of winners is a whole number from 1 to 1000."))
    participants = draw_participants(organisation_id=organisation.pk, start=start, end=end)
    if not participants:
        raise ApplicationError(_("Nobody rated a work order in this quarter: there is nothing to draw."))
    if PrizeDraw.objects.filter(organisation=organisation, year=year, quarter=quarter).exists():
        raise ApplicationError(_("The draw of this quarter has already been published."))
    try:
        with transaction.atomic():
            draw = PrizeDraw.objects.create(
                organisation=organisation,
                year=year,
                quarter=quarter,
                period_start=start,
                period_end=end,
                winners_count=winners_count,
                seed_source=seed_source[:2000],
                participants=participants,
                participants_digest=draw_maths.participants_digest(participants),
                status=DrawStatus.PUBLISHED,
                published_at=now,
                published_by=actor,
            )
    except IntegrityError as exc:
        raise ApplicationError(_("The draw of this quarter has already been published.")) from exc
    audit_record(
        actor=actor,
        action="feedback.prizedraw.published",
        obj=draw,
        after={
            "year": year,
            "quarter": quarter,
            "participants": len(participants),
            "participants_digest": draw.participants_digest,
            "seed_source": draw.seed_source,
            "winners_count": winners_count,
        },
    )
    return draw


@transaction.atomic
def prize_draw_run(*, actor: User, draw: PrizeDraw, seed: str) -> PrizeDraw:
    """Draw the winners with the published seed; the result is stored and can be re-run by anyone."""
    seed = (seed or "").strip()
    drawn: dict = {}

    def authorize(locked: PrizeDraw) -> None:
        if not permissions.may_manage_draws(actor) or not (
            actor.is_superuser or actor.organisation_id == locked.organisation_id
        ):
            raise NotAllowed(_("Only the client's supervisors run prize draws."))

    def usable_seed(locked: PrizeDraw, actor) -> None:
        if not seed:
            raise ApplicationError(_("Enter the seed: the value published by the named source."))
        if len(seed) > SEED_MAX:
            raise ApplicationError(_("The seed is too long (at most %(n)d characters).") % {"n": SEED_MAX})
        if draw_maths.participants_digest(locked.participants) != locked.participants_digest:
            raise ApplicationError(_("The stored participants no longer match their published digest."))
        try:
            drawn["winners"] = draw_maths.draw_winners(locked.participants, seed, locked.winners_count)
        except ValueError as exc:
            raise ApplicationError(_("This seed cannot be used: %(error)s") % {"error": exc}) from exc

    def apply(locked: PrizeDraw, now) -> list[str]:
        locked.seed = seed
        locked.winners = drawn["winners"]
        locked.drawn_at = now
        locked.drawn_by = actor
        return ["seed", "winners", "drawn_at", "drawn_by"]

    return transition(
        draw,
        machine=DRAW_MACHINE,
        action=DrawAction.DRAW,
        actor=actor,
        params={"seed": seed},
        authorize=authorize,
        guards=(usable_seed,),
        apply=apply,
        audit_after=lambda locked: {
            "seed": seed,
            "participants_digest": locked.participants_digest,
            "winners": locked.winners,
        },
    ).obj
