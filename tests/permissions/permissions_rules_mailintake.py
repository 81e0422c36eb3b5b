"""The permission matrix's knowledge of e-mail intake: mailboxes and the log of inbound mails.

Rules (the app's stated design): a client organisation's administrators and supervisors see its mailboxes and
the mails read from them; executives, auditors, vendor staff, requesters and other organisations see none.
The log and a mail's page are for the administrators and supervisors (who process a quarantined mail again or
discard it); the mailbox pages (list, create, edit, test) for the administrators only.
"""

from __future__ import annotations

from oversight.mailintake import services
from oversight.mailintake.models import InboundMail, Mailbox, RawMessage
from oversight.tenancy.choices import Role
from tests.permissions.permissions_support import Matrix, Payload, describe_app, secret

OPERATORS = frozenset({Role.CLIENT_ADMIN, Role.CLIENT_SUPERVISOR})
ADMINS = frozenset({Role.CLIENT_ADMIN})


def _raw(key: str, sender: str, extra: str = "") -> bytes:
    head = f"From: {sender}\r\nSubject: {secret(key, 'Subject')}\r\nMessage-ID: <{key}@pmx.example>\r\n{extra}"
    return f"{head}\r\nBody of {key}".encode()


def build(matrix: Matrix) -> None:
    world = matrix.world
    admin, foreign_admin = matrix.users["client_admin"], matrix.users["foreign_admin"]
    boxes = {
        "A": services.mailbox_save(
            mailbox=Mailbox(
                organisation=world.org,
                name=secret("MBA", "Box"),
                address="helpdesk-a@pmx.example",
                kind="maildir",
                path="/nonexistent/pmx-a",
                service=world.service,
            ),
            fields=None,
            actor=admin,
        ),
        "X": services.mailbox_save(
            mailbox=Mailbox(
                organisation=world.other_org,
                name=secret("MBX", "Box"),
                address="helpdesk-x@pmx.example",
                kind="maildir",
                path="/nonexistent/pmx-x",
                service=world.foreign_service,
            ),
            fields=None,
            actor=foreign_admin,
        ),
    }
    mails = {}
    # No mail here makes a work order: the matrix's own work orders are what its lists count.
    for instance, box, sender, extra in (
        ("A.ignored", boxes["A"], matrix.users["requester"].email, "Auto-Submitted: auto-replied\r\n"),
        ("A.quarantined", boxes["A"], "stranger@pmx.example", ""),
        ("X.quarantined", boxes["X"], "stranger@pmx.example", ""),
    ):
        key = "MI" + instance.replace(".", "")
        mails[instance], _created = services.mail_receive(mailbox=box, raw=_raw(key, sender, extra))
    matrix.objects["mailbox"] = boxes
    matrix.objects["inbound_mail"] = mails


def sees_mailbox(matrix: Matrix, role: str, mailbox) -> bool:
    user = matrix.user(role)
    return user is not None and user.organisation_id == mailbox.organisation_id and user.role in OPERATORS


def words(matrix: Matrix, role: str) -> dict[str, str]:
    out = {}
    user = matrix.user(role)
    for instance, box in matrix.objects["mailbox"].items():
        # The auditors read the audit trail of their organisation, which names the mailboxes saved.
        reads_audit = user is not None and user.role == Role.AUDITOR and user.organisation_id == box.organisation_id
        if not sees_mailbox(matrix, role, box) and not reads_audit:
            out[box.name] = f"mailbox {instance}"
    for instance, mail in matrix.objects["inbound_mail"].items():
        if not sees_mailbox(matrix, role, mail.mailbox):
            out[mail.subject] = f"inbound mail {instance}"
    return out


def _form(data):
    return lambda target, matrix: Payload(data(matrix) if callable(data) else dict(data))


def _mailbox_form(matrix: Matrix) -> dict:
    return {
        "name": "PmxNewBox",
        "address": "new@pmx.example",
        "kind": "maildir",
        "port": "993",
        "folder": "INBOX",
        "path": "/nonexistent/pmx-new",
        "service": matrix.world.service.pk,
        "unknown_sender": "quarantine",
        "is_active": "on",
    }


describe_app(
    "mailintake",
    models={"mailbox": Mailbox, "inbound_mail": InboundMail},
    build=build,
    rules={
        "mailbox": sees_mailbox,
        "inbound_mail": lambda matrix, role, mail: sees_mailbox(matrix, role, mail.mailbox),
    },
    words=words,
    tables=(Mailbox, InboundMail, RawMessage),
    pk_models={
        "mailintake:mail_detail": "inbound_mail",
        "mailintake:mail_reprocess": "inbound_mail",
        "mailintake:mail_discard": "inbound_mail",
        "mailintake:mailbox_edit": "mailbox",
        "mailintake:mailbox_test": "mailbox",
    },
    gates={
        "mailintake:log": OPERATORS,
        "mailintake:mail_detail": OPERATORS,
        "mailintake:mail_reprocess": OPERATORS,
        "mailintake:mail_discard": OPERATORS,
        "mailintake:mailbox_list": ADMINS,
        "mailintake:mailbox_create": ADMINS,
        "mailintake:mailbox_edit": ADMINS,
        "mailintake:mailbox_test": ADMINS,
    },
    payloads={
        ("mailintake:mail_reprocess", "post"): _form({}),
        ("mailintake:mail_discard", "post"): _form({}),
        ("mailintake:mailbox_create", "post"): _form(_mailbox_form),
        ("mailintake:mailbox_edit", "post"): _form(_mailbox_form),
        ("mailintake:mailbox_test", "post"): _form({}),
    },
)
