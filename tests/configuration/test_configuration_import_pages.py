"""The import pages and API: upload → dry-run table → apply, in Chinese and English, with the progress of a job,
clear errors for hostile files, the gate (vendors see no import) and flat query counts of the lists."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from oversight.configuration import imports
from oversight.configuration.choices import ImportStatus
from oversight.configuration.models import CIImport, ConfigurationItem
from tests.factories import signed_in
from tests.query_counts import assert_flat, count_queries

CSV = (
    b"class,name,host name,serial,site,owner vendor\n"
    b"server,HIS-DB-09,his-db-09,SN-9,Cardiology,Desk Co\n"
    b"printer,Ward printer,,SN-P,Radiology,Net Co\n"
)


def upload(content: bytes = CSV, name: str = "cis.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def client_in(world, role: str, language: str):
    user = world.users[role]
    user.language = language
    user.save(update_fields=["language"])
    return signed_in(user)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ("Dry run", "Create", "Apply the import", "Nothing has been written yet.")),
        ("zh-hans", ("试运行", "新建", "执行导入", "尚未写入任何内容。")),
    ],
)
def test_upload_dry_run_and_apply_in_both_languages(world, classes, ci, language, words):
    ci("Old printer", kind="printer", serial="SN-P", vendor=world.other_vendor)
    client = client_in(world, "client_supervisor", language)
    listing = client.get("/configuration/imports/")
    assert listing.status_code == 200
    response = client.post("/configuration/imports/", {"file": upload()})
    assert response.status_code == 302
    ci_import = CIImport.objects.get()
    page = client.get(response["Location"])
    text = page.content.decode()
    for word in words:
        assert word in text
    assert 'data-count="create">1<' in text and 'data-count="update">1<' in text
    # The update names the changed fields old → new, in names, not ids.
    assert re.search(r"Old printer.*?→ Ward printer", text, re.S)
    assert "Radiology" in text
    assert not ConfigurationItem.objects.filter(serial="SN-9").exists()
    applied = client.post(f"/configuration/imports/{ci_import.pk}/apply/")
    assert applied.status_code == 302
    ci_import.refresh_from_db()
    assert ci_import.status == ImportStatus.APPLIED
    assert ConfigurationItem.objects.get(serial="SN-9").site.name == "Cardiology"
    assert ConfigurationItem.objects.get(serial="SN-P").name == "Ward printer"
    done = client.get(f"/configuration/imports/{ci_import.pk}/").content.decode()
    assert 'max="2" value="2"' in done
    # A second apply is refused with the reason, nothing written twice.
    again = client.post(f"/configuration/imports/{ci_import.pk}/apply/")
    assert again.status_code == 400
    assert ConfigurationItem.objects.filter(serial="SN-9").count() == 1


def test_a_file_with_errors_shows_them_and_offers_no_apply(world, classes):
    client = client_in(world, "client_admin", "en")
    bad = b"class,name,serial\nrouter,R1,SN-R\nserver,,SN-S\n"
    client.post("/configuration/imports/", {"file": upload(bad)})
    ci_import = CIImport.objects.get()
    text = client.get(f"/configuration/imports/{ci_import.pk}/?show=error").content.decode()
    assert "There is no class “router”." in text
    assert "Give the name of a new configuration item." in text
    assert "Apply the import" not in text
    assert client.post(f"/configuration/imports/{ci_import.pk}/apply/").status_code == 400
    assert not ConfigurationItem.objects.exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "cis.csv", "The submitted file is empty."),
        (b"x" * (10 * 1024 * 1024), "cis.csv", "larger than 5 MB"),
        (b"name,serial\n" + b"a,b\n" * 100_000, "cis.csv", "more than 10000 rows"),
        (b"PK\x03\x04not a workbook", "cis.xlsx", "damaged or not an XLSX workbook"),
        (b"\x89PNG\r\n\x1a\n0000", "cis.png", "Upload a .csv or .xlsx file."),
    ],
)
def test_hostile_uploads_get_a_clear_form_error(world, classes, content, name, message):
    client = client_in(world, "client_supervisor", "en")
    response = client.post("/configuration/imports/", {"file": upload(content, name)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CIImport.objects.exists()


def test_the_progress_partial_polls_while_the_job_runs(world, classes, monkeypatch):
    monkeypatch.setattr(imports, "SYNC_ROWS", 1)
    client = client_in(world, "client_supervisor", "en")
    client.post("/configuration/imports/", {"file": upload()})
    ci_import = CIImport.objects.get()
    imports.import_start(actor=world.users["client_supervisor"], ci_import=ci_import)  # queued, job not run
    partial = client.get(f"/configuration/imports/{ci_import.pk}/progress/").content.decode()
    assert 'hx-trigger="every 1s"' in partial and 'max="2" value="0"' in partial
    imports._set_progress(ci_import.pk, 1, 2)
    assert (
        "1 of 2 rows written (50%)" in client.get(f"/configuration/imports/{ci_import.pk}/progress/").content.decode()
    )
    imports.import_run(import_id=ci_import.pk, actor=world.users["client_supervisor"])
    finished = client.get(f"/configuration/imports/{ci_import.pk}/progress/").content.decode()
    assert "hx-trigger" not in finished and 'max="2" value="2"' in finished


def test_vendors_see_no_import_and_read_only_roles_cannot_upload(world, classes):
    client_in(world, "client_supervisor", "en").post("/configuration/imports/", {"file": upload()})
    ci_import = CIImport.objects.get()
    for role in ("vendor_manager", "vendor_agent", "requester"):
        assert signed_in(world.users[role]).get("/configuration/imports/").status_code == 403
        assert signed_in(world.users[role]).get(f"/configuration/imports/{ci_import.pk}/").status_code == 403
    executive = signed_in(world.users["executive"])
    assert executive.get(f"/configuration/imports/{ci_import.pk}/").status_code == 200
    assert executive.post("/configuration/imports/", {"file": upload()}).status_code == 403
    assert executive.post(f"/configuration/imports/{ci_import.pk}/apply/").status_code == 403
    assert signed_in(world.users["foreign_admin"]).get(f"/configuration/imports/{ci_import.pk}/").status_code == 404
    assert CIImport.objects.count() == 1 and not ConfigurationItem.objects.exists()


def test_api_dry_run_then_apply(world, classes, api):
    client = api("client_supervisor")
    dry = client.post("/api/v1/configuration-imports/", {"file": upload()}, format="multipart")
    assert dry.status_code == 201
    body = dry.json()
    assert body["status"] == "checked" and body["counts"] == {"create": 2, "update": 0, "unchanged": 0, "error": 0}
    assert [row["action"] for row in body["rows"]] == ["create", "create"]
    assert not ConfigurationItem.objects.exists()
    applied = client.post(f"/api/v1/configuration-imports/{body['id']}/apply/")
    assert applied.status_code == 201 and applied.json()["status"] == "applied"
    assert applied.json()["progress"] == {"done": 2, "total": 2}
    assert ConfigurationItem.objects.count() == 2
    # dry_run=false applies at once; errors answer 400 in the one error body with nothing written.
    bad = client.post(
        "/api/v1/configuration-imports/",
        {"file": upload(b"class,name,serial\nrouter,R,SN-R\n"), "dry_run": "false"},
        format="multipart",
    )
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "import_errors"
    broken = client.post("/api/v1/configuration-imports/", {"file": upload(b"", "x.csv")}, format="multipart")
    assert broken.status_code == 400
    assert api("vendor_manager").get("/api/v1/configuration-imports/").json()["results"] == []
    assert api("vendor_manager").get(f"/api/v1/configuration-imports/{body['id']}/").status_code == 404
    assert api("executive").post(f"/api/v1/configuration-imports/{body['id']}/apply/").status_code == 403


def test_import_list_query_counts_do_not_grow(world, classes, api):
    page, client = signed_in(world.users["client_supervisor"]), api("client_supervisor")

    def counts():
        measured = []
        for get in (lambda: page.get("/configuration/imports/"), lambda: client.get("/api/v1/configuration-imports/")):
            with count_queries() as queries:
                assert get().status_code == 200
            measured.append(len(queries))
        return measured

    imports.import_check(actor=world.users["client_supervisor"], file_name="a.csv", data=CSV)
    few = counts()
    for i in range(4):
        imports.import_check(actor=world.users["client_admin"], file_name=f"b{i}.csv", data=CSV)
    many = counts()
    assert_flat("configuration.imports", few[0], many[0])
    assert_flat("configuration.api.configuration_imports", few[1], many[1])
