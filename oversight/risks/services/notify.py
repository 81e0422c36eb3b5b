"""Notifying a person about the register (an overdue review or mitigation, an opened contingency plan): once
per dedupe key, e-mailed if their settings want it."""

from __future__ import annotations

from oversight.notifications.services import notification_create, notification_queue_email


def notify(*, recipient, kind: str, dedupe_key: str, subject, body="") -> bool:
    """Create the notification unless the key was used; returns whether it was new."""
    if recipient is None or not recipient.is_active:
        return False
    notification, created = notification_create(
        recipient=recipient, kind=kind, dedupe_key=dedupe_key, subject=subject, body=body
    )
    if created:
        notification_queue_email(notification=notification)
    return created
