"""Writes of e-mail intake: keeping mailboxes, receiving a mail (dedupe, loop protection, a work order or a
comment, or quarantine with the reason), and processing a quarantined mail again or discarding it.

What becomes of one mail (ADR 0028):

1. **Dedupe.** A mail already recorded for the mailbox (same Message-ID, or the same stable hash when it has
   none) is not processed again: its row counts one more copy, and nothing else changes.
2. **Limits and decoding** (``parsing.parse``): too big, too many parts, undecodable or without a sender:
   quarantined.
3. **No loops.** Bounces, automatic replies and Oversight's own notifications are ignored with their reason.
4. **Sender.** A person of the organisation with that address (case-insensitive, active); otherwise the
   mailbox's rule: quarantine, create a requester account, or file under the catch-all requester.
5. **Reply or new request.** A work-order number in square brackets in the subject, or an In-Reply-To or
   References naming one of Oversight's notification e-mails, makes the mail a public comment by the sender on
   that work order (if the sender may comment on it); anything else a new work order (channel e-mail) in the
   mailbox's service. Attachments go through the tickets attachment service (size, type) and the form's count.
6. Any refusal on the way rolls the whole mail back and quarantines it with the reason and the raw message;
   the next mail is processed as usual.
"""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import audit_record, row_save_audited
from oversight.audit.transitions import transition
from oversight.core import clock
from oversight.core.concurrency import lock_row
from oversight.core.errors import ApplicationError, NotAllowed
from oversight.mailintake import parsing
from oversight.mailintake.choices import (
    INBOUND_MACHINE,
    REPROCESS_ACTIONS,
    InboundAction,
    InboundStatus,
    MailboxKind,
    Reason,
    UnknownSenderRule,
)
from oversight.mailintake.models import InboundMail, Mailbox, RawMessage
from oversight.notifications.models import Notification
from oversight.tenancy.choices import Role
from oversight.tenancy.models import User
from oversight.tenancy.roles import is_client_operator
from oversight.tenancy.services import user_save
from oversight.tickets import permissions as ticket_permissions
from oversight.tickets.choices import Channel
from oversight.tickets.forms import MAX_FILES
from oversight.tickets.models import WorkOrder
from oversight.tickets.services import attachment_create, comment_create, work_order_create

logger = logging.getLogger(__name__)


def max_mail_bytes() -> int:
    """The largest mail processed (``MAILINTAKE_MAX_BYTES``, 25 MB by default); a larger one is quarantined."""
    return int(getattr(settings, "MAILINTAKE_MAX_BYTES", parsing.DEFAULT_MAX_BYTES))


# ---------------------------------------------------------------------------------------------------- mailboxes


def may_manage_mailboxes(user, organisation_id) -> bool:
    """Only the client's administrators configure how the organisation receives mail."""
    return bool(user.is_superuser or (user.role == Role.CLIENT_ADMIN and user.organisation_id == organisation_id))


def may_handle_quarantine(user, mail: InboundMail) -> bool:
    """The client's administrators and supervisors process a quarantined mail again or discard it."""
    return is_client_operator(user, mail.mailbox.organisation_id)


def _check_mailbox(mailbox: Mailbox) -> None:
    if mailbox.kind == MailboxKind.IMAP and not (mailbox.host and mailbox.username):
        raise ApplicationError(_("An IMAP mailbox needs a server and a user name."), extra={"field": "host"})
    if mailbox.kind == MailboxKind.MAILDIR and not mailbox.path:
        raise ApplicationError(_("A maildir mailbox needs its folder."), extra={"field": "path"})
    if mailbox.password_env and not mailbox.password_env.replace("_", "").isalnum():
        raise ApplicationError(
            _("The password variable is a name such as OVERSIGHT_MAIL_PASSWORD, not the password."),
            extra={"field": "password_env"},
        )
    if mailbox.service.organisation_id != mailbox.organisation_id:
        raise ApplicationError(_("Unknown service."), extra={"field": "service"})
    if mailbox.offering_id and mailbox.offering.service_id != mailbox.service_id:
        raise ApplicationError(_("The offering does not belong to the chosen service."), extra={"field": "offering"})
    if mailbox.unknown_sender == UnknownSenderRule.CATCH_ALL:
        requester = mailbox.catch_all_requester
        if requester is None:
            raise ApplicationError(
                _("Choose the catch-all requester for mails from unknown senders."),
                extra={"field": "catch_all_requester"},
            )
        if requester.organisation_id != mailbox.organisation_id:
            raise ApplicationError(_("The requester belongs to another organisation."))


@transaction.atomic
def mailbox_save(*, mailbox: Mailbox, fields: list[str] | None, actor) -> Mailbox:
    """Create (fields None) or change a mailbox of the actor's organisation; audited, never holding a password."""
    if not may_manage_mailboxes(actor, mailbox.organisation_id):
        raise NotAllowed(_("Only the client's administrators configure mailboxes."))
    _check_mailbox(mailbox)
    return row_save_audited(actor=actor, obj=mailbox, fields=fields, organisation=mailbox.organisation)


def mailbox_test_connection(*, mailbox: Mailbox, actor) -> str:
    """Open the mailbox and count its messages; returns what was found, or raises ApplicationError saying why not."""
    from oversight.mailintake import sources

    if not may_manage_mailboxes(actor, mailbox.organisation_id):
        raise NotAllowed(_("Only the client's administrators configure mailboxes."))
    try:
        count = sources.source_for(mailbox).count()
    except sources.SourceError as exc:
        raise ApplicationError(str(exc), code="mailbox_unreachable") from exc
    return gettext("Connected: %(count)d messages in the folder.") % {"count": count}


# ---------------------------------------------------------------------------------------------------- one mail


@dataclass
class Outcome:
    """What processing a mail decided."""

    status: str
    reason: str
    detail: str = ""
    work_order: WorkOrder | None = None


class _Quarantine(Exception):  # noqa: N818 - control flow: rolls back the mail's writes
    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


def _unique_username(address: str) -> str:
    local = "".join(ch for ch in address.split("@", 1)[0] if ch.isalnum() or ch in "._-")[:30] or "mail"
    candidate = f"mail-{local}"
    if not User.objects.filter(username__iexact=candidate).exists():
        return candidate
    return f"{candidate}-{hashlib.sha256(address.encode()).hexdigest()[:8]}"


def _sender(mailbox: Mailbox, parsed: parsing.ParsedMail) -> tuple[User, User | None]:
    """(the person who writes, the requester filed instead when the catch-all rule applies)."""
    people = list(
        User.objects.filter(organisation_id=mailbox.organisation_id, email__iexact=parsed.from_address).order_by(
            "-is_active", "pk"
        )[:1]
    )
    if people:
        if not people[0].is_active:
            raise _Quarantine(Reason.SENDER_INACTIVE, parsed.from_address)
        return people[0], None
    if mailbox.unknown_sender == UnknownSenderRule.CREATE_REQUESTER:
        organisation = mailbox.organisation
        user = User(
            username=_unique_username(parsed.from_address),
            email=parsed.from_address,
            display_name=parsed.from_name[:150],
            organisation=organisation,
            role=Role.REQUESTER,
            time_zone=organisation.time_zone,
        )
        user.set_unusable_password()
        user_save(actor=None, user=user, fields=None)
        audit_record(
            actor=None,
            action="mailintake.requester.created",
            obj=user,
            organisation=organisation,
            after={"email": user.email, "mailbox": mailbox.pk},
        )
        return user, None
    if mailbox.unknown_sender == UnknownSenderRule.CATCH_ALL and mailbox.catch_all_requester_id:
        return mailbox.catch_all_requester, mailbox.catch_all_requester
    raise _Quarantine(Reason.UNKNOWN_SENDER, parsed.from_address)


def _reply_target(mailbox: Mailbox, parsed: parsing.ParsedMail) -> WorkOrder | None:
    """The work order a mail answers: a number in the subject, else a notification named in its thread headers."""
    organisation_orders = WorkOrder.objects.filter(organisation_id=mailbox.organisation_id)
    for number in parsing.subject_numbers(parsed.subject):
        found = organisation_orders.filter(number__iexact=number).first()
        if found is not None:
            return found
    for number, notification_id in parsing.notification_refs([*parsed.in_reply_to, *parsed.references]):
        sent = (
            Notification.objects.filter(
                pk=notification_id, work_order__number=number, work_order__organisation_id=mailbox.organisation_id
            )
            .select_related("work_order")
            .first()
        )
        if sent is not None:
            return sent.work_order
    return None


def _attach(actor: User, work_order: WorkOrder, attachments: list[parsing.Attachment]) -> None:
    if len(attachments) > MAX_FILES:
        raise _Quarantine(Reason.ATTACHMENT_REFUSED, gettext("Attach at most %(n)d files.") % {"n": MAX_FILES})
    for item in attachments:
        upload = SimpleUploadedFile(item.name, item.content, content_type=item.content_type)
        try:
            attachment_create(actor=actor, work_order=work_order, upload=upload)
        except ApplicationError as exc:
            raise _Quarantine(Reason.ATTACHMENT_REFUSED, f"{item.name}: {exc.message}") from exc


def _process(mailbox: Mailbox, parsed: parsing.ParsedMail) -> Outcome:
    """Make the work order or the comment a mail asks for; raises _Quarantine when it cannot."""
    if parsed.loop:
        return Outcome(InboundStatus.IGNORED, parsed.loop)
    writer, catch_all = _sender(mailbox, parsed)
    target = _reply_target(mailbox, parsed)
    sender_line = ""
    if catch_all is not None:
        sender_line = gettext("From: %(name)s <%(address)s>") % {
            "name": parsed.from_name,
            "address": parsed.from_address,
        }
    if target is not None:
        if not ticket_permissions.may_comment(writer, target):
            raise _Quarantine(Reason.MAY_NOT_COMMENT, target.number)
        body = "\n\n".join(part for part in (sender_line, parsed.text or parsed.subject) if part)
        try:
            comment_create(actor=writer, work_order=target, body=body or target.number)
        except ApplicationError as exc:
            raise _Quarantine(Reason.REFUSED, str(exc.message)) from exc
        _attach(writer, target, parsed.attachments)
        return Outcome(InboundStatus.PROCESSED, Reason.COMMENT, work_order=target)
    if not ticket_permissions.may_create(writer):
        raise _Quarantine(Reason.MAY_NOT_CREATE, parsed.from_address)
    if not mailbox.service.is_active:
        raise _Quarantine(Reason.NO_SERVICE)
    description = "\n\n".join(part for part in (sender_line, parsed.text) if part)
    try:
        work_order = work_order_create(
            actor=writer,
            service=mailbox.service,
            offering=mailbox.offering,
            title=parsed.subject or gettext("(no subject)"),
            description=description,
            channel=Channel.EMAIL,
        )
    except ApplicationError as exc:
        raise _Quarantine(Reason.REFUSED, str(exc.message)) from exc
    _attach(writer, work_order, parsed.attachments)
    return Outcome(InboundStatus.PROCESSED, Reason.NEW_WORK_ORDER, work_order=work_order)


def _decide(mailbox: Mailbox, raw: bytes, mail: InboundMail) -> Outcome:
    """Parse and process a mail inside a savepoint; any refusal rolls back its writes and quarantines it."""
    try:
        parsed = parsing.parse(raw, max_bytes=max_mail_bytes())
    except parsing.MailRefused as exc:
        return Outcome(InboundStatus.QUARANTINED, exc.code, exc.detail)
    mail.from_address = parsed.from_address[:254]
    mail.from_name = parsed.from_name[:200]
    mail.subject = parsed.subject[:300]
    mail.sent_at = parsed.sent_at
    mail.headers = [list(pair) for pair in parsed.headers]
    try:
        with transaction.atomic():
            return _process(mailbox, parsed)
    except _Quarantine as exc:
        return Outcome(InboundStatus.QUARANTINED, exc.reason, exc.detail)
    except parsing.MailRefused as exc:
        return Outcome(InboundStatus.QUARANTINED, exc.code, exc.detail)
    except Exception as exc:  # noqa: BLE001 - one broken mail must never stop the queue
        logger.exception("mail %s of mailbox %s could not be processed", mail.message_id, mailbox.pk)
        return Outcome(InboundStatus.QUARANTINED, Reason.REFUSED, type(exc).__name__)


def _keep_raw(mail: InboundMail, raw: bytes, now) -> None:
    """Store the raw message of a quarantined mail once (it is what "process again" reads)."""
    if RawMessage.objects.filter(mail=mail).exists():
        return
    stored = RawMessage(mail=mail)
    name = f"{mail.pk}.eml"
    stored.store(
        ContentFile(raw, name=name),
        uploaded_by=None,
        now=now,
        checked=(name, "message/rfc822", hashlib.sha256(raw).hexdigest()),
    )
    stored.save()


def _apply(mail: InboundMail, outcome: Outcome) -> list[str]:
    mail.status = outcome.status
    mail.reason = outcome.reason
    mail.detail = (outcome.detail or "")[:2000]
    mail.work_order = outcome.work_order
    return ["reason", "detail", "work_order", "from_address", "from_name", "subject", "sent_at", "headers"]


def mail_receive(*, mailbox: Mailbox, raw: bytes) -> tuple[InboundMail, bool]:
    """Record and process one mail read from a mailbox; returns (its row, whether it was new).

    A mail already recorded for the mailbox counts one more copy and changes nothing else (dedupe)."""
    message_id = parsing.identity(raw)
    now = clock.now()
    existing = InboundMail.objects.filter(mailbox=mailbox, message_id=message_id).first()
    if existing is None:
        try:
            with transaction.atomic():
                mail = InboundMail.objects.create(
                    mailbox=mailbox,
                    message_id=message_id,
                    received_at=now,
                    size=len(raw),
                    status=InboundStatus.QUARANTINED,
                    reason=Reason.REFUSED,
                )
                outcome = _decide(mailbox, raw, mail)
                mail.save(update_fields=["status", *_apply(mail, outcome)])
                if outcome.status == InboundStatus.QUARANTINED:
                    _keep_raw(mail, raw, now)
            return mail, True
        except IntegrityError:
            # Another poller recorded the same mail at the same moment: it is theirs.
            existing = InboundMail.objects.filter(mailbox=mailbox, message_id=message_id).first()
            if existing is None:
                raise
    InboundMail.objects.filter(pk=existing.pk).update(copies=F("copies") + 1)
    existing.refresh_from_db(fields=["copies"])
    return existing, False


@transaction.atomic
def inbound_reprocess(*, mail: InboundMail, actor) -> InboundMail:
    """Process a quarantined mail again from its stored raw message (after the sender was added, say); audited.

    The outcome (processed, ignored, still quarantined with the new reason) is one transition of the machine."""
    locked = lock_row(mail, "mailbox__organisation")
    if not may_handle_quarantine(actor, locked):
        raise NotAllowed(_("Only the client's administrators and supervisors handle quarantined mail."))
    if locked.status != InboundStatus.QUARANTINED:
        # Refused with the machine's words, or (already processed) a harmless repeat that changes nothing.
        INBOUND_MACHINE.decide(locked, actor, InboundAction.PROCESS)
        return locked
    stored = RawMessage.objects.filter(mail=locked).first()
    try:
        with stored.file.open("rb") as handle:
            raw = handle.read()
    except (AttributeError, FileNotFoundError, ValueError):
        outcome = Outcome(InboundStatus.QUARANTINED, Reason.UNDECODABLE, "raw message missing")
    else:
        outcome = _decide(locked.mailbox, raw, locked)
    done = transition(
        locked,
        machine=INBOUND_MACHINE,
        action=REPROCESS_ACTIONS[outcome.status],
        actor=actor,
        lock=False,
        apply=lambda obj, now: _apply(obj, outcome),
        audit_organisation=locked.mailbox.organisation,
        audit_after={"reason": outcome.reason, "work_order": getattr(outcome.work_order, "pk", None)},
    )
    if outcome.status != InboundStatus.QUARANTINED and stored is not None:
        _forget_raw(stored)
    return done.obj


def _forget_raw(stored: RawMessage) -> None:
    name, storage = stored.file.name, stored.file.storage
    stored.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def inbound_discard(*, mail: InboundMail, actor) -> InboundMail:
    """Discard a quarantined mail: it stays in the log as discarded and its raw message is deleted; audited."""

    def authorize(locked):
        if not may_handle_quarantine(actor, locked):
            raise NotAllowed(_("Only the client's administrators and supervisors handle quarantined mail."))

    def apply(locked, now):
        stored = RawMessage.objects.filter(mail=locked).first()
        if stored is not None:
            _forget_raw(stored)
        return []

    done = transition(
        mail,
        machine=INBOUND_MACHINE,
        action=InboundAction.DISCARD,
        actor=actor,
        related=("mailbox",),
        authorize=authorize,
        apply=apply,
        audit_organisation=mail.mailbox.organisation,
    )
    return done.obj


# ---------------------------------------------------------------------------------------------------- polling


@dataclass
class PollResult:
    """What one poll of one mailbox did."""

    read: int = 0
    new: int = 0
    duplicates: int = 0
    processed: int = 0
    ignored: int = 0
    quarantined: int = 0
    error: str = ""


def mailbox_poll(*, mailbox_id: int) -> PollResult:
    """Read the mailbox's new mails, process each (one failure never stops the others), mark them read."""
    from oversight.mailintake import sources

    mailbox = Mailbox.objects.select_related("organisation", "service", "offering", "catch_all_requester").get(
        pk=mailbox_id
    )
    result = PollResult()
    try:
        with sources.source_for(mailbox) as source:
            for key, raw in source.fetch():
                mail, created = mail_receive(mailbox=mailbox, raw=raw)
                result.read += 1
                if created:
                    result.new += 1
                    setattr(result, mail.status, getattr(result, mail.status) + 1)
                else:
                    result.duplicates += 1
                source.done(key)
    except sources.SourceError as exc:
        result.error = str(exc)
    mailbox.last_polled_at = clock.now()
    mailbox.last_error = result.error[:2000]
    Mailbox.objects.filter(pk=mailbox.pk).update(last_polled_at=mailbox.last_polled_at, last_error=mailbox.last_error)
    return result


def mailboxes_poll_all() -> dict[int, PollResult]:
    """Poll every active mailbox once (the periodic job and ``manage.py mail_poll``)."""
    return {
        pk: mailbox_poll(mailbox_id=pk) for pk in Mailbox.objects.filter(is_active=True).values_list("pk", flat=True)
    }


def mailbox_password(mailbox: Mailbox) -> str:
    """The IMAP password, read from the environment variable the mailbox names (never from the database)."""
    return os.environ.get(mailbox.password_env, "") if mailbox.password_env else ""
