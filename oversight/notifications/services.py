"""Creating notifications exactly once and e-mailing each exactly once, in the recipient's language."""

from __future__ import annotations

import logging
import secrets

from django.core.mail import EmailMessage
from django.core.mail.utils import DNS_NAME
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import row_save_audited
from oversight.core import clock
from oversight.core.errors import ApplicationError
from oversight.core.metrics import EMAIL_FAILURES, EMAILS_SENT, NOTIFICATIONS_CREATED
from oversight.core.preferences import user_preferences_override
from oversight.notifications.choices import Topic, topic_of
from oversight.notifications.models import EmailPreference, Notification

logger = logging.getLogger(__name__)


def notification_create(
    *, recipient, kind: str, dedupe_key: str, subject, body="", work_order=None, url: str = ""
) -> tuple[Notification, bool]:
    """Create a notification unless one with the same dedupe key exists; returns (notification, created).

    ``url`` is the page of the object the notice is about when that is not a work order (the list links to it).

    `subject` and `body` may be callables taking no argument; they are rendered in the recipient's
    language and time zone so every person reads their own words and local times.
    """
    existing = Notification.objects.filter(dedupe_key=dedupe_key).first()
    if existing:
        return existing, False
    with user_preferences_override(recipient):
        subject_text = str(subject() if callable(subject) else subject)
        body_text = str(body() if callable(body) else body)
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                kind=kind,
                work_order=work_order,
                subject=subject_text[:300],
                body=body_text,
                url=url[:500],
                dedupe_key=dedupe_key,
                created_at=clock.now(),
            )
    except IntegrityError:
        return Notification.objects.get(dedupe_key=dedupe_key), False
    NOTIFICATIONS_CREATED.inc()
    return notification, True


def notification_send_email(*, notification_id: int) -> bool:
    """E-mail a notification once: the row is claimed under a lock, so a rerun or a crash never sends twice."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient", "work_order")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.emailed_at is not None or not notification.recipient.email:
            return False
        if not email_wanted(user=notification.recipient, kind=notification.kind):
            return False
        # Claim first: if sending fails we log it rather than risk a duplicate e-mail on retry.
        notification.emailed_at = clock.now()
        notification.save(update_fields=["emailed_at"])
    try:
        message = EmailMessage(
            notification.subject,
            notification.body,
            None,
            [notification.recipient.email],
            headers=email_headers(notification),
        )
        message.send()
    except Exception:  # noqa: BLE001 - a mail server outage must not break the sweep
        logger.exception("could not e-mail notification %s", notification_id)
        EMAIL_FAILURES.inc()
        return False
    EMAILS_SENT.inc()
    return True


def email_headers(notification: Notification) -> dict[str, str]:
    """What marks an e-mail as Oversight's own, so e-mail intake never reads it back as a new request (no loop).

    ``X-Oversight-Notification`` names the kind, ``Auto-Submitted: auto-generated`` tells other robots not to
    answer, and the Message-ID names the work order and the notification
    (``<wo-<number>.n<id>.<random>@<host>>``), so a person's reply (In-Reply-To) finds its work order."""
    number = notification.work_order.number if notification.work_order_id else "none"
    return {
        "X-Oversight-Notification": notification.kind[:50],
        "Auto-Submitted": "auto-generated",
        "Message-ID": f"<wo-{number}.n{notification.pk}.{secrets.token_hex(6)}@{DNS_NAME}>",
    }


def notification_mark_read(*, user, notification_ids: list[int] | None = None) -> int:
    """Mark the user's own notifications (all, or the given ones) as read."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=clock.now())


def email_wanted(*, user, kind: str) -> bool:
    """Whether the person wants notifications of this kind e-mailed (their settings; yes unless they said no)."""
    return not EmailPreference.objects.filter(user=user, topic=topic_of(kind), email=False).exists()


def notification_queue_email(*, notification: Notification) -> bool:
    """After the commit, e-mail a new notification once, if its recipient wants this topic by e-mail.

    The one way the notification handlers of every app send e-mail; returns whether it was queued. The
    notification also goes to the robot and webhook channels that its recipient's subscriptions name."""
    from oversight.notifications.channels.services import notification_fan_out

    notification_fan_out(notification=notification)
    if not email_wanted(user=notification.recipient, kind=notification.kind):
        return False
    from oversight.notifications.tasks import send_notification_email

    notification_id = notification.pk
    transaction.on_commit(lambda: send_notification_email.delay(notification_id))
    return True


@transaction.atomic
def email_preferences_set(*, actor, user, emailed) -> None:
    """Save which topics the person receives by e-mail (the others stay in-app only); audited when changed.

    Only the person themselves changes their settings."""
    if actor is None or actor.pk != user.pk:
        raise ApplicationError(_("You may change only your own notification settings."))
    wanted = {str(topic) for topic in emailed}
    unknown = wanted - set(Topic.values)
    if unknown:
        raise ApplicationError(_("Unknown notification topic."))
    stored = {p.topic: p for p in EmailPreference.objects.select_for_update().filter(user=user)}
    for topic in Topic.values:
        email = topic in wanted
        row = stored.get(topic)
        if row is None and not email:
            row_save_audited(
                actor=actor,
                obj=EmailPreference(user=user, topic=topic, email=False),
                fields=None,
                organisation=user.organisation,
            )
        elif row is not None and row.email != email:
            row.email = email
            row_save_audited(actor=actor, obj=row, fields=["email"], organisation=user.organisation)
