"""Channels (group robots, webhooks), their subscriptions, the delivery log and the chat identities of users."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from oversight.notifications.channels.choices import ChannelKind, DeliveryStatus, Severity
from oversight.notifications.choices import Topic
from oversight.tenancy.choices import Role
from oversight.tenancy.roles import CLIENT_OPERATORS
from oversight.tenancy.visibility import Visibility


class Channel(models.Model):
    """One robot or webhook of an organisation; its address and signing secret are stored encrypted.

    Client administrators manage channels; supervisors read them (and their delivery log); nobody else sees them."""

    visibility = Visibility(organisation="organisation", roles=CLIENT_OPERATORS)

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ChannelKind.choices)
    name = models.CharField(_("name"), max_length=100)
    # The webhook address, encrypted: robots carry their token in it (access_token=, key=, hook/<id>).
    endpoint_secret = models.TextField(_("address"), editable=False)
    host = models.CharField(_("host"), max_length=255, editable=False)
    signing_secret = models.TextField(_("signing secret"), blank=True, editable=False)
    allowed_hosts = models.TextField(
        _("allowed internal addresses"),
        blank=True,
        help_text=_(
            "One host name, address or network (CIDR) a line that this channel may reach although it is internal."
        ),
    )
    quiet_calendar = models.ForeignKey(
        "catalog.BusinessCalendar",
        verbose_name=_("quiet outside the hours of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Outside this calendar's working hours messages wait, except critical ones (P1)."),
    )
    rate_per_minute = models.PositiveSmallIntegerField(_("messages per minute"), default=20)
    burst = models.PositiveSmallIntegerField(_("burst"), default=5)
    digest_window_seconds = models.PositiveIntegerField(_("digest window (seconds)"), default=0)
    is_enabled = models.BooleanField(_("enabled"), default=True)
    bucket_tokens = models.FloatField(default=0, editable=False)
    bucket_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("notification channel")
        verbose_name_plural = _("notification channels")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="notifications_channel_unique_name"),
            models.CheckConstraint(
                condition=models.Q(rate_per_minute__gte=1) & models.Q(burst__gte=1),
                name="notifications_channel_rate_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("notifications:channel_detail", args=[self.pk])


class Subscription(models.Model):
    """Which topic of notifications reaches one channel, for one person or for everyone with one role."""

    visibility = Visibility.through("channel")

    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.CASCADE, related_name="subscriptions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, blank=True)
    topic = models.CharField(_("topic"), max_length=30, choices=Topic.choices)
    digest = models.BooleanField(
        _("digest"), default=False, help_text=_("Collect these messages and post them together every 15 minutes.")
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("channel subscription")
        verbose_name_plural = _("channel subscriptions")
        ordering = ["channel", "topic", "role", "user", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(user__isnull=False) & models.Q(role=""))
                | (models.Q(user__isnull=True) & ~models.Q(role="")),
                name="notifications_subscription_user_or_role",
            ),
            models.UniqueConstraint(
                fields=["channel", "topic", "role", "user"], name="notifications_subscription_unique"
            ),
        ]

    def __str__(self) -> str:
        who = self.user if self.user_id else self.get_role_display()
        return f"{self.channel} · {self.get_topic_display()} · {who}"


class Delivery(models.Model):
    """One message to one channel, sent exactly once (its dedupe key is unique per channel), with its outcome."""

    visibility = Visibility.through("channel")

    channel = models.ForeignKey(Channel, verbose_name=_("channel"), on_delete=models.PROTECT, related_name="deliveries")
    dedupe_key = models.CharField(_("dedupe key"), max_length=200)
    event_id = models.UUIDField(_("event id"), default=uuid.uuid4, editable=False, unique=True)
    title = models.CharField(_("title"), max_length=300)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.INFO)
    # The message as given (title, body, fields, url, mentions, labels), rendered for the channel when sent.
    message = models.JSONField(_("message"), default=dict)
    payload = models.JSONField(_("payload sent"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("last response code"), null=True, blank=True)
    last_response = models.TextField(_("last response"), blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    digest = models.ForeignKey(
        "self",
        verbose_name=_("sent in the digest"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged",
    )
    is_test = models.BooleanField(_("test message"), default=False)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("channel delivery")
        verbose_name_plural = _("channel deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "dedupe_key"], name="notifications_delivery_once"),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notif_delivery_due_idx"),
            models.Index(fields=["channel", "-created_at"], name="notif_delivery_channel_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("notifications:delivery_detail", args=[self.pk])


class ChatIdentity(models.Model):
    """How a person is @-mentioned in group chats: their 企业微信 userid, 钉钉 userid or mobile (else the phone of
    their profile) and 飞书 open_id. Each person sets their own; a client administrator those of their people."""

    visibility = Visibility(organisation="user__organisation", person="user")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="chat_identity"
    )
    wecom_user_id = models.CharField(_("WeCom user id"), max_length=64, blank=True)
    dingtalk_user_id = models.CharField(_("DingTalk user id"), max_length=64, blank=True)
    dingtalk_mobile = models.CharField(_("DingTalk mobile"), max_length=20, blank=True)
    feishu_user_id = models.CharField(_("Feishu open id"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("chat identity")
        verbose_name_plural = _("chat identities")

    def __str__(self) -> str:
        return str(self.user)
