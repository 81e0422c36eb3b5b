"""The one download response and the stored-file base: headers, encoded names, a missing file is a 404."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse, Http404, StreamingHttpResponse

from oversight.contracts.models import ContractDocument
from oversight.core import clock
from oversight.core.errors import ApplicationError
from oversight.core.files import StoredFileBase, content_disposition, download_response
from oversight.scorecards.models import Evidence
from oversight.tickets.models import Attachment

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64


def filename_from(header: str) -> str:
    """What a browser saves the file as: filename* (RFC 5987) when given, else the quoted filename."""
    star = re.search(r"filename\*=UTF-8''([^;]+)", header)
    if star:
        return unquote(star.group(1), encoding="utf-8")
    return re.search(r'filename="([^"]*)"', header).group(1)


def assert_download_headers(response, *, content_type: str) -> None:
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    ("content", "content_type", "name", "kind"),
    [
        (b"%PDF-1.7 ...", "application/pdf", "statement-HT-1.pdf", "bytes"),
        (b"PK\x03\x04", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "r.xlsx", "bytes"),
        ("1\n2\n", "text/plain; charset=utf-8", "draw-2026-q1-participants.txt", "bytes"),
        (PNG, "image/png", "qr-1.png", "bytes"),
        (iter(["a,b\r\n", "1,2\r\n"]), "text/csv; charset=utf-8", "work-orders.csv", "stream"),
    ],
)
def test_every_kind_of_download_gets_the_same_headers(content, content_type, name, kind):
    response = download_response(content, filename=name, content_type=content_type)
    assert_download_headers(response, content_type=content_type)
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert isinstance(response, StreamingHttpResponse) == (kind == "stream")


@pytest.mark.parametrize(
    "name",
    ["服务报告-2026年9月.pdf", "合同 (签字版).pdf", "Café menu.txt", 'say "hi".txt', "报告.xlsx"],
)
def test_non_ascii_names_round_trip_with_an_ascii_fallback(name):
    header = content_disposition(name)
    assert header.startswith('attachment; filename="')
    fallback = re.search(r'filename="([^"]*)"', header).group(1)
    assert fallback.isascii() and '"' not in fallback and "\\" not in fallback
    assert fallback.rsplit(".", 1)[-1] == name.rsplit(".", 1)[-1]
    assert filename_from(header) == name
    assert "\n" not in content_disposition("a\r\nSet-Cookie: x.txt")


def test_a_stored_file_missing_on_disk_is_a_404(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    attachment = Attachment(original_name="gone.png", content_type="image/png")
    attachment.file.save("x.bin", ContentFile(PNG), save=False)
    response = download_response(attachment.file, filename="gone.png", content_type="image/png")
    assert isinstance(response, FileResponse)
    assert_download_headers(response, content_type="image/png")
    assert b"".join(response.streaming_content) == PNG
    attachment.file.delete(save=False)
    attachment.file.name = "x.bin"
    with pytest.raises(Http404):
        download_response(attachment.file, filename="gone.png", content_type="image/png")
    attachment.file.name = ""
    with pytest.raises(Http404):
        download_response(attachment.file, filename="gone.png", content_type="image/png")


def test_the_three_stored_uploads_share_one_base_and_keep_their_folders():
    for model, folder in ((Attachment, "attachments/"), (ContractDocument, "contracts/"), (Evidence, "evaluations/")):
        assert issubclass(model, StoredFileBase)
        names = {f.name for f in model._meta.concrete_fields}
        assert {"file", "original_name", "content_type", "size", "sha256", "uploaded_by", "created_at"} <= names
        assert model._meta.get_field("file").upload_to.startswith(folder)


def test_store_checks_the_bytes_and_never_uses_the_users_name(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    attachment = Attachment()
    upload = SimpleUploadedFile("照片 1.png", PNG, content_type="text/plain")
    attachment.store(upload, uploaded_by=None, now=clock.now())
    assert (attachment.original_name, attachment.content_type, attachment.size) == ("照片 1.png", "image/png", len(PNG))
    assert len(attachment.sha256) == 64 and "照片" not in attachment.file.name
    assert attachment.uploaded_at == attachment.created_at
    with pytest.raises(ApplicationError):
        Attachment().store(
            SimpleUploadedFile("a.html", b"<script>x</script>"), uploaded_by=None, now=attachment.created_at
        )
