"""Statement page, PDF and XLSX contents, visibility (404 for the invisible), the API and its schema."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader
from rest_framework.test import APIClient

from oversight.core import clock
from oversight.settlement import services
from oversight.settlement.pdf import statement_pdf
from oversight.settlement.xlsx import statement_xlsx
from tests.settlement.conftest import CLIENT_NAME, NOW, VENDOR_NAME, signed_period

D = Decimal


@pytest.fixture
def statement(world, contract):
    period = signed_period(world, contract, score="88.50")
    with clock.frozen_at(NOW):
        return services.statement_prepare(actor=world.users["client_supervisor"], period=period)


@pytest.fixture
def approved(world, statement):
    with clock.frozen_at(NOW):
        return services.statement_approve(actor=world.users["client_admin"], statement=statement)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_pdf_has_the_chinese_names_the_amounts_and_an_embedded_font(approved):
    with translation.override("en"):  # the English labels below; the Chinese names are data
        content = statement_pdf(approved)
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for word in (CLIENT_NAME, VENDOR_NAME, "甲方", "乙方", "CN¥113,174.70", "-CN¥3,630.78", "CN¥121,026.00", "2026-Q3"):
        assert word in text, word
    assert "Page 1 of" in text
    fonts = [font.get_object() for page in reader.pages for font in page["/Resources"]["/Font"].values()]
    descendants = [f["/DescendantFonts"][0].get_object() if "/DescendantFonts" in f else f for f in fonts]
    assert any("/FontFile2" in d["/FontDescriptor"] for d in descendants if "/FontDescriptor" in d)
    assert all("/FontFile2" in d["/FontDescriptor"] for d in descendants if "/FontDescriptor" in d)


def test_xlsx_has_the_same_lines_and_amounts_as_numbers(approved):
    with translation.override("en"):
        workbook = openpyxl.load_workbook(io.BytesIO(statement_xlsx(approved)))
    sheet = workbook.worksheets[0]
    rows = [row for row in sheet.iter_rows(values_only=True)]
    lines = {row[0]: row[3] for row in rows if isinstance(row[0], int)}
    expected = {ln.position: ln.amount for ln in approved.lines.all()}
    assert set(lines) == set(expected)
    for position, value in lines.items():
        assert isinstance(value, int | float)
        assert D(str(value)).quantize(D("0.01")) == expected[position]
    total = next(row for row in rows if row[1] == "Total payable")
    assert D(str(total[3])).quantize(D("0.01")) == D("113174.70")
    # A number shown with separators and the currency symbol (CN¥ for an English reader), not text.
    assert sheet.cell(row=rows.index(total) + 1, column=4).number_format == '"CN¥"#,##0.00;-"CN¥"#,##0.00'
    assert rows[0][1] == CLIENT_NAME and rows[1][1] == VENDOR_NAME
    inputs = workbook.worksheets[1]
    assert D(str(inputs["B1"].value)) == D("120000.00")


def test_the_xlsx_names_lines_in_words_never_by_their_codes(world, approved):
    codes = {ln.code for ln in approved.lines.all()}
    assert {"base_fee", "credit:response", "credit:resolution", "unit:incident"} <= codes
    approved.period.commitment_results.filter(code="response").update(name_en="Response on time")
    approved.contract_version.commitments.filter(code="response").update(name_en="Response on time")
    for language, names in (
        ("en", ["Base fee", "Unit-rate charge: Incident", "Service credit: Response on time"]),
        ("zh-hans", ["基本服务费", "按单计费：故障", "服务抵扣：响应及时率", "服务抵扣：解决及时率"]),
    ):
        with translation.override(language):
            workbook = openpyxl.load_workbook(io.BytesIO(statement_xlsx(approved)))
        cells = [
            str(cell)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            if not str(row[0] or "").startswith(("Inputs as stored", "已保存的输入"))  # the stored JSON, as stored
            for cell in row
            if cell is not None
        ]
        assert not codes & set(cells), language
        assert not [cell for cell in cells if cell.startswith(("credit:", "unit:", "commitment_result:"))]
        assert {"Code", "代码", "response", "resolution", "csat", "incident"}.isdisjoint(cells), language
        items = [row[1] for row in workbook.worksheets[0].iter_rows(values_only=True) if isinstance(row[0], int)]
        for name in names:
            assert name in items, (language, name, items)


def test_formula_like_text_is_neutralised_in_the_xlsx(world, approved):
    approved.contract.title = '=HYPERLINK("http://x")'
    approved.contract.save(update_fields=["title"])
    sheet = openpyxl.load_workbook(io.BytesIO(statement_xlsx(approved))).worksheets[0]
    contract_cell = sheet["B3"].value
    assert not str(contract_cell).startswith("=")
    world.vendor.name = "+cmd"
    world.vendor.save(update_fields=["name"])
    approved.vendor.refresh_from_db()
    sheet = openpyxl.load_workbook(io.BytesIO(statement_xlsx(approved))).worksheets[0]
    assert sheet["B2"].value == "'+cmd"


def test_statement_page_shows_lines_sources_and_signatures(client, world, approved):
    client.force_login(world.users["auditor"])
    response = client.get(reverse("settlement:detail", args=[approved.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for word in (
        CLIENT_NAME,
        VENDOR_NAME,
        "CN¥113,174.70",
        "-CN¥3,630.78",
        "super_a",
        "admin_a",
        approved.content_hash,
    ):
        assert word in html, word
    result = approved.lines.get(code="credit:response").commitment_result_id
    assert reverse("scorecards:commitment_result", args=[result]) in html
    assert reverse("contracts:detail", args=[approved.contract_id]) in html
    assert reverse("scorecards:period", args=[approved.period_id]) in html
    assert client.get(reverse("settlement:list")).status_code == 200


@pytest.mark.parametrize(
    ("role", "sees_draft", "sees_approved"),
    [
        ("client_admin", True, True),
        ("executive", True, True),
        ("auditor", True, True),
        ("vendor_manager", False, True),
        ("vendor_agent", False, True),
        ("other_vendor_manager", False, False),
        ("requester", False, False),
        ("foreign_admin", False, False),
    ],
)
def test_visibility(client, world, contract, role, sees_draft, sees_approved):
    draft_period = signed_period(world, contract, score="88.5", quarter=2)
    approved_period = signed_period(world, contract, score="91", quarter=3)
    with clock.frozen_at(NOW):
        draft = services.statement_prepare(actor=world.users["client_admin"], period=draft_period)
        done = services.statement_prepare(actor=world.users["client_admin"], period=approved_period)
        services.statement_approve(actor=world.users["client_admin"], statement=done)
    client.force_login(world.users[role])
    for obj, visible in ((draft, sees_draft), (done, sees_approved)):
        for name in ("settlement:detail", "settlement:pdf", "settlement:xlsx"):
            status = client.get(reverse(name, args=[obj.pk])).status_code
            assert status == (200 if visible else 404), (name, status)
        status = api(world.users[role]).get(f"/api/v1/settlement-statements/{obj.pk}/").status_code
        assert status == (200 if visible else 404)
    listed = {row["id"] for row in api(world.users[role]).get("/api/v1/settlement-statements/").json()["results"]}
    assert listed == {pk for pk, ok in ((draft.pk, sees_draft), (done.pk, sees_approved)) if ok}


def test_api_prepare_lines_approve_and_downloads(world, contract):
    period = signed_period(world, contract, score="88.50")
    supervisor = api(world.users["client_supervisor"])
    response = supervisor.post("/api/v1/settlement-statements/prepare/", {"period": period.pk}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["total"] == "113174.70" and body["status"] == "draft"
    assert [ln["code"] for ln in body["lines"]][:2] == ["base_fee", "unit:incident"]
    pk = body["id"]
    lines = supervisor.get(f"/api/v1/settlement-statements/{pk}/lines/").json()
    assert [ln["amount"] for ln in lines] == ["120000.00", "1026.00", "-1800.00", "-3630.78", "-2420.52"]
    # The vendor manager cannot see a draft (404), and approving is for the client side only.
    vendor = api(world.users["vendor_manager"])
    assert vendor.post(f"/api/v1/settlement-statements/{pk}/approve/").status_code == 404
    assert vendor.post("/api/v1/settlement-statements/prepare/", {"period": period.pk}, format="json").status_code in (
        403,
    )
    assert api(world.users["auditor"]).post(f"/api/v1/settlement-statements/{pk}/approve/").status_code == 403
    assert supervisor.post(f"/api/v1/settlement-statements/{pk}/approve/").json()["status"] == "approved"
    assert vendor.post(f"/api/v1/settlement-statements/{pk}/approve/").status_code == 403
    again = supervisor.post("/api/v1/settlement-statements/prepare/", {"period": period.pk}, format="json")
    assert again.status_code == 409
    verify = supervisor.post(f"/api/v1/settlement-statements/{pk}/verify/").json()
    assert verify["ok"] is True
    pdf = vendor.get(f"/api/v1/settlement-statements/{pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    xlsx = vendor.get(f"/api/v1/settlement-statements/{pk}/xlsx/")
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    unknown = supervisor.post("/api/v1/settlement-statements/prepare/", {"period": 999999}, format="json")
    assert unknown.status_code == 400


def test_html_prepare_and_approve(client, world, contract):
    period = signed_period(world, contract, score="88.50")
    client.force_login(world.users["client_supervisor"])
    response = client.post(reverse("settlement:prepare", args=[period.pk]))
    statement = period.settlement_statement
    assert response.status_code == 302 and response["Location"] == reverse("settlement:detail", args=[statement.pk])
    client.post(reverse("settlement:approve", args=[statement.pk]))
    statement.refresh_from_db()
    assert statement.status == "approved"
    client.force_login(world.users["vendor_manager"])
    assert client.post(reverse("settlement:prepare", args=[period.pk])).status_code == 403
    statement.refresh_from_db()
    assert statement.prepared_by == world.users["client_supervisor"]


def test_openapi_schema_is_clean_and_lists_the_endpoints():
    out = io.StringIO()
    # In the default language (see the report: in English UnitRateKindEnum and CreatableKindEnum coincide).
    with translation.override(settings.LANGUAGE_CODE):
        call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    schema = out.getvalue()
    for path in (
        "/api/v1/settlement-statements/",
        "/api/v1/settlement-statements/{id}/",
        "/api/v1/settlement-statements/{id}/lines/",
        "/api/v1/settlement-statements/prepare/",
        "/api/v1/settlement-statements/{id}/approve/",
        "/api/v1/settlement-statements/{id}/pdf/",
        "/api/v1/settlement-statements/{id}/xlsx/",
    ):
        assert f"{path}:" in schema, path


def pdf_words(content: bytes) -> str:
    """The PDF's text without spaces and line breaks (Chinese sentences wrap anywhere)."""
    reader = PdfReader(io.BytesIO(content))
    return "".join("\n".join(page.extract_text() for page in reader.pages).split())


def test_pdf_names_the_people_not_their_logins_and_says_plainly_when_not_approved(world, statement):
    supervisor = world.users["client_supervisor"]
    supervisor.display_name = "陈静"
    supervisor.save(update_fields=["display_name"])
    statement.refresh_from_db()
    with translation.override("zh-hans"):
        text = pdf_words(statement_pdf(statement))
    assert "由陈静于" in text and "编制。尚未审批。" in text
    assert supervisor.username not in text and "由—于—审批" not in text
    # The total in Chinese capitals and every amount with the currency symbol.
    assert "应付总额（大写）：人民币壹拾壹万叁仟壹佰柒拾肆元柒角" in text
    assert "¥113,174.70" in text and "¥120,000.00" in text


def test_approved_pdf_names_the_approver(world, approved):
    with translation.override("en"):
        text = pdf_words(statement_pdf(approved))
    assert "Approvedbyadmin_aon" in text and "Notapprovedyet" not in text


def test_statement_page_writes_money_one_way_with_the_amount_in_chinese_capitals(client, world, approved):
    auditor = world.users["auditor"]
    auditor.language = "zh-hans"
    auditor.save(update_fields=["language"])
    client.force_login(auditor)
    html = client.get(reverse("settlement:detail", args=[approved.pk])).content.decode()
    assert '<span class="stat-value" data-testid="total">¥113,174.70</span>' in html
    assert '<td data-testid="total-in-words">人民币壹拾壹万叁仟壹佰柒拾肆元柒角</td>' in html
    assert "CNY 113174.70" not in html and "113174.70" not in html and "10224.00000000" not in html
    assert "¥120,000.00" in html  # a line and a figure: the same format
    # Score bands in words for finance readers, never interval notation.
    assert "[80, 90)" not in html and "80 分及以上、不足 90 分" in html
    listing = client.get(reverse("settlement:list")).content.decode()
    assert "¥113,174.70" in listing and "CNY 113174.70" not in listing
