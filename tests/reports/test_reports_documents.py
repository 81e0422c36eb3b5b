"""Service report documents: the PDF (valid, Chinese glyphs in an embedded font, key numbers, charts, capped
breaches list, page numbers) and the XLSX (one sheet per section with every row, formulas neutralised)."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from decimal import Decimal

import openpyxl
from django.test import Client
from django.utils import translation
from pypdf import PdfReader

from oversight.core import clock
from oversight.parts import services as parts
from oversight.reports import documents, selectors
from oversight.reports.periods import period_from_key
from tests.factories import SiteFactory
from tests.reports.conftest import AUGUST, CLIENT_NAME, NOW, VENDOR_NAME, T

D = Decimal


def build(world, *, contract=None, key="2026-09", role="client_supervisor"):
    with clock.frozen_at(NOW), translation.override("en"):
        return selectors.service_report(
            user=world.users[role],
            vendor_id=world.vendor.pk,
            contract_id=None if contract is None else contract.pk,
            period=period_from_key(key, world.org),
        )


def pdf_text(content: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_has_chinese_names_key_numbers_charts_and_an_embedded_font(world, rw, tmp_path):
    report = build(world)
    with translation.override("en"):
        content = documents.report_pdf(report)
    assert content.startswith(b"%PDF")
    reader, text = pdf_text(content)
    for word in (CLIENT_NAME, VENDOR_NAME, "打印设备", "电脑反复死机", "更换了主机并回访用户", "2026-09", "2026-08"):
        assert word in text, word
    for number in ("50.0 %", "75.0 %", "8.3 h", "3.67", "66.7 %", "CN¥113,174.70", rw.wo["D"].number):
        assert number in text, number
    assert "Page 1 of" in text
    # The charts are drawn, not pasted: their titles and every trailing month are text in the PDF.
    for word in ("Response and resolution timeliness (%)", "Work orders received and resolved", "2026-04"):
        assert word in text, word
    fonts = [font.get_object() for page in reader.pages for font in page["/Resources"]["/Font"].values()]
    descendants = [f["/DescendantFonts"][0].get_object() if "/DescendantFonts" in f else f for f in fonts]
    described = [d for d in descendants if "/FontDescriptor" in d]
    assert described and all("/FontFile2" in d["/FontDescriptor"] for d in described)
    # Every page renders to an image with poppler (`make test` installs poppler-utils), as a reader would show it.
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "pdftoppm is missing: `make chromium` installs poppler-utils"
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    subprocess.run(  # noqa: S603 - fixed arguments, our own temporary file
        [pdftoppm, "-png", "-r", "40", str(path), str(tmp_path / "p")], check=True, capture_output=True
    )
    assert len(list(tmp_path.glob("p*.png"))) == len(reader.pages)


def test_pdf_caps_the_breaches_list_and_says_how_many_more(world, rw, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_BREACHES", 1)
    report = build(world)
    with translation.override("en"):
        _reader, text = pdf_text(documents.report_pdf(report))
    assert "1 of 4 missed targets are listed; the XLSX has all of them." in text.replace("\n", " ")
    assert rw.wo["B"].number in text


def test_xlsx_has_one_sheet_per_section_with_every_row(world, rw):
    report = build(world)
    with translation.override("en"):
        workbook = openpyxl.load_workbook(io.BytesIO(documents.report_xlsx(report)))
    assert workbook.sheetnames == [
        "Summary",
        "By service",
        "By category",
        "Trend",
        "Breaches",
        "Work orders",
        "Ratings",
        "Complaints",
        "Recurring issues",
        "Spare parts used",
        "Score and settlement",
        "Improvement actions",
    ]

    def rows(name):
        return list(workbook[name].iter_rows(min_row=2, values_only=True))

    summary = {row[1]: row[2:4] for row in workbook["Summary"].iter_rows(values_only=True) if row and len(row) > 2}
    assert summary["received"] == (4, 1)
    assert summary["response_timeliness"] == (50, 100)
    assert summary["onsite_timeliness"] == (None, None)
    assert [r[0] for r in rows("Work orders")] == [rw.wo[k].number for k in "ABCD"]
    assert {r[0]: r[8] for r in rows("Work orders")}[rw.wo["D"].number] == "new"
    assert sorted((r[0], r[4]) for r in rows("Breaches")) == sorted(
        [(rw.wo["B"].number, "Response"), (rw.wo["B"].number, "Resolution")]
        + [(rw.wo["D"].number, "Response"), (rw.wo["D"].number, "Resolution")]
    )
    assert {r[0]: r[7] for r in rows("Breaches") if r[4] == "Response"}[rw.wo["B"].number] == 30
    assert sorted(r[2] for r in rows("Ratings")) == [2, 4, 5]
    assert [r[0] for r in rows("Complaints")] == [rw.complaint.pk]
    assert [r[0] for r in rows("Trend")] == ["2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09"]
    assert [r[1] for r in rows("Trend")] == [0, 0, 0, 0, 1, 4]
    assert {r[0]: r[2:5] for r in rows("By service")} == {"Desktop": (2, 2, 1), "Printing": (2, 1, 1)}
    [settlement] = rows("Score and settlement")
    assert D(str(settlement[9])).quantize(D("0.01")) == rw.statement.total
    assert [r[2] for r in rows("Recurring issues")] == ["Desktop", "Printing", "Desktop", "Printing"]


def test_xlsx_neutralises_formula_like_text(world, rw):
    wo = rw.wo["D"]
    wo.title = '=HYPERLINK("http://x")'
    wo.save(update_fields=["title"])
    workbook = openpyxl.load_workbook(io.BytesIO(documents.report_xlsx(build(world))))
    titles = [row[1] for row in workbook.worksheets[5].iter_rows(min_row=2, values_only=True)]
    assert '=HYPERLINK("http://x")' not in titles
    assert any(str(t).endswith('=HYPERLINK("http://x")') for t in titles)


def test_file_names_are_readable_and_safe_with_the_vendors_name(world, rw):
    with translation.override("en"):
        assert documents.report_filename(build(world), "pdf") == f"Service_report-{VENDOR_NAME}-2026-09.pdf"
    rw.contract.number = "合同/7"
    rw.contract.save(update_fields=["number"])
    with translation.override("zh-hans"):
        name = documents.report_filename(build(world, contract=rw.contract, key="2026-Q3"), "xlsx")
    assert name == f"服务报告-{VENDOR_NAME}-合同_7-2026-Q3.xlsx"  # never the vendor's code (a slug)
    assert world.vendor.code not in name


def test_pdf_charts_draw_lone_values_gaps_and_empty_series():
    from reportlab.graphics import renderPDF

    from oversight.reports.pdf_charts import _runs, chart_drawing

    spec = documents.ChartSpec(
        "line", "CSAT", ["a", "b", "c", "d", "e"], [("one", [None, 4, None, 3, 5]), ("none", [None] * 5)], y_min=1
    )
    assert renderPDF.drawToString(chart_drawing(spec, width=400, height=150)).startswith(b"%PDF")
    # Lines join consecutive values only: d–e is a line, b stands alone (a marker).
    assert _runs((None, 4.0, None, 3.0, 5.0)) == [(None, None, None, 3.0, 5.0)]
    assert _runs((1.0, 2.0, None, 3.0)) == [(1.0, 2.0, None, None)]
    assert _runs((None, None)) == []


def test_the_parts_used_by_the_vendors_work_orders_are_in_the_report_pdf_xlsx_and_api(world, rw):
    # September: toner 450.00 — 2 used on D, 1 on A, 1 returned from A: 2 × 450.00 = 900.00 on D and A; labels
    # 12.35 — 3 used on D: 37.05. August (toner on P) and the other vendor's part are outside the report.
    supervisor = world.users["client_supervisor"]
    with clock.frozen_at(AUGUST):
        store = parts.location_create(
            actor=supervisor, site=SiteFactory(organisation=world.org, code="it"), code="store", name="信息科备件库"
        )
        toner = parts.item_create(
            actor=supervisor, code="TN-01", name="硒鼓", unit="个", unit_price=Decimal("450.00"), vendor=world.vendor
        )
        labels = parts.item_create(
            actor=supervisor, code="LB-02", name="标签纸", unit="卷", unit_price=Decimal("12.35"), vendor=world.vendor
        )
        sfp = parts.item_create(
            actor=supervisor, code="SFP", name="光模块", unit="个", unit_price=Decimal("900"), vendor=world.other_vendor
        )
        for item in (toner, labels, sfp):
            parts.movement_record(actor=supervisor, item=item, location=store, kind="receive", quantity=10)

    def use(item, key, quantity, kind="consume"):
        parts.movement_record(
            actor=supervisor, item=item, location=store, kind=kind, quantity=quantity, work_order=rw.wo[key]
        )

    with clock.frozen_at(AUGUST + dt.timedelta(hours=2)):
        use(toner, "P", 1)
    with clock.frozen_at(T + dt.timedelta(days=5)):
        use(toner, "D", 2)
        use(toner, "A", 1)
        use(toner, "A", 1, kind="return")
        use(labels, "D", 3)
        use(sfp, "G", 1)

    report = build(world)
    assert [(p.code, p.units, p.unit_price, p.total, p.work_orders) for p in report.parts] == [
        ("LB-02", 3, Decimal("12.35"), Decimal("37.05"), (rw.wo["D"].number,)),
        ("TN-01", 2, Decimal("450.00"), Decimal("900.00"), tuple(sorted([rw.wo["A"].number, rw.wo["D"].number]))),
    ]
    with translation.override("en"):
        workbook = openpyxl.load_workbook(io.BytesIO(documents.report_xlsx(report)))
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(documents.report_pdf(report))).pages)
    sheet = list(workbook["Spare parts used"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[2], D(str(r[5])), D(str(r[6]))) for r in sheet] == [
        ("LB-02", 3, D("12.35"), D("37.05")),
        ("TN-01", 2, D("450.00"), D("900.00")),
    ]
    assert "37.05" in text and "900.00" in text and "TN-01" in text
    client = Client()
    client.force_login(supervisor)
    with clock.frozen_at(NOW):
        body = client.get(f"/api/v1/service-reports/{world.vendor.pk}/?period=2026-09").json()
        page = client.get(f"/reports/vendors/{world.vendor.pk}/2026-09/").content.decode()
    expected = [("LB-02", 3, "37.05"), ("TN-01", 2, "900.00")]
    assert [(p["code"], p["units"], p["total"]) for p in body["parts"]] == expected
    assert 'data-testid="parts"' in page and "硒鼓" in page
