"""Reads of notifications: a user sees only their own (Notification.visibility addresses each to one person)."""

from django.db.models import QuerySet

from oversight.notifications.models import Notification
from oversight.tenancy.visibility import restrict


def notification_list(*, user) -> QuerySet[Notification]:
    """The user's own notifications, newest first (an inbox lists what is addressed to its owner, superusers too)."""
    return restrict(Notification.objects.filter(recipient=user), user).select_related("work_order")


def unread_count(*, user) -> int:
    """How many of the user's notifications are unread."""
    return restrict(Notification.objects.filter(recipient=user, read_at__isnull=True), user).count()
