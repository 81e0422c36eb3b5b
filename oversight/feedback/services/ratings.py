"""Rating links (single-use, stored hashed) and ratings; a low rating opens a complaint."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import audit_record
from oversight.core import clock
from oversight.core.errors import ApplicationError, InvalidTransition, NotAllowed
from oversight.core.events import publish
from oversight.core.zones import zone_or_default
from oversight.feedback import permissions
from oversight.feedback.choices import RatingChannel
from oversight.feedback.events import RATING_SUBMITTED
from oversight.feedback.models import Rating, RatingInvitation
from oversight.feedback.services.common import feedback_settings_for
from oversight.feedback.services.complaints import complaint_open_for_rating
from oversight.feedback.tokens import lookup_hash, new_token, token_matches
from oversight.tenancy.models import User
from oversight.tenancy.roles import VENDOR_ROLES
from oversight.tickets.choices import Status
from oversight.tickets.models import WorkOrder

COMMENT_MAX = 2000
RATEABLE_STATUSES = frozenset({Status.RESOLVED, Status.CLOSED})


class RatingLinkError(ApplicationError):
    """A rating link that cannot be used; `reason` tells which page to show (nothing was changed)."""

    MESSAGES = {
        "invalid": _("This rating link is not valid. Check that you opened the whole link."),
        "used": _("This rating link has already been used. Thank you for your feedback."),
        "rated": _("This work order has already been rated. Thank you for your feedback."),
        "expired": _("This rating link has expired."),
        "replaced": _("This rating link was replaced by a newer one. Please use the latest link you received."),
        "reopened": _("This work order was reopened. You will receive a new link once it is resolved again."),
    }

    def __init__(self, reason: str) -> None:
        super().__init__(self.MESSAGES[reason], code=f"rating_link_{reason}")
        self.reason = reason
        self.status_code = 404 if reason == "invalid" else 410


@dataclass(frozen=True)
class IssuedLink:
    """A freshly issued invitation with its token (the token exists only here and in the link handed out)."""

    invitation: RatingInvitation
    token: str

    @property
    def path(self) -> str:
        """The rating page's path for this token."""
        return reverse("feedback:rate", args=[self.token])


def rating_url(token: str) -> str:
    """The absolute rating link for e-mails (OVERSIGHT_BASE_URL + /r/<token>/)."""
    base = str(getattr(settings, "OVERSIGHT_BASE_URL", "http://127.0.0.1:8000")).rstrip("/")
    return base + reverse("feedback:rate", args=[token])


def rating_deadline(work_order: WorkOrder) -> dt.datetime:
    """Ratings are accepted for the configured number of days after the (latest) resolution."""
    days = feedback_settings_for(work_order.organisation_id).rating_link_days
    return (work_order.resolved_at or clock.now()) + dt.timedelta(days=days)


def rating_expected(work_order: WorkOrder) -> bool:
    """A resolved work order whose requester is not staff of its vendor and which has no rating yet."""
    requester = work_order.requester
    if requester.role in VENDOR_ROLES and requester.vendor_id == work_order.vendor_id:
        return False  # nobody rates their own vendor's work
    return not Rating.objects.filter(work_order_id=work_order.pk).exists()


def _create_invitation(
    *, work_order: WorkOrder, channel: str, actor, now: dt.datetime, event_id: str | None = None
) -> IssuedLink:
    token, token_hash = new_token()
    invitation = RatingInvitation.objects.create(
        work_order=work_order,
        event_id=event_id,
        token_hash=token_hash,
        channel=channel,
        created_by=actor if getattr(actor, "pk", None) else None,
        created_at=now,
        expires_at=max(rating_deadline(work_order), now + dt.timedelta(seconds=1)),
    )
    audit_record(
        actor=actor,
        action="feedback.ratinginvitation.issued",
        obj=invitation,
        organisation=work_order.organisation,
        after={"work_order": work_order.pk, "channel": channel, "expires_at": invitation.expires_at},
    )
    return IssuedLink(invitation=invitation, token=token)


def _revoke_open_invitations(work_order: WorkOrder, now: dt.datetime, *, keep: int | None = None) -> int:
    qs = RatingInvitation.objects.filter(work_order=work_order, used_at__isnull=True, revoked_at__isnull=True)
    if keep is not None:
        qs = qs.exclude(pk=keep)
    return qs.update(revoked_at=now)


@transaction.atomic
def rating_invitation_issue_on_resolve(*, work_order_id: int, actor=None, event_id: str = "") -> IssuedLink | None:
    """On resolution: invalidate earlier links and send the requester a fresh one (in-app and by e-mail).

    Runs after the resolution committed (``feedback.handlers`` reacts to ``tickets.work_order.resolved``).
    Returns None when no rating is due (already rated, reopened since, or the requester works for the vendor)
    and when this resolution's link was already issued: the event id is stored on the link, so an event
    delivered twice issues one link and one e-mail.
    """
    locked = WorkOrder.objects.select_for_update(of=("self",)).select_related("requester", "organisation")
    work_order = locked.filter(pk=work_order_id).first()
    if work_order is None or work_order.status != Status.RESOLVED or not rating_expected(work_order):
        return None
    if event_id and RatingInvitation.objects.filter(event_id=event_id).exists():
        return None
    now = clock.now()
    revoked = _revoke_open_invitations(work_order, now)
    issued = _create_invitation(
        work_order=work_order, channel=RatingChannel.LINK, actor=None, now=now, event_id=event_id or None
    )
    if revoked:
        audit_record(
            actor=actor,
            action="feedback.ratinginvitation.revoked",
            obj=work_order,
            after={"revoked": revoked, "reason": "resolved again"},
        )
    _notify_rating_invitation(work_order, issued.invitation)
    invitation_id, token = issued.invitation.pk, issued.token

    def queue_email() -> None:
        from oversight.feedback.tasks import send_rating_invitation_email

        send_rating_invitation_email.delay(invitation_id, token)

    transaction.on_commit(queue_email)
    return issued


def _notify_rating_invitation(work_order: WorkOrder, invitation: RatingInvitation) -> None:
    from oversight.notifications.services import notification_create

    notification_create(
        recipient=work_order.requester,
        kind="rating_invitation",
        dedupe_key=f"feedback:invitation:{invitation.pk}:{work_order.requester_id}",
        subject=lambda: gettext("How did we do? Rate work order %(number)s") % {"number": work_order.number},
        body=lambda: gettext("Open the work order to rate the service: it takes a few seconds and helps us improve."),
        work_order=work_order,
    )


@transaction.atomic
def rating_link_for_requester(*, actor: User, work_order: WorkOrder, channel: str = RatingChannel.PORTAL) -> IssuedLink:
    """A link (for the work-order page or a printable QR code) for the signed-in requester.

    Repeated requests reuse the open invitation of the same channel instead of piling up new ones: it keeps its
    row, deadline and history and gets a new token (only the token's hash is stored, so the old one cannot be
    shown again; the link it replaces stops working). Links of other channels (the e-mail) stay valid until one
    of them is used; the deadline is the same (days after resolution).
    """
    if channel not in (RatingChannel.PORTAL, RatingChannel.QR):
        raise ApplicationError(_("Unknown channel."))
    locked = WorkOrder.objects.select_for_update(of=("self",)).select_related("requester", "organisation")
    work_order = locked.get(pk=work_order.pk)
    if not permissions.may_request_rating_link(actor, work_order):
        raise NotAllowed(_("Only the requester can rate this work order."))
    if work_order.status not in RATEABLE_STATUSES:
        raise InvalidTransition(_("The work order can be rated once it is resolved."))
    if not rating_expected(work_order):
        raise RatingLinkError("rated")
    now = clock.now()
    if rating_deadline(work_order) <= now:
        raise RatingLinkError("expired")
    reusable = (
        RatingInvitation.objects.select_for_update()
        .filter(work_order=work_order, channel=channel, used_at__isnull=True, revoked_at__isnull=True)
        .filter(expires_at__gt=now)
        .order_by("-created_at", "-id")
        .first()
    )
    if reusable is None:
        return _create_invitation(work_order=work_order, channel=channel, actor=actor, now=now)
    token, reusable.token_hash = new_token()
    reusable.save(update_fields=["token_hash"])
    audit_record(
        actor=actor,
        action="feedback.ratinginvitation.reissued",
        obj=reusable,
        organisation=work_order.organisation,
        after={"work_order": work_order.pk, "channel": channel, "expires_at": reusable.expires_at},
    )
    return IssuedLink(invitation=reusable, token=token)


def invitation_problem(invitation: RatingInvitation | None, now: dt.datetime) -> str | None:
    """Why an invitation cannot be used now (a RatingLinkError reason), or None when it can."""
    if invitation is None:
        return "invalid"
    if invitation.used_at is not None:
        return "used"
    if invitation.revoked_at is not None:
        return "replaced"
    if Rating.objects.filter(work_order_id=invitation.work_order_id).exists():
        return "rated"
    if invitation.expires_at <= now:
        return "expired"
    if invitation.work_order.status not in RATEABLE_STATUSES:
        return "reopened"
    return None


def _parse_stars(stars) -> int:
    try:
        value = int(stars)
    except (TypeError, ValueError):
        value = 0
    if isinstance(stars, bool) or not 1 <= value <= 5 or str(stars).strip() != str(value):
        raise ApplicationError(_("Choose from 1 to 5 stars."))
    return value


def _parse_recommend(recommend) -> int | None:
    if recommend is None or recommend == "":
        return None
    try:
        value = int(recommend)
    except (TypeError, ValueError):
        value = -1
    if isinstance(recommend, bool) or not 0 <= value <= 10 or str(recommend).strip() != str(value):
        raise ApplicationError(_("The recommendation is a number from 0 to 10."))
    return value


@transaction.atomic
def rating_submit(*, token: str, stars, comment: str = "", recommend=None) -> Rating:
    """Store the one rating of a work order through a single-use link; a low rating opens a complaint.

    The invitation is locked, so two simultaneous submits of one link store one rating; the unique
    constraint on the work order covers two different links of the same work order.
    """
    token_hash = lookup_hash(token)
    if token_hash is None:
        raise RatingLinkError("invalid")
    found = RatingInvitation.objects.filter(token_hash=token_hash).values_list("work_order_id", flat=True).first()
    if found is None:
        raise RatingLinkError("invalid")
    # Lock in the same order as the resolve transition (work order, then its invitations): no deadlock.
    work_order = WorkOrder.objects.select_for_update(of=("self",)).get(pk=found)
    invitation = RatingInvitation.objects.select_for_update(of=("self",)).filter(token_hash=token_hash).first()
    if invitation is None or not token_matches(token, invitation.token_hash):
        raise RatingLinkError("invalid")
    invitation.work_order = work_order
    now = clock.now()
    problem = invitation_problem(invitation, now)
    if problem:
        raise RatingLinkError(problem)
    stars = _parse_stars(stars)
    recommend = _parse_recommend(recommend)
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise ApplicationError(_("The comment is too long (at most %(n)d characters).") % {"n": COMMENT_MAX})
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                organisation_id=work_order.organisation_id,
                work_order=work_order,
                vendor_id=work_order.vendor_id,
                invitation=invitation,
                requester_id=work_order.requester_id,
                stars=stars,
                comment=comment,
                recommend=recommend,
                channel=invitation.channel,
                created_at=now,
            )
    except IntegrityError as exc:
        raise RatingLinkError("rated") from exc
    invitation.used_at = now
    invitation.save(update_fields=["used_at"])
    _revoke_open_invitations(work_order, now, keep=invitation.pk)
    audit_record(
        actor=None,
        action="feedback.rating.created",
        obj=rating,
        organisation=work_order.organisation,
        after={
            "work_order": work_order.pk,
            "stars": stars,
            "recommend": recommend,
            "channel": rating.channel,
            "has_comment": bool(comment),
        },
    )
    publish(RATING_SUBMITTED, rating_id=rating.pk, work_order_id=work_order.pk, stars=stars)
    threshold = feedback_settings_for(work_order.organisation_id).complaint_max_stars
    if stars <= threshold:
        complaint_open_for_rating(rating=rating)
    return rating


def rating_invitation_send_email(*, invitation_id: int, token: str) -> bool:
    """E-mail the rating link once, in the requester's language (a rerun or a foreign token sends nothing)."""
    with transaction.atomic():
        invitation = (
            RatingInvitation.objects.select_for_update(of=("self",))
            .select_related("work_order__requester", "work_order__service")
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None or invitation.emailed_at is not None or not token_matches(token, invitation.token_hash):
            return False
        if invitation.used_at is not None or invitation.revoked_at is not None:
            return False
        requester = invitation.work_order.requester
        if not requester.email:
            return False
        invitation.emailed_at = clock.now()
        invitation.save(update_fields=["emailed_at"])
    work_order = invitation.work_order
    with (
        translation.override(requester.language or settings.LANGUAGE_CODE),
        timezone.override(zone_or_default(requester.time_zone)),
    ):
        subject = gettext("How did we do? Rate work order %(number)s") % {"number": work_order.number}
        body = gettext(
            "Your work order %(number)s (%(service)s) was resolved.\n\n"
            "Please rate the service: it takes a few seconds, needs no sign-in and helps us improve.\n\n"
            "%(url)s\n\n"
            "The link can be used once and is valid until %(expires)s."
        ) % {
            "number": work_order.number,
            "service": work_order.service.name,
            "url": rating_url(token),
            "expires": timezone.localtime(invitation.expires_at).strftime("%Y-%m-%d %H:%M"),
        }
    send_mail(subject, body, None, [requester.email])
    return True
