"""Notifications grouped for reading: by day in the reader's zone, then by work order ("3 updates on GH-…")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone

from oversight.notifications.models import Notification


@dataclass
class NoticeGroup:
    """The notifications of one day about one work order (or one notification about nothing in particular)."""

    work_order: object | None
    items: list[Notification] = field(default_factory=list)

    @property
    def unread(self) -> int:
        return sum(1 for n in self.items if n.read_at is None)

    @property
    def unread_ids(self) -> list[int]:
        return [n.pk for n in self.items if n.read_at is None]


@dataclass
class NoticeDay:
    """One local day of notifications, newest group first."""

    day: dt.date
    groups: list[NoticeGroup] = field(default_factory=list)


def group_notifications(items: Iterable[Notification]) -> list[NoticeDay]:
    """Group notifications (newest first) by local day, then by work order, keeping the newest-first order."""
    days: dict[dt.date, dict[tuple, NoticeGroup]] = {}
    for notification in items:
        day = timezone.localtime(notification.created_at).date()
        groups = days.setdefault(day, {})
        key = ("wo", notification.work_order_id) if notification.work_order_id else ("one", notification.pk)
        group = groups.get(key)
        if group is None:
            group = groups[key] = NoticeGroup(work_order=notification.work_order)
        group.items.append(notification)
    return [NoticeDay(day=day, groups=list(groups.values())) for day, groups in days.items()]
