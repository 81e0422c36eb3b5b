"""Stored uploads and file downloads, shared by every app that keeps or hands out files.

- :class:`StoredFileBase` is the abstract model of an uploaded file kept outside the web root (work-order
  attachments, contract documents, evaluation evidence): the file under a random name, the user's file name,
  the type decided from its bytes, its size and SHA-256, who uploaded it and when.
- :func:`download_response` is the one response for every download (stored files, generated PDF/XLSX/CSV,
  QR codes, participant lists): always an attachment with a correctly encoded file name, never sniffed,
  sandboxed if a browser opens it anyway, and a 404 (not a 500) when a stored file is gone from disk.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from urllib.parse import quote

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext_lazy as _

from oversight.core.uploads import check_stored_upload, stored_file_name

# A downloaded file must never run as a page of the site: no sub-resources, no scripts, a unique origin.
DOWNLOAD_CSP = "default-src 'none'; sandbox"
DOWNLOAD_CACHE_CONTROL = "private, no-store"


class StoredFileBase(models.Model):
    """An uploaded file kept outside the web root and served only after a permission check.

    A concrete model adds what the file belongs to and redeclares ``file`` with its own ``upload_to``
    (the folder is part of each table's history). Fill a new row with :meth:`store`."""

    file = models.FileField(_("file"), upload_to="files/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    # The column keeps its historical name; `uploaded_at` is the name the code reads.
    created_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name

    @property
    def uploaded_at(self) -> dt.datetime:
        """When the file was uploaded."""
        return self.created_at

    def store(
        self,
        upload: UploadedFile,
        *,
        uploaded_by,
        now: dt.datetime,
        checked: tuple[str, str, str] | None = None,
        suffix: str = "",
    ) -> None:
        """Fill the file fields from a checked upload and write the file under a random name (the row is not saved).

        ``checked`` is what :func:`oversight.core.uploads.check_stored_upload` returned, when the caller checked a
        batch first; otherwise the upload is checked here (and refused with ``ApplicationError``)."""
        name, content_type, sha256 = checked or check_stored_upload(upload)
        self.original_name = name
        self.content_type = content_type
        self.size = upload.size
        self.sha256 = sha256
        self.uploaded_by = uploaded_by
        self.created_at = now
        # The stored name is random: the user's file name never reaches the file system.
        self.file.save(stored_file_name(sha256, now, suffix), upload, save=False)


# Characters no file name may carry on Windows, macOS or Linux (plus control characters, checked apart).
_UNSAFE_IN_NAMES = set('/\\:*?"<>|')


def readable_filename(*parts, extension: str) -> str:
    """A safe, readable file name from words in the reader's language, e.g. 服务报告-信息科技公司-2026-10.pdf.

    Parts are joined with "-", empty ones skipped; characters that no file system accepts and control
    characters become "_", runs of spaces one "_"; at most 120 characters before the extension. Non-ASCII
    names reach the browser through ``content_disposition`` (RFC 5987 ``filename*``)."""
    words = []
    for part in parts:
        text = "".join("_" if ch in _UNSAFE_IN_NAMES or not ch.isprintable() else ch for ch in str(part or "").strip())
        text = "_".join(text.split())
        if text:
            words.append(text)
    base = "-".join(words).strip(".") or "download"
    return f"{base[:120]}.{extension}"


def ascii_fallback(filename: str) -> str:
    """An ASCII stand-in for a file name (accents dropped, other characters as "_"), keeping the extension."""
    decomposed = unicodedata.normalize("NFKD", filename)
    out = []
    for ch in decomposed:
        if unicodedata.combining(ch):
            continue
        out.append(ch if ch.isascii() and ch.isprintable() and ch not in '"\\' else "_")
    return "".join(out) or "download"


def content_disposition(filename: str) -> str:
    """``Content-Disposition: attachment`` with the file name encoded per RFC 6266 / RFC 5987.

    An ASCII name is sent as ``filename="..."``; any other name also as ``filename*=UTF-8''...`` (which every
    current browser prefers), with an ASCII ``filename`` for the rest."""
    filename = (filename or "download").replace("\r", " ").replace("\n", " ").replace("/", "_").replace("\\", "_")
    fallback = ascii_fallback(filename)
    if fallback == filename:
        return f'attachment; filename="{filename}"'
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def download_response(
    content_or_file: bytes | str | FieldFile | Iterable,
    *,
    filename: str,
    content_type: str,
    cache_control: str = DOWNLOAD_CACHE_CONTROL,
) -> HttpResponse | FileResponse | StreamingHttpResponse:
    """The one download response: a stored file, generated bytes/text, or an iterator of chunks (streamed).

    Every download is an attachment (never rendered inline), is not sniffed, and runs sandboxed with no
    sub-resources if a browser opens it anyway. A stored file missing on disk answers 404, not 500."""
    if isinstance(content_or_file, FieldFile):
        try:
            handle = content_or_file.open("rb")
        except (FileNotFoundError, ValueError) as exc:
            raise Http404 from exc
        response = FileResponse(handle, content_type=content_type)
    elif isinstance(content_or_file, bytes | str):
        response = HttpResponse(content_or_file, content_type=content_type)
    else:
        response = StreamingHttpResponse(content_or_file, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = DOWNLOAD_CSP
    response["Cache-Control"] = cache_control
    return response
