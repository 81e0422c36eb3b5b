"""Contract documents download through the one download response: headers, a Chinese title, a missing file."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from oversight.contracts import services
from tests.core.test_core_files import PNG, assert_download_headers, filename_from


def test_a_document_downloads_with_its_name_and_a_missing_file_is_a_404(world, make_contract, client):
    contract = make_contract(number="HT-DL")
    admin = world.users["client_admin"]
    document = services.contract_document_create(
        actor=admin, contract=contract, upload=SimpleUploadedFile("服务合同（签字版）.png", PNG, "image/png")
    )
    api = APIClient()
    api.force_authenticate(user=admin)
    url = f"/api/v1/contract-documents/{document.pk}/download/"
    response = api.get(url)
    assert response.status_code == 200
    assert_download_headers(response, content_type="image/png")
    assert filename_from(response["Content-Disposition"]) == "服务合同（签字版）.png"
    client.force_login(admin)
    page = client.get(reverse("contracts:document", args=[document.pk]))
    assert page.status_code == 200 and filename_from(page["Content-Disposition"]) == "服务合同（签字版）.png"
    document.file.storage.delete(document.file.name)
    assert api.get(url).status_code == 404
    assert client.get(reverse("contracts:document", args=[document.pk])).status_code == 404
