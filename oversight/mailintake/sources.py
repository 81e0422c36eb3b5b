"""Where mails are read from: an IMAP folder (``imaplib``) or a maildir (``mailbox.Maildir``).

A source is a context manager: ``fetch()`` yields ``(key, raw bytes)`` of each mail not read yet, ``done(key)``
marks one read once it is recorded (so a crash between the two reads it again, and the dedupe by Message-ID
makes that harmless), ``count()`` counts the folder's messages (the connection test).

* **Maildir**: the mails in ``new/``, oldest first; a read mail moves to ``cur/`` with the seen flag (``:2,S``).
* **IMAP**: the folder is selected read-write; mails with a UID above the last one read (kept on the mailbox with
  the folder's UIDVALIDITY: a new UIDVALIDITY starts again from the first UID), fetched with ``BODY.PEEK[]``
  and flagged ``\\Seen`` once recorded. The password comes from the environment variable the mailbox names.
"""

from __future__ import annotations

import imaplib
import mailbox as mailbox_lib
import os
import re
import ssl
from collections.abc import Iterator

from django.utils.translation import gettext

from oversight.mailintake.choices import MailboxKind
from oversight.mailintake.models import Mailbox

IMAP_TIMEOUT = 30


class SourceError(Exception):
    """The mailbox cannot be read; the message says why, in words for the administrator."""


class MaildirSource:
    """The new mails of a maildir folder."""

    def __init__(self, mailbox: Mailbox) -> None:
        self.path = mailbox.path
        self.folder: mailbox_lib.Maildir | None = None

    def __enter__(self) -> MaildirSource:
        if not self.path or not os.path.isdir(os.path.join(self.path, "new")):
            raise SourceError(
                gettext("The folder %(path)s is not a maildir (it has no new/ folder).") % {"path": self.path}
            )
        self.folder = mailbox_lib.Maildir(self.path, factory=None, create=False)
        return self

    def __exit__(self, *exc) -> None:
        self.folder = None

    def fetch(self) -> Iterator[tuple[str, bytes]]:
        new = os.path.join(self.path, "new")
        names = sorted(name for name in os.listdir(new) if not name.startswith("."))
        for name in names:
            key = name.split(":", 1)[0]
            try:
                raw = self.folder.get_bytes(key)
            except KeyError:
                continue  # another poller moved it meanwhile
            yield key, raw

    def done(self, key: str) -> None:
        message = self.folder.get_message(key)
        message.set_subdir("cur")
        message.add_flag("S")
        self.folder[key] = message

    def count(self) -> int:
        with self:
            return len(self.folder)


class ImapSource:
    """The unread mails of an IMAP folder."""

    def __init__(self, mailbox: Mailbox) -> None:
        self.mailbox = mailbox
        self.conn: imaplib.IMAP4 | None = None
        self.uid_validity: int | None = None

    def _fail(self, error: Exception) -> SourceError:
        return SourceError(
            gettext("Could not read %(host)s:%(port)s: %(error)s")
            % {"host": self.mailbox.host, "port": self.mailbox.port, "error": str(error) or type(error).__name__}
        )

    def __enter__(self) -> ImapSource:
        from oversight.mailintake.services import mailbox_password

        box = self.mailbox
        if box.password_env and box.password_env not in os.environ:
            raise SourceError(gettext("The environment variable %(name)s is not set.") % {"name": box.password_env})
        try:
            if box.use_ssl:
                self.conn = imaplib.IMAP4_SSL(
                    box.host, box.port, ssl_context=ssl.create_default_context(), timeout=IMAP_TIMEOUT
                )
            else:
                self.conn = imaplib.IMAP4(box.host, box.port, timeout=IMAP_TIMEOUT)
        except (TimeoutError, OSError, imaplib.IMAP4.error) as exc:
            raise self._fail(exc) from exc
        try:
            self.conn.login(box.username, mailbox_password(box))
        except imaplib.IMAP4.error as exc:
            self._close()
            raise SourceError(gettext("The server refused the user name or the password.")) from exc
        except OSError as exc:
            self._close()
            raise self._fail(exc) from exc
        try:
            status, _data = self.conn.select(self._quoted(box.folder))
            if status != "OK":
                raise SourceError(gettext("The folder %(folder)s does not exist.") % {"folder": box.folder})
            validity = self.conn.response("UIDVALIDITY")[1]
            self.uid_validity = int(validity[0]) if validity and validity[0] else None
        except (OSError, imaplib.IMAP4.error) as exc:
            self._close()
            raise self._fail(exc) from exc
        except SourceError:
            self._close()
            raise
        return self

    @staticmethod
    def _quoted(folder: str) -> str:
        return '"' + (folder or "INBOX").replace("\\", "\\\\").replace('"', '\\"') + '"'

    def _close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.logout()
            except (OSError, imaplib.IMAP4.error):
                pass
            self.conn = None

    def __exit__(self, *exc) -> None:
        self._close()

    def _last_uid(self) -> int:
        if self.uid_validity is not None and self.mailbox.last_uid_validity != self.uid_validity:
            return 0
        return self.mailbox.last_uid

    def fetch(self) -> Iterator[tuple[int, bytes]]:
        last = self._last_uid()
        try:
            status, data = self.conn.uid("SEARCH", None, f"UID {last + 1}:*")
            if status != "OK":
                raise SourceError(gettext("The server did not list the folder's messages."))
            uids = sorted(int(uid) for uid in (data[0] or b"").split() if int(uid) > last)
            for uid in uids:
                status, parts = self.conn.uid("FETCH", str(uid), "(BODY.PEEK[])")
                raw = next((item[1] for item in parts or () if isinstance(item, tuple)), None)
                if status != "OK" or raw is None:
                    continue
                yield uid, raw
        except (OSError, imaplib.IMAP4.error) as exc:
            raise self._fail(exc) from exc

    def done(self, key: int) -> None:
        try:
            self.conn.uid("STORE", str(key), "+FLAGS", "(\\Seen)")
        except (OSError, imaplib.IMAP4.error) as exc:
            raise self._fail(exc) from exc
        Mailbox.objects.filter(pk=self.mailbox.pk).update(last_uid=key, last_uid_validity=self.uid_validity)
        self.mailbox.last_uid, self.mailbox.last_uid_validity = key, self.uid_validity

    def count(self) -> int:
        with self:
            status, data = self.conn.select(self._quoted(self.mailbox.folder), readonly=True)
            match = re.match(rb"\d+", data[0] or b"") if status == "OK" else None
            return int(match.group()) if match else 0


def source_for(mailbox: Mailbox) -> MaildirSource | ImapSource:
    """The reader of a mailbox's kind."""
    return MaildirSource(mailbox) if mailbox.kind == MailboxKind.MAILDIR else ImapSource(mailbox)
