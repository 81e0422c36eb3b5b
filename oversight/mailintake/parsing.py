"""Reading one e-mail: headers, charsets, the text of its body and its attachments (pure: imports no Django).

:func:`parse` turns the raw bytes of a message into a :class:`ParsedMail` or raises :class:`MailRefused` with a
reason code (``too_big``, ``too_many_parts``, ``undecodable``, ``no_sender``). The rules it applies:

* **Identity.** The Message-ID without its angle brackets; a mail without one gets ``sha256:<hex>`` of its From,
  To, Date and Subject headers and its body, so the same mail read twice has the same identity.
* **Charsets.** Headers are RFC 2047 encoded words (``=?GB2312?B?...?=``) or raw bytes; GB2312 and GBK are read
  as GB18030 (their superset, which real mail clients use under those labels), then UTF-8. A body in a charset
  Python does not know, or whose bytes are not valid in it, GB18030 or UTF-8, is undecodable.
* **Header injection.** Control characters (CR, LF, tab...) in a decoded header become one space: an encoded
  ``=0D=0A`` in a subject can never start a new header or line anywhere the subject is written.
* **Body.** The first ``text/plain`` part that is not an attachment; else the first ``text/html`` converted to
  text (scripts and styles dropped, tags removed, entities decoded, blocks on their own lines).
* **Attachments.** Every part with a file name or ``Content-Disposition: attachment`` (other than the body).
* **Limits.** At most ``max_bytes`` bytes and ``max_parts`` MIME parts (a mail bomb of nested parts is refused
  before any part is decoded).
* **Loops.** :func:`loop_reason` says whether a mail is a bounce, an automatic reply or one of Oversight's own
  notifications (``X-Oversight-Notification``), none of which may create or change a work order.
"""

from __future__ import annotations

import codecs
import datetime as dt
import email
import email.message
import email.policy
import hashlib
import re
from dataclasses import dataclass, field
from email.header import decode_header
from email.parser import BytesHeaderParser
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser

#: The header Oversight's own notification e-mails carry (any value); such a mail is never processed.
OWN_HEADER = "X-Oversight-Notification"
#: The Message-ID of a notification e-mail: ``<wo-<work order number>.n<notification id>.<random>@<domain>>``.
OWN_MESSAGE_ID_RE = re.compile(r"^<?wo-(?P<number>[A-Za-z0-9-]{1,40})\.n(?P<notification>\d{1,18})\.[^@>\s]*@")
#: A work-order number written in a subject between square brackets, e.g. ``[WO20260000123]``.
SUBJECT_NUMBER_RE = re.compile(r"\[([A-Za-z0-9][A-Za-z0-9-]{3,39})\]")

DEFAULT_MAX_BYTES = 25 * 1024 * 1024
DEFAULT_MAX_PARTS = 100
BOUNCE_SENDERS = frozenset({"mailer-daemon", "postmaster"})
AUTO_PRECEDENCE = frozenset({"bulk", "junk", "list", "auto_reply"})
SHOWN_HEADERS = (
    "From",
    "To",
    "Cc",
    "Reply-To",
    "Subject",
    "Date",
    "Message-ID",
    "In-Reply-To",
    "References",
    "Auto-Submitted",
    "Precedence",
    "X-Autoreply",
    "X-Autorespond",
    OWN_HEADER,
    "Content-Type",
)
# Labels real mail clients send for simplified Chinese: read with their superset.
CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "euc-cn": "gb18030"}
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


class MailRefused(Exception):  # noqa: N818 - carries a reason code, not a programming error
    """The mail cannot be processed; ``code`` is one of the reason codes of ``mailintake.choices.Reason``."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Attachment:
    """A file carried by a mail."""

    name: str
    content_type: str
    content: bytes


@dataclass
class ParsedMail:
    """What Oversight reads from one mail."""

    message_id: str
    from_address: str
    from_name: str
    subject: str
    sent_at: dt.datetime | None
    in_reply_to: list[str]
    references: list[str]
    text: str
    attachments: list[Attachment] = field(default_factory=list)
    headers: list[tuple[str, str]] = field(default_factory=list)
    loop: str | None = None


def _codec(charset: str | None) -> str:
    name = (charset or "").strip().strip('"').lower() or "us-ascii"
    name = CHARSET_ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError as exc:
        raise MailRefused("undecodable", f"unknown charset {charset!r}") from exc


def decode_bytes(data: bytes, charset: str | None) -> str:
    """Text from bytes in a declared charset, else GB18030, else UTF-8; MailRefused("undecodable") otherwise."""
    tried = []
    for name in (_codec(charset), "utf-8", "gb18030"):
        if name in tried:
            continue
        tried.append(name)
        try:
            return data.decode(name)
        except UnicodeDecodeError:
            continue
    raise MailRefused("undecodable", f"bytes not valid in {charset or 'us-ascii'}")


def clean_header(text: str, limit: int = 1000) -> str:
    """One line: control characters (CR, LF, tabs...) become a space, runs of spaces one, at most ``limit``."""
    return " ".join(_CONTROL_RE.sub(" ", text).split())[:limit]


def decode_header_text(value) -> str:
    """A header's text with RFC 2047 encoded words decoded (GB2312/GBK read as GB18030), on one clean line."""
    if value is None:
        return ""
    if isinstance(value, email.header.Header):
        value = str(value)
    raw = str(value)
    try:
        chunks = decode_header(raw)
    except Exception as exc:  # noqa: BLE001 - a malformed encoded word is the sender's fault
        raise MailRefused("undecodable", "malformed encoded word") from exc
    words = []
    for chunk, charset in chunks:
        if isinstance(chunk, bytes):
            words.append(decode_bytes(chunk, charset or "utf-8"))
        else:
            words.append(chunk)
    return clean_header("".join(words))


def _header(message: email.message.Message, name: str) -> str:
    return decode_header_text(message.get(name))


def _ids(value: str) -> list[str]:
    """Message-IDs listed in In-Reply-To or References, without angle brackets."""
    return [item.strip("<>") for item in re.findall(r"<[^<>\s]{1,250}>", value or "")][:50]


class _TextExtractor(HTMLParser):
    BLOCKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote"})
    SKIP = frozenset({"script", "style", "head", "title"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Plain text from HTML: no script, style or tag survives; entities decoded; one blank line at most."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).splitlines()]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def stable_id(raw: bytes, message: email.message.Message) -> str:
    """The identity of a mail without a Message-ID: a hash of its From, To, Date and Subject and its body."""
    digest = hashlib.sha256()
    for name in ("From", "To", "Date", "Subject"):
        digest.update(name.encode() + b":" + str(message.get(name, "")).encode("utf-8", "replace") + b"\n")
    separator = raw.find(b"\r\n\r\n")
    separator = raw.find(b"\n\n") if separator < 0 else separator
    digest.update(raw[separator:] if separator >= 0 else b"")
    return "sha256:" + digest.hexdigest()


def loop_reason(message: email.message.Message, from_address: str) -> str | None:
    """``own_notification``, ``bounce`` or ``auto_reply`` when the mail must never make or change a work order."""
    if message.get(OWN_HEADER) is not None or OWN_MESSAGE_ID_RE.match(str(message.get("Message-ID", "")).strip()):
        return "own_notification"
    local = from_address.split("@", 1)[0].lower()
    content_type = message.get_content_type()
    report_type = str(message.get_param("report-type", "") or "").lower()
    return_path = str(message.get("Return-Path", "") or "").strip()
    if (
        local in BOUNCE_SENDERS
        or (content_type == "multipart/report" and report_type == "delivery-status")
        or return_path == "<>"
    ):
        return "bounce"
    auto_submitted = str(message.get("Auto-Submitted", "") or "").strip().lower()
    if auto_submitted and auto_submitted != "no":
        return "auto_reply"
    if message.get("X-Autoreply") is not None or message.get("X-Autorespond") is not None:
        return "auto_reply"
    if str(message.get("Precedence", "") or "").strip().lower() in AUTO_PRECEDENCE:
        return "auto_reply"
    return None


def _count_parts(message: email.message.Message, max_parts: int) -> None:
    count = 0
    for _part in message.walk():
        count += 1
        if count > max_parts:
            raise MailRefused("too_many_parts", f"more than {max_parts} parts")


def _part_filename(part: email.message.Message) -> str:
    name = part.get_filename()
    if not name:
        return ""
    name = decode_header_text(name).replace("\\", "/").rsplit("/", 1)[-1]
    return name[:200]


def _payload(part: email.message.Message) -> bytes:
    payload = part.get_payload(decode=True)
    return payload if isinstance(payload, bytes) else b""


def _body_and_attachments(message: email.message.Message) -> tuple[str, list[Attachment]]:
    plain = html = None
    attachments = []
    for part in message.walk():
        if part.is_multipart():
            continue
        content_type = part.get_content_type()
        disposition = (part.get_content_disposition() or "").lower()
        filename = _part_filename(part)
        if disposition == "attachment" or filename:
            attachments.append(Attachment(filename or "attachment", content_type, _payload(part)))
            continue
        if content_type == "text/plain" and plain is None:
            plain = decode_bytes(_payload(part), part.get_content_charset())
        elif content_type == "text/html" and html is None:
            html = decode_bytes(_payload(part), part.get_content_charset())
    if plain is not None:
        text = plain.replace("\r\n", "\n").strip()
    elif html is not None:
        text = html_to_text(html)
    else:
        text = ""
    return text.replace("\x00", ""), attachments


def parse(raw: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES, max_parts: int = DEFAULT_MAX_PARTS) -> ParsedMail:
    """Read one mail (see the module docstring); MailRefused with a reason code when it cannot be processed."""
    if len(raw) > max_bytes:
        raise MailRefused("too_big", f"{len(raw)} bytes, limit {max_bytes}")
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    _count_parts(message, max_parts)
    headers = [(name, _header(message, name)) for name in SHOWN_HEADERS if message.get(name) is not None]
    message_id = identity(raw)
    from_header = _header(message, "From")
    addresses = [(name, addr) for name, addr in getaddresses([from_header]) if "@" in addr]
    from_name, from_address = addresses[0] if addresses else ("", "")
    from_address = clean_header(from_address, 254).lower()
    subject = _header(message, "Subject")[:300]
    try:
        sent_at = parsedate_to_datetime(str(message.get("Date", "")))
    except (TypeError, ValueError, IndexError):
        sent_at = None
    if sent_at is not None and sent_at.tzinfo is None:
        sent_at = sent_at.replace(tzinfo=dt.UTC)
    parsed = ParsedMail(
        message_id=message_id,
        from_address=from_address,
        from_name=clean_header(from_name, 200),
        subject=subject,
        sent_at=sent_at,
        in_reply_to=_ids(str(message.get("In-Reply-To", ""))),
        references=_ids(str(message.get("References", ""))),
        text="",
        headers=headers,
        loop=loop_reason(message, from_address),
    )
    if parsed.loop:
        return parsed
    if not from_address:
        raise MailRefused("no_sender", "no address in From")
    parsed.text, parsed.attachments = _body_and_attachments(message)
    return parsed


def identity(raw: bytes) -> str:
    """The identity of a mail (its Message-ID, or the stable hash), read from its headers alone."""
    message = BytesHeaderParser(policy=email.policy.compat32).parsebytes(raw)
    try:
        message_id = _header(message, "Message-ID").strip().strip("<>")[:250]
    except MailRefused:
        message_id = ""
    return message_id or stable_id(raw, message)


def subject_numbers(subject: str) -> list[str]:
    """Work-order numbers written in square brackets in a subject, in order."""
    return SUBJECT_NUMBER_RE.findall(subject or "")


def notification_refs(message_ids: list[str]) -> list[tuple[str, int]]:
    """(work-order number, notification id) of each Message-ID that names one of Oversight's notifications."""
    found = []
    for value in message_ids:
        match = OWN_MESSAGE_ID_RE.match(value)
        if match:
            found.append((match["number"], int(match["notification"])))
    return found
