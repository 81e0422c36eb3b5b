"""API downloads go through the one download response: a missing stored file is a 404 error body, not a 500."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.core.test_core_files import PNG, assert_download_headers, filename_from


def _upload(api, work_order, name: str) -> dict:
    response = api("requester").post(
        f"/api/v1/work-orders/{work_order.pk}/attachments/",
        {"file": SimpleUploadedFile(name, PNG, content_type="image/png")},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_api_download_of_a_chinese_name_round_trips(world, api, make_work_order):
    body = _upload(api, make_work_order(), "故障截图.png")
    response = api("vendor_agent").get(f"/api/v1/attachments/{body['id']}/download/")
    assert response.status_code == 200
    assert_download_headers(response, content_type="image/png")
    assert filename_from(response["Content-Disposition"]) == "故障截图.png"


def test_api_download_missing_on_disk_is_a_404(world, api, make_work_order):
    from oversight.tickets.models import Attachment

    body = _upload(api, make_work_order(), "photo.png")
    attachment = Attachment.objects.get(pk=body["id"])
    attachment.file.storage.delete(attachment.file.name)
    response = api("vendor_agent").get(f"/api/v1/attachments/{body['id']}/download/")
    assert response.status_code == 404
    assert response.json()["error"]["code"]
    octet = api("vendor_agent").get(
        f"/api/v1/attachments/{body['id']}/download/", HTTP_ACCEPT="application/octet-stream"
    )
    assert octet.status_code == 404
