"""Every HTML download goes through the one download response: headers, Chinese names, missing files."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from oversight.tickets import services
from oversight.tickets.models import IntakePoint
from tests.core.test_core_files import assert_download_headers, filename_from


def _attach(world, work_order, name: str, content: bytes):
    upload = SimpleUploadedFile(name, content, content_type="image/png")
    return services.attachment_create(actor=world.users["vendor_agent"], work_order=work_order, upload=upload)


def test_attachment_with_a_chinese_name_round_trips(world, web, accepted, png_bytes):
    attachment = _attach(world, accepted, "现场照片 1.png", png_bytes)
    response = web("requester").get(f"/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert_download_headers(response, content_type="image/png")
    assert filename_from(response["Content-Disposition"]) == "现场照片 1.png"
    assert b"".join(response.streaming_content) == png_bytes


def test_attachment_missing_on_disk_is_a_404_not_a_500(world, web, accepted, png_bytes):
    attachment = _attach(world, accepted, "photo.png", png_bytes)
    attachment.file.storage.delete(attachment.file.name)
    response = web("requester").get(f"/attachments/{attachment.pk}/")
    assert response.status_code == 404


def test_exports_and_qr_downloads_carry_the_download_headers(world, web, wo):
    wo(title="Printer jammed")
    supervisor = web("client_supervisor")
    csv = supervisor.get("/board/export.csv")
    assert_download_headers(csv, content_type="text/csv; charset=utf-8")
    xlsx = supervisor.get("/board/export.xlsx")
    assert_download_headers(xlsx, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    point = IntakePoint.objects.create(organisation=world.org, token="tok-9", label="Room 9", service=world.service)
    png = web("client_admin").get(f"/intake-points/{point.pk}/qr.png?download=1")
    assert png["Content-Disposition"] == f'attachment; filename="qr-{point.pk}.png"'
    assert png["X-Content-Type-Options"] == "nosniff"
    assert png["Content-Security-Policy"] == "default-src 'none'; sandbox"
