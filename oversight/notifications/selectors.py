"""Reads of notifications: a user sees only their own (Notification.visibility addresses each to one person)."""

from django.db.models import QuerySet

from oversight.notifications.choices import Topic
from oversight.notifications.models import EmailPreference, Notification
from oversight.tenancy.visibility import restrict


def notification_list(*, user) -> QuerySet[Notification]:
    """The user's own notifications, newest first (an inbox lists what is addressed to its owner, superusers too)."""
    return restrict(Notification.objects.filter(recipient=user), user).select_related("work_order")


def unread_count(*, user) -> int:
    """How many of the user's notifications are unread."""
    return restrict(Notification.objects.filter(recipient=user, read_at__isnull=True), user).count()


def email_preferences(*, user) -> dict[str, bool]:
    """Each topic and whether the user receives it by e-mail (yes unless they turned it off)."""
    off = set(restrict(EmailPreference.objects.filter(user=user, email=False), user).values_list("topic", flat=True))
    return {topic: topic not in off for topic in Topic.values}
