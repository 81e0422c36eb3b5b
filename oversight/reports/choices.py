"""Choices of the report delivery (scheduled e-mail of service reports)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from oversight.core.transitions import Machine


class DeliveryStatus(models.TextChoices):
    """Where the sending of one period's report stands.

    ``sending`` while recipients are being served (a delivery left in it by a crash is resumed by the next
    run, for the recipients not yet served); ``sent`` when every recipient was e-mailed or skipped with a
    reason; ``failed`` when at least one e-mail could not be handed to the mail server (retry from the page).
    """

    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class DeliveryAction(models.TextChoices):
    """The transitions of a delivery: it ends sent or failed, and a failed one is sent again."""

    FINISH_SENT = "finish_sent", _("Sent")
    FINISH_FAILED = "finish_failed", _("Failed")
    RETRY = "retry", _("Send now")


# action -> (statuses it may start from, status it leads to).
DELIVERY_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    DeliveryAction.FINISH_SENT: (frozenset({DeliveryStatus.SENDING}), DeliveryStatus.SENT),
    DeliveryAction.FINISH_FAILED: (frozenset({DeliveryStatus.SENDING}), DeliveryStatus.FAILED),
    DeliveryAction.RETRY: (frozenset({DeliveryStatus.FAILED}), DeliveryStatus.SENDING),
}

# The delivery's state machine (oversight.core.transitions): runs of the sweep and "send now" act for the
# schedule, so finishing a delivery another run already finished the same way is harmless.
DELIVERY_MACHINE = Machine(
    name="reports.reportdelivery",
    table=DELIVERY_TRANSITIONS,
    refusal=lambda status, action: _("This report is being sent right now."),
    audit="reports.reportdelivery.{to}",
    audit_names={DeliveryAction.RETRY: "reports.reportdelivery.retried"},
)


class RecipientOutcome(models.TextChoices):
    """What happened for one recipient of a delivery."""

    SENT = "sent", _("E-mailed")
    SKIPPED = "skipped", _("Skipped")
    FAILED = "failed", _("Failed")


class SkipReason(models.TextChoices):
    """Why a recipient got no e-mail (or why their e-mail failed)."""

    NO_EMAIL = "no_email", _("No e-mail address")
    INACTIVE = "inactive", _("Account switched off")
    NOT_A_RECIPIENT = "not_a_recipient", _("Role may not receive reports")
    OTHER_VENDOR = "other_vendor", _("Not a manager of this vendor")
    NO_ACCESS = "no_access", _("May no longer see this report")
    REPORT_ERROR = "report_error", _("The report could not be built")
    MAIL_ERROR = "mail_error", _("The mail server refused the e-mail")
    INTERRUPTED = "interrupted", _("Sending was interrupted")


# Readable names of the audit actions this app writes (oversight.audit.actions collects them).
AUDIT_ACTIONS = {
    "reports.reportschedule.created": _("Report schedule created"),
    "reports.reportschedule.changed": _("Report schedule changed"),
    "reports.reportschedule.activated": _("Report schedule activated"),
    "reports.reportschedule.deactivated": _("Report schedule deactivated"),
    "reports.reportdelivery.sent": _("Report delivered"),
    "reports.reportdelivery.failed": _("Report delivery failed"),
    "reports.reportdelivery.retried": _("Report delivery retried"),
}
