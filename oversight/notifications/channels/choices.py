"""Choices of the notification channels: kinds, severities, delivery statuses and the delivery machine."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from oversight.core.transitions import Machine, repeat_unless
from oversight.notifications.channels import renderers


class ChannelKind(models.TextChoices):
    """Where a channel posts (in-app and e-mail are not channels: every notification has them)."""

    WECOM = renderers.WECOM, _("WeCom group robot")
    DINGTALK = renderers.DINGTALK, _("DingTalk group robot")
    FEISHU = renderers.FEISHU, _("Feishu group robot")
    WEBHOOK = renderers.WEBHOOK, _("Outgoing webhook")


class Severity(models.TextChoices):
    """How urgent a message is; critical (a P1) is sent even in quiet hours."""

    INFO = renderers.INFO, _("Information")
    WARNING = renderers.WARNING, _("Warning")
    CRITICAL = renderers.CRITICAL, _("Critical")


class DeliveryStatus(models.TextChoices):
    """Where one message to one channel stands."""

    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed, will retry")
    DEAD = "dead", _("Given up")


class DeliveryAction(models.TextChoices):
    """The transitions of a delivery."""

    SEND = "send", _("Sent")
    MERGE = "merge", _("Sent in a digest")
    FAIL = "fail", _("Failed")
    GIVE_UP = "give_up", _("Given up")
    RETRY = "retry", _("Retry")


PENDING = frozenset({DeliveryStatus.QUEUED, DeliveryStatus.FAILED})

DELIVERY_MACHINE = Machine(
    name="notifications.delivery",
    table={
        DeliveryAction.SEND: (PENDING, DeliveryStatus.SENT),
        DeliveryAction.MERGE: (PENDING, DeliveryStatus.SENT),
        DeliveryAction.FAIL: (PENDING, DeliveryStatus.FAILED),
        DeliveryAction.GIVE_UP: (PENDING, DeliveryStatus.DEAD),
        DeliveryAction.RETRY: (frozenset({DeliveryStatus.DEAD, DeliveryStatus.FAILED}), DeliveryStatus.QUEUED),
    },
    refusal=lambda status, action: (
        _("“%(action)s” is not possible while the delivery is “%(status)s”.")
        % {"action": DeliveryAction(action).label, "status": DeliveryStatus(status).label}
    ),
    audit="notifications.delivery.{action}",
    same_request=repeat_unless(DeliveryAction.FAIL, DeliveryAction.MERGE),
)

# After this many failed attempts a delivery is given up (the dead letters, retried by hand).
MAX_ATTEMPTS = 5
# Backoff before attempt n+1: BACKOFF_BASE · 2^(n−1) seconds, at most BACKOFF_CAP.
BACKOFF_BASE = 30
BACKOFF_CAP = 3600
# When this many messages wait for one channel at the moment of sending, they go out as one digest.
DIGEST_MIN = 3
# At most this many entries are listed in one digest (the rest are counted).
DIGEST_MAX_LINES = 30


def backoff_seconds(attempts: int) -> int:
    """Seconds to wait after the ``attempts``-th failed attempt (30, 60, 120, 240 ... capped at an hour)."""
    return min(BACKOFF_CAP, BACKOFF_BASE * 2 ** max(0, attempts - 1))


CHANNEL_AUDIT_ACTIONS = {
    "notifications.channel.test_sent": _("Test message sent to a notification channel"),
    "notifications.delivery.send": _("Channel message sent"),
    "notifications.delivery.merge": _("Channel message sent in a digest"),
    "notifications.delivery.fail": _("Channel message failed"),
    "notifications.delivery.give_up": _("Channel message given up"),
    "notifications.delivery.retry": _("Channel message queued again"),
}
