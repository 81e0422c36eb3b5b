"""Creating notifications exactly once and e-mailing each exactly once, in the recipient's language."""

from __future__ import annotations

import logging

from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from oversight.core import clock
from oversight.core.preferences import user_preferences_override
from oversight.notifications.models import Notification

logger = logging.getLogger(__name__)


def notification_create(
    *, recipient, kind: str, dedupe_key: str, subject, body="", work_order=None
) -> tuple[Notification, bool]:
    """Create a notification unless one with the same dedupe key exists; returns (notification, created).

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
                dedupe_key=dedupe_key,
                created_at=clock.now(),
            )
    except IntegrityError:
        return Notification.objects.get(dedupe_key=dedupe_key), False
    return notification, True


def notification_send_email(*, notification_id: int) -> bool:
    """E-mail a notification once: the row is claimed under a lock, so a rerun or a crash never sends twice."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.emailed_at is not None or not notification.recipient.email:
            return False
        # Claim first: if sending fails we log it rather than risk a duplicate e-mail on retry.
        notification.emailed_at = clock.now()
        notification.save(update_fields=["emailed_at"])
    try:
        send_mail(notification.subject, notification.body, None, [notification.recipient.email])
    except Exception:  # noqa: BLE001 - a mail server outage must not break the sweep
        logger.exception("could not e-mail notification %s", notification_id)
        return False
    return True


def notification_mark_read(*, user, notification_ids: list[int] | None = None) -> int:
    """Mark the user's own notifications (all, or the given ones) as read."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=clock.now())
