"""Uploaded files kept by the apps (work-order attachments, contract documents, evaluation evidence): one size limit,
one list of accepted types, and the type decided from the file's bytes, never its name."""

from __future__ import annotations

import datetime as dt
import hashlib

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from oversight.core.errors import ApplicationError

# Content types accepted for attachments, decided from the file's bytes, never its name.
ALLOWED_ATTACHMENT_TYPES = {
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "application/pdf",
    "application/zip",
    "text/plain",
    "text/csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def sniff_content_type(head: bytes, name: str) -> str | None:
    """Decide a file's type from its bytes; plain text is accepted only if it decodes as UTF-8 without NULs."""
    kind = filetype.guess(head)
    if kind is not None:
        mime = kind.mime
        if mime == "application/zip" and name.lower().endswith((".xlsx", ".docx")):
            mime = (
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                if name.lower().endswith(".xlsx")
                else "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            )
        return mime
    if b"\x00" in head:
        return None
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        # A multi-byte character may be cut at the end of the sniffed head.
        try:
            text = head[:-3].decode("utf-8")
        except UnicodeDecodeError:
            return None
    lowered = text.lstrip().lower()
    if lowered.startswith(("<", "<!doctype", "<?xml", "<svg")) or "<script" in lowered:
        return None  # markup could run in a browser: refused
    return "text/csv" if name.lower().endswith(".csv") else "text/plain"


def check_stored_upload(upload: UploadedFile, *, field: str | None = None) -> tuple[str, str, str]:
    """Check an uploaded file's size and real type (from its bytes); return (name, content type, sha256).

    With `field`, each refusal carries a code and the form field it concerns (for API clients)."""

    def refusal(message, code: str) -> ApplicationError:
        if field is None:
            return ApplicationError(message)
        return ApplicationError(message, code=code, extra={"field": field})

    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise refusal(
            _("The file is too large (limit %(mb)s MB).") % {"mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)},
            "file_too_large",
        )
    if upload.size == 0:
        raise refusal(_("The file is empty."), "file_empty")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    name = (upload.name or "file").replace("\\", "/").rsplit("/", 1)[-1][:200]
    content_type = sniff_content_type(head, name)
    if content_type not in ALLOWED_ATTACHMENT_TYPES:
        raise refusal(
            _("This type of file is not accepted (images, PDF, text, CSV, Office and ZIP files are)."),
            "file_type",
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return name, content_type, digest.hexdigest()


def stored_file_name(sha256: str, now: dt.datetime, suffix: str = "") -> str:
    """A random-looking name for the stored copy: the user's file name never reaches the file system."""
    return f"{sha256[:16]}-{now:%Y%m%d%H%M%S%f}{suffix}.bin"
