"""E-mail intake: the mailboxes an organisation has polled, the log of every mail read from them (with what became
of it and why), and the raw message kept for a quarantined mail so it can be processed again."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from oversight.core.files import StoredFileBase
from oversight.mailintake.choices import InboundStatus, MailboxKind, Reason, UnknownSenderRule
from oversight.tenancy.roles import CLIENT_OPERATORS
from oversight.tenancy.visibility import Visibility


class Mailbox(models.Model):
    """A mailbox Oversight reads new work orders and replies from: an IMAP account or a maildir folder.

    The password is never stored: the row names the environment variable that holds it."""

    # The client's administrators and supervisors only: nobody else sees how the organisation receives mail.
    visibility = Visibility(organisation="organisation", roles=CLIENT_OPERATORS)

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)
    address = models.EmailField(_("e-mail address"), help_text=_("The address people write to."))
    kind = models.CharField(_("kind"), max_length=10, choices=MailboxKind.choices, default=MailboxKind.IMAP)
    host = models.CharField(_("IMAP server"), max_length=200, blank=True)
    port = models.PositiveIntegerField(_("port"), default=993)
    use_ssl = models.BooleanField(_("use SSL/TLS"), default=True)
    username = models.CharField(_("user name"), max_length=200, blank=True)
    password_env = models.CharField(
        _("password variable"),
        max_length=100,
        blank=True,
        help_text=_("The name of the environment variable that holds the password (the password is never stored)."),
    )
    folder = models.CharField(_("folder"), max_length=200, default="INBOX")
    path = models.CharField(
        _("maildir path"), max_length=500, blank=True, help_text=_("The folder of a maildir on this server.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    service = models.ForeignKey(
        "catalog.Service",
        verbose_name=_("service for new work orders"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    offering = models.ForeignKey(
        "catalog.Offering",
        verbose_name=_("offering for new work orders"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unknown_sender = models.CharField(
        _("unknown senders"),
        max_length=20,
        choices=UnknownSenderRule.choices,
        default=UnknownSenderRule.QUARANTINE,
    )
    catch_all_requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("catch-all requester"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    last_uid_validity = models.BigIntegerField(_("IMAP UIDVALIDITY"), null=True, blank=True, editable=False)
    last_uid = models.BigIntegerField(_("last IMAP UID read"), default=0, editable=False)
    last_polled_at = models.DateTimeField(_("last polled at"), null=True, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True, editable=False)

    class Meta:
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="mailintake_mailbox_unique_name"),
            models.CheckConstraint(
                condition=~Q(unknown_sender="catch_all") | Q(catch_all_requester__isnull=False),
                name="mailintake_mailbox_catch_all_has_requester",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("mailintake:mailbox_edit", args=[self.pk])


class InboundMail(models.Model):
    """One mail read from a mailbox: who sent it, what it said in its headers, and what became of it and why.

    A mail is recorded once per mailbox (by its Message-ID, or a hash of its headers and body when it has none),
    so the same mail fetched twice makes one work order."""

    visibility = Visibility.through("mailbox")

    mailbox = models.ForeignKey(Mailbox, verbose_name=_("mailbox"), on_delete=models.PROTECT, related_name="mails")
    message_id = models.CharField(_("Message-ID"), max_length=255)
    from_address = models.CharField(_("from"), max_length=254, blank=True)
    from_name = models.CharField(_("sender's name"), max_length=200, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"))
    headers = models.JSONField(_("headers"), default=list, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    status = models.CharField(_("status"), max_length=20, choices=InboundStatus.choices)
    reason = models.CharField(_("reason"), max_length=30, choices=Reason.choices)
    detail = models.TextField(_("details"), blank=True)
    work_order = models.ForeignKey(
        "tickets.WorkOrder",
        verbose_name=_("work order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    copies = models.PositiveIntegerField(_("times received"), default=1)

    class Meta:
        verbose_name = _("inbound mail")
        verbose_name_plural = _("inbound mails")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["mailbox", "message_id"], name="mailintake_inboundmail_once_per_mailbox"),
        ]
        indexes = [
            models.Index(fields=["mailbox", "-received_at"], name="mailintake_mail_box_at_idx"),
            models.Index(fields=["status", "-received_at"], name="mailintake_mail_status_at_idx"),
        ]

    def __str__(self) -> str:
        return self.subject or self.message_id

    def get_absolute_url(self) -> str:
        return reverse("mailintake:mail_detail", args=[self.pk])


class RawMessage(StoredFileBase):
    """The raw bytes of a quarantined mail, kept so it can be read and processed again (or discarded)."""

    visibility = Visibility.through("mail")

    mail = models.OneToOneField(InboundMail, verbose_name=_("mail"), on_delete=models.CASCADE, related_name="raw")
    file = models.FileField(_("file"), upload_to="mailintake/%Y/%m/")
    # The poller, not a person, stores the message.
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("raw message")
        verbose_name_plural = _("raw messages")
