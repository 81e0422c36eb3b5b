"""Reads of notifications: a user sees only their own."""

from django.db.models import QuerySet

from oversight.notifications.models import Notification


def notification_list(*, user) -> QuerySet[Notification]:
    """The user's own notifications, newest first."""
    return Notification.objects.filter(recipient=user).select_related("work_order")


def unread_count(*, user) -> int:
    """How many of the user's notifications are unread."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
