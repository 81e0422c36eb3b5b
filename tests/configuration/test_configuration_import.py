"""Import of CIs from CSV/XLSX: reading the file, the dry run (create, update with old → new, unchanged,
errors in words), all-or-nothing apply with one audit entry, the job for large files, and hostile files."""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from openpyxl import Workbook

from oversight.audit.models import AuditEntry
from oversight.configuration import importing, imports
from oversight.configuration import services as cmdb
from oversight.configuration.choices import AttributeType, ImportStatus
from oversight.configuration.models import CIImport, ConfigurationItem
from oversight.core.errors import ApplicationError, NotAllowed

HEADER = "class,name,host name,serial,asset tag,site,owner vendor,status,cpu_cores,os"


def csv_bytes(*lines: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode("utf-8")


def xlsx_bytes(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def server_attrs(world, classes):
    admin = world.users["client_admin"]
    cmdb.ci_attribute_define(
        actor=admin, ci_class=classes["server"], code="cpu_cores", name="CPU 核数", type=AttributeType.INTEGER
    )
    cmdb.ci_attribute_define(
        actor=admin,
        ci_class=classes["server"],
        code="os",
        name="操作系统",
        type=AttributeType.CHOICE,
        choices=["Linux", "Windows"],
    )
    return classes


def check(world, data: bytes, name: str = "cis.csv", role: str = "client_supervisor"):
    return imports.import_check(actor=world.users[role], file_name=name, data=data)


def plans_by_line(ci_import):
    with translation.override("en"):
        return {
            p.line: (p, [importing.reason_text(code, params) for code, params in p.reasons])
            for p in imports.import_plan(ci_import=ci_import)
        }


def test_dry_run_lists_creates_updates_unchanged_and_errors_in_words(world, server_attrs, ci):
    existing = ci(
        "HIS-APP-01",
        host_name="his-app-01",
        serial="SN-1",
        asset_tag="AT-E",
        attributes={"cpu_cores": 8, "os": "Linux"},
    )
    same = ci("PACS-01", host_name="pacs-01", serial="SN-2", vendor=world.vendor)
    ci("LIS-01", host_name="lis-01")
    data = csv_bytes(
        "server,HIS-DB-09,his-db-09,SN-9,AT-9,Cardiology,Desk Co,in_use,16,Linux",  # 2: create
        "server,HIS-APP-01,his-app-01,SN-1,,card,desk,,12,",  # 3: update (cores 8 → 12, site none → card)
        "server,PACS-01,pacs-01,SN-2,,,,,,",  # 4: unchanged
        "router,R1,r1,SN-R,,,,,,",  # 5: unknown class
        "server,X,x-host,SN-D,,,,,,",  # 6: the same serial as line 11
        "server,Y,lis-01,,AT-E,,,,,",  # 7: the asset tag names one CI, the host name another
        "server,Z,z,SN-Z,,Nowhere,Nobody,broken,many,BSD",  # 8: site, vendor, status, attributes wrong
        'server,=HYPERLINK("http://x"),formula-host,SN-F,,,,,,',  # 9: a formula is just a name
        "server,No key,,,,,,,,",  # 10: no key
        "server,X2,x2-host,SN-D,,,,,,",  # 11: the same serial as line 6
    )
    ci_import = check(world, data)
    plans = plans_by_line(ci_import)
    assert plans[2][0].action == "create" and plans[2][0].values["attributes"] == {"cpu_cores": 16, "os": "Linux"}
    update = plans[3][0]
    assert update.action == "update" and update.ci_id == existing.pk
    assert ("attr:cpu_cores", 8, 12) in update.changes
    assert ("site", None, world.org.sites.get(code="card").pk) in update.changes
    assert plans[4][0].action == "unchanged" and plans[4][0].ci_id == same.pk
    assert plans[5][1] == ["There is no class “router”."]
    assert plans[6][1] == ["The serial number “SN-D” is also on line 11 of the file."]
    assert plans[11][1] == ["The serial number “SN-D” is also on line 6 of the file."]
    assert plans[7][1] == ["The asset tag “AT-E” names one configuration item and the host name “lis-01” another."]
    reasons8 = plans[8][1]
    assert "There is no site “Nowhere”." in reasons8 and "There is no vendor “Nobody”." in reasons8
    assert "There is no status “broken”." in reasons8
    assert any(r.startswith("Attribute “cpu_cores”") for r in reasons8)
    assert any(r.startswith("Attribute “os”") for r in reasons8)
    assert plans[9][0].action == "create" and plans[9][0].values["name"] == '=HYPERLINK("http://x")'
    assert plans[10][1] == [str(importing.REASONS["no_key"])]
    assert ci_import.counts == {"create": 2, "update": 1, "unchanged": 1, "error": 6}
    assert ci_import.status == ImportStatus.CHECKED
    # The dry run wrote no CI.
    assert ConfigurationItem.objects.filter(organisation=world.org).count() == 3


def test_apply_is_all_or_nothing(world, server_attrs, ci):
    ci("HIS-APP-01", host_name="his-app-01", serial="SN-1")
    data = csv_bytes("server,New one,new-1,SN-N1,,,,,,", "server,Bad,bad-1,SN-B,,,,,lots,")
    ci_import = check(world, data)
    with pytest.raises(ApplicationError) as refused:
        imports.import_start(actor=world.users["client_supervisor"], ci_import=ci_import)
    assert refused.value.code == "import_errors"
    assert not ConfigurationItem.objects.filter(name="New one").exists()
    assert not AuditEntry.objects.filter(action="configuration.ciimport.applied").exists()


def test_apply_writes_every_row_once_audited_with_counts(world, server_attrs, ci, django_capture_on_commit_callbacks):
    existing = ci("HIS-APP-01", host_name="his-app-01", serial="SN-1", attributes={"cpu_cores": 8})
    data = csv_bytes(
        "服务器,新服务器,new-1,SN-N1,AT-1,Cardiology,net,planned,4,Windows",
        "server,HIS-APP-01 renamed,his-app-01,,,,,down,,Linux",
    )
    ci_import = check(world, data)
    with django_capture_on_commit_callbacks(execute=True):
        result = imports.import_start(actor=world.users["client_supervisor"], ci_import=ci_import)
    assert result.status == ImportStatus.APPLIED
    assert result.counts == {"create": 1, "update": 1, "unchanged": 0, "error": 0}
    created = ConfigurationItem.objects.get(serial="SN-N1")
    assert (created.name, created.vendor, created.site.code, created.status) == (
        "新服务器",
        world.other_vendor,
        "card",
        "planned",
    )
    assert created.attributes == {"cpu_cores": 4, "os": "Windows"}
    existing.refresh_from_db()
    assert existing.name == "HIS-APP-01 renamed" and existing.status == "down" and existing.version == 2
    assert existing.attributes == {"cpu_cores": 8, "os": "Linux"}
    entries = AuditEntry.objects.filter(action="configuration.ciimport.applied")
    assert entries.count() == 1
    assert entries.get().after == {"file_name": "cis.csv", "create": 1, "update": 1, "unchanged": 0, "error": 0}
    # Starting it again is refused; importing the same file again changes nothing.
    with pytest.raises(ApplicationError):
        imports.import_start(actor=world.users["client_supervisor"], ci_import=ci_import)
    again = check(world, data)
    assert again.counts == {"create": 0, "update": 0, "unchanged": 2, "error": 0}


def test_a_state_changed_since_the_dry_run_is_planned_again_at_apply(world, server_attrs, ci):
    ci_import = check(world, csv_bytes("server,Later,later-1,SN-L,,,,,,"))
    ci("Someone else's", host_name="other", serial="SN-L")  # the serial is taken meanwhile: now an update
    result = imports.import_start(actor=world.users["client_supervisor"], ci_import=ci_import)
    assert result.counts["update"] == 1
    assert ConfigurationItem.objects.get(serial="SN-L").name == "Later"


def test_large_files_run_as_a_job_with_progress(world, server_attrs, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(imports, "SYNC_ROWS", 3)
    monkeypatch.setattr(imports, "BATCH", 2)
    seen = []
    real = imports._set_progress
    monkeypatch.setattr(
        imports, "_set_progress", lambda pk, done, total: seen.append((done, total)) or real(pk, done, total)
    )
    ci_import = check(world, csv_bytes(*(f"server,S{i},s-{i},SN-{i},,,,,," for i in range(5))))
    with django_capture_on_commit_callbacks(execute=True):
        queued = imports.import_start(actor=world.users["client_supervisor"], ci_import=ci_import)
    assert queued.status == ImportStatus.QUEUED
    ci_import.refresh_from_db()
    assert ci_import.status == ImportStatus.APPLIED
    assert seen == [(0, 5), (2, 5), (4, 5), (5, 5), (5, 5)]
    assert imports.import_progress(ci_import=ci_import) == (5, 5)
    assert ConfigurationItem.objects.filter(serial__startswith="SN-").count() == 5
    # A second delivery of the job does nothing.
    assert imports.import_run(import_id=ci_import.pk, actor=None) is None


def test_a_job_that_finds_errors_fails_with_nothing_written(world, server_attrs, ci, monkeypatch):
    monkeypatch.setattr(imports, "SYNC_ROWS", 1)
    ci_import = check(world, csv_bytes("server,A,a,SN-A,,,,,,", "server,B,b,SN-B,,,,,,"))
    imports.import_start(actor=world.users["client_supervisor"], ci_import=ci_import)
    # Meanwhile line 3's host name and serial were given to two different CIs: at apply time it errs.
    ci("Taken", host_name="b", serial="SN-OTHER")
    ci("Taken 2", host_name="zz", serial="SN-B")
    result = imports.import_run(import_id=ci_import.pk, actor=world.users["client_supervisor"])
    assert result.status == ImportStatus.FAILED
    assert "nothing was imported" in result.failure
    assert not ConfigurationItem.objects.filter(serial="SN-A").exists()


def test_xlsx_reads_typed_cells_and_formulas_as_text(world, server_attrs):
    data = xlsx_bytes(
        [
            ["类别", "名称", "主机名", "序列号", "cpu_cores"],
            ["server", "=1+1", "host-x", 12345, 8.0],
            [None, None, None, None, None],
            ["server", "Second", "host-y", "SN-Y", "=2*4"],
        ]
    )
    ci_import = check(world, data, name="cis.xlsx")
    plans = plans_by_line(ci_import)
    assert plans[2][0].values["name"] == "=1+1" and plans[2][0].values["serial"] == "12345"
    assert plans[2][0].values["attributes"] == {"cpu_cores": 8}
    assert 3 not in plans  # the blank row is skipped
    assert plans[4][0].action == "error" and plans[4][1][0].startswith("Attribute “cpu_cores”")


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "cis.csv", "The file is empty."),
        (b"x" * (importing.MAX_BYTES + 1), "cis.csv", "larger than 5 MB"),
        (b"name\n" + b"a\n" * (importing.MAX_ROWS + 1), "cis.csv", "more than 10000 rows"),
        (b"PK\x03\x04broken zip", "cis.xlsx", "damaged or not an XLSX"),
        (b"\x89PNG\r\n\x1a\n", "cis.png", "Upload a .csv or .xlsx file."),
        (b"PK\x03\x04broken zip", "cis.csv", "Upload a .csv or .xlsx file."),
        (b"class,host\nserver,x\n", "cis.csv", "no “name” column"),
        (b"name,name\na,b\n", "cis.csv", "appears twice"),
        (b"name\n", "cis.csv", "a header but no rows"),
        ("name\n\xff\n".encode("latin-1") + b"\x00", "cis.csv", None),
    ],
)
def test_hostile_files_are_refused_with_a_clear_error(world, classes, data, name, message):
    with translation.override("en"):
        with pytest.raises(ApplicationError) as refused:
            check(world, data, name=name)
        assert refused.value.status_code == 400
        assert message is None or message in str(refused.value.message)
    assert not CIImport.objects.exists()


def test_only_the_clients_operators_import(world, classes):
    for role in ("vendor_manager", "executive", "auditor", "vendor_agent"):
        with pytest.raises(NotAllowed):
            check(world, csv_bytes("server,A,a,SN-A,,,,,,"), role=role)
    ci_import = check(world, csv_bytes("server,A,a,SN-A,,,,,,"))
    with pytest.raises(NotAllowed):
        imports.import_start(actor=world.users["foreign_admin"], ci_import=ci_import)


def test_planner_flags_both_rows_matching_one_ci_and_status_moves_by_the_table():
    existing = importing.ExistingCI(id=1, class_id=10, name="A", host_name="a", serial="S1", status="retired")
    lookups = importing.Lookups(
        classes={"server": importing.ClassInfo(id=10, code="server")},
        sites={},
        vendors={},
        statuses={"in_use": "in_use", "down": "down"},
        existing=[existing],
        transitions={("in_use", "down"): "fail"},
    )
    rows = [
        (2, {"name": "A", "serial": "S1"}),
        (3, {"name": "A2", "host_name": "a"}),
        (4, {"name": "B", "serial": "S1x", "status": "down", "class": "server"}),
    ]
    plans = {p.line: p for p in importing.plan(rows, lookups)}
    assert plans[2].action == plans[3].action == "error"
    assert plans[2].reasons == [("same_ci", {"other": 3})] and plans[3].reasons == [("same_ci", {"other": 2})]
    assert plans[4].reasons == [("bad_initial_status", {})]
    moved = importing.plan([(2, {"serial": "S1", "status": "down"})], lookups)[0]
    assert moved.reasons == [("bad_status_change", {"old": "retired", "new": "down"})]
