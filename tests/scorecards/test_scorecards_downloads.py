"""Evaluation evidence downloads through the one download response: headers, and a missing file is a 404."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from oversight.core import clock
from oversight.scorecards import services
from tests.core.test_core_files import PNG, assert_download_headers, filename_from
from tests.scorecards.conftest import EVAL_AT, open_period


def test_evidence_downloads_with_its_name_and_a_missing_file_is_a_404(world, contract, template_scheme, client):
    period = open_period(world, contract)
    supervisor = world.users["client_supervisor"]
    with clock.frozen_at(EVAL_AT):
        entry = services.manual_entry_create(
            period=period,
            actor=supervisor,
            indicator_code="dress_badge",
            value=1,
            files=[SimpleUploadedFile("现场检查.png", PNG, "image/png")],
        )
    evidence = entry.evidence.get()
    client.force_login(supervisor)
    url = reverse("scorecards:evidence", args=[evidence.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert_download_headers(response, content_type="image/png")
    assert filename_from(response["Content-Disposition"]) == "现场检查.png"
    api = APIClient()
    api.force_authenticate(user=supervisor)
    evidence.file.storage.delete(evidence.file.name)
    assert client.get(url).status_code == 404
    assert api.get(f"/api/v1/evaluation-evidence/{evidence.pk}/download/").status_code == 404
