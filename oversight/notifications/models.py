"""In-app notifications; the dedupe key makes each one exist (and be e-mailed) exactly once."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from oversight.notifications.choices import Topic
from oversight.tenancy.visibility import Visibility


class Notification(models.Model):
    """A message to one user (e.g. an SLA warning), shown in the app and e-mailed once."""

    visibility = Visibility(organisation="recipient__organisation", person="recipient")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=50)
    work_order = models.ForeignKey(
        "tickets.WorkOrder",
        verbose_name=_("work order"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("message"), blank=True)
    # The page of what the notice is about when it is not a work order (a risk, a complaint, a meeting).
    url = models.CharField(_("link"), max_length=500, blank=True)
    dedupe_key = models.CharField(_("dedupe key"), max_length=200, unique=True)
    created_at = models.DateTimeField(_("created at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"], name="notif_recipient_unread_idx")]

    def __str__(self) -> str:
        return self.subject


class EmailPreference(models.Model):
    """Whether one person wants one topic of notifications e-mailed (no row: yes, the default)."""

    visibility = Visibility(organisation="user__organisation", person="user")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    topic = models.CharField(_("topic"), max_length=30, choices=Topic.choices)
    email = models.BooleanField(_("send by e-mail"), default=True)

    class Meta:
        verbose_name = _("e-mail notification setting")
        verbose_name_plural = _("e-mail notification settings")
        constraints = [
            models.UniqueConstraint(fields=["user", "topic"], name="notifications_emailpreference_one_per_topic"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_topic_display()}"


# The channels' models live in their package; imported here so that Django registers them with this app.
from oversight.notifications.channels.models import Channel, ChatIdentity, Delivery, Subscription  # noqa: E402

__all__ = ["Channel", "ChatIdentity", "Delivery", "EmailPreference", "Notification", "Subscription"]
