"""Fixtures for the e-mail intake tests: a maildir mailbox of the world's organisation and a builder of raw mails."""

from __future__ import annotations

import base64
import mailbox as mailbox_lib
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

import pytest

from oversight.mailintake import services
from oversight.mailintake.models import Mailbox


def encoded_word(text: str, charset: str) -> str:
    """An RFC 2047 encoded word labelled as mail clients label it (``=?gb2312?B?...?=``)."""
    return f"=?{charset}?B?{base64.b64encode(text.encode(charset)).decode()}?="


def build_mail(
    *,
    sender: str = "nurse_a@example.org",
    name: str = "",
    subject: str = "Printer jammed",
    body: str = "The ward printer is jammed.",
    message_id: str | None = "<m1@mail.example.org>",
    headers: dict | None = None,
    html: str | None = None,
    attachments: list[tuple[str, str, bytes]] = (),
    charset: str = "utf-8",
) -> bytes:
    """A raw mail as a client would send it (RFC 2047 subject and name in ``charset``)."""
    text = MIMEText(html if html is not None else body, "html" if html is not None else "plain", charset)
    if attachments:
        message = MIMEMultipart()
        message.attach(text)
        for filename, content_type, content in attachments:
            part = MIMEApplication(content, _subtype=content_type.split("/")[1])
            part.replace_header("Content-Type", content_type)
            part.add_header("Content-Disposition", "attachment", filename=("utf-8", "", filename))
            message.attach(part)
    else:
        message = text
    message["From"] = f"{encoded_word(name, charset)} <{sender}>" if name else sender
    message["To"] = "helpdesk@hospital.example"
    message["Subject"] = encoded_word(subject, charset)
    message["Date"] = "Mon, 07 Dec 2026 09:30:00 +0800"
    if message_id:
        message["Message-ID"] = message_id
    for key, value in (headers or {}).items():
        message[key] = value
    return message.as_bytes()


@pytest.fixture
def maildir(tmp_path):
    """An empty maildir folder."""
    path = tmp_path / "Maildir"
    mailbox_lib.Maildir(str(path), create=True)
    return path


@pytest.fixture
def mailbox(world, maildir) -> Mailbox:
    """A maildir mailbox of the world's organisation filing new work orders under world.service."""
    box = Mailbox(
        organisation=world.org,
        name="Helpdesk",
        address="helpdesk@hospital.example",
        kind="maildir",
        path=str(maildir),
        service=world.service,
    )
    return services.mailbox_save(mailbox=box, fields=None, actor=world.users["client_admin"])


def deliver(maildir, raw: bytes) -> str:
    """Drop a raw mail into the maildir's new/ folder; returns its key."""
    return mailbox_lib.Maildir(str(maildir), create=False).add(mailbox_lib.MaildirMessage(raw))
