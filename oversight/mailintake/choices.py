"""Kinds of mailbox, the rule for unknown senders, the outcome of an inbound mail with its reason codes, the
quarantine's state machine and the audit action labels of the app."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from oversight.core.transitions import Machine


class MailboxKind(models.TextChoices):
    """Where a mailbox's mails are read from."""

    IMAP = "imap", _("IMAP server")
    MAILDIR = "maildir", _("Maildir folder")


class UnknownSenderRule(models.TextChoices):
    """What a mail from an address that belongs to nobody of the organisation does."""

    QUARANTINE = "quarantine", _("Refuse (quarantine the mail)")
    CREATE_REQUESTER = "create_requester", _("Create a requester account for the sender")
    CATCH_ALL = "catch_all", _("File under the catch-all requester")


class InboundStatus(models.TextChoices):
    """What became of an inbound mail; see INBOUND_TRANSITIONS for what a quarantined one may become."""

    PROCESSED = "processed", _("Processed")
    IGNORED = "ignored", _("Ignored")
    QUARANTINED = "quarantined", _("Quarantined")
    DISCARDED = "discarded", _("Discarded")


class InboundAction(models.TextChoices):
    """What becomes of a quarantined mail: processed again (with one of three outcomes), or discarded."""

    PROCESS = "process", _("Processed on a new attempt")
    IGNORE = "ignore", _("Ignored on a new attempt")
    KEEP = "keep", _("Still quarantined after a new attempt")
    DISCARD = "discard", _("Discard")


#: The action that records the outcome of processing a quarantined mail again, by the status it ended in.
REPROCESS_ACTIONS = {
    InboundStatus.PROCESSED: InboundAction.PROCESS,
    InboundStatus.IGNORED: InboundAction.IGNORE,
    InboundStatus.QUARANTINED: InboundAction.KEEP,
}


class Reason(models.TextChoices):
    """Why a mail was processed the way it was (the code is stable, the words are for people)."""

    NEW_WORK_ORDER = "new_work_order", _("New work order created")
    COMMENT = "comment", _("Reply added as a comment")
    BOUNCE = "bounce", _("Delivery failure report (bounce)")
    AUTO_REPLY = "auto_reply", _("Automatic reply")
    OWN_NOTIFICATION = "own_notification", _("One of Oversight's own notifications")
    TOO_BIG = "too_big", _("The mail is too large")
    UNDECODABLE = "undecodable", _("The mail cannot be decoded")
    TOO_MANY_PARTS = "too_many_parts", _("The mail has too many parts")
    NO_SENDER = "no_sender", _("The mail has no sender address")
    UNKNOWN_SENDER = "unknown_sender", _("The sender is not known")
    SENDER_INACTIVE = "sender_inactive", _("The sender's account is switched off")
    MAY_NOT_COMMENT = "may_not_comment", _("The sender may not comment on this work order")
    MAY_NOT_CREATE = "may_not_create", _("The sender may not submit work orders")
    ATTACHMENT_REFUSED = "attachment_refused", _("An attachment was refused")
    NO_SERVICE = "no_service", _("The mailbox has no usable service for new work orders")
    REFUSED = "refused", _("The work order was refused")


#: Outcomes that never create or change a work order: loops and duplicates.
LOOP_REASONS = frozenset({Reason.BOUNCE, Reason.AUTO_REPLY, Reason.OWN_NOTIFICATION})

# The one table of inbound-mail transitions: action -> (statuses it may start from, status it leads to). A new mail
# is recorded processed, ignored or quarantined; only a quarantined one moves on: processed again (which ends in
# one of the first three actions) or discarded.
INBOUND_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    InboundAction.PROCESS: (frozenset({InboundStatus.QUARANTINED}), InboundStatus.PROCESSED),
    InboundAction.IGNORE: (frozenset({InboundStatus.QUARANTINED}), InboundStatus.IGNORED),
    InboundAction.KEEP: (frozenset({InboundStatus.QUARANTINED}), InboundStatus.QUARANTINED),
    InboundAction.DISCARD: (frozenset({InboundStatus.QUARANTINED}), InboundStatus.DISCARDED),
}

INBOUND_MACHINE = Machine(
    name="mailintake.inboundmail",
    table=INBOUND_TRANSITIONS,
    refusal=lambda status, action: _("Only a quarantined mail can be processed again or discarded."),
    audit="mailintake.inboundmail.{action}",
    audit_names={
        InboundAction.PROCESS: "mailintake.inboundmail.reprocessed",
        InboundAction.IGNORE: "mailintake.inboundmail.reprocessed",
        InboundAction.KEEP: "mailintake.inboundmail.reprocessed",
    },
)

#: The headers a mail's page shows, with their names in the reader's language.
HEADER_LABELS = {
    "From": _("From"),
    "To": _("To"),
    "Cc": _("Cc"),
    "Reply-To": _("Reply to"),
    "Subject": _("Subject"),
    "Date": _("Date"),
    "Message-ID": _("Message-ID"),
    "In-Reply-To": _("In reply to"),
    "References": _("References"),
    "Auto-Submitted": _("Automatic mail"),
    "Precedence": _("Precedence"),
    "X-Autoreply": _("Automatic reply"),
    "X-Autorespond": _("Automatic reply"),
    "X-Oversight-Notification": _("Oversight notification"),
    "Content-Type": _("Content type"),
}

AUDIT_ACTIONS = {
    "mailintake.mailbox.created": _("Mailbox created"),
    "mailintake.mailbox.changed": _("Mailbox changed"),
    "mailintake.inboundmail.reprocessed": _("Quarantined mail processed again"),
    "mailintake.inboundmail.discard": _("Quarantined mail discarded"),
    "mailintake.requester.created": _("Requester account created from an e-mail"),
}
