"""The statement as an XLSX workbook: a statement sheet (lines and figures as exact numbers) and an inputs sheet."""

from __future__ import annotations

import io
import json
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from oversight.core.bilingual import pick_name
from oversight.core.exports import XLSX_CONTENT_TYPE, neutralise
from oversight.core.money import money_number_format
from oversight.settlement.choices import LineSource
from oversight.settlement.models import SettlementStatement
from oversight.settlement.presentation import kind_label, line_views, summary_rows
from oversight.settlement.selectors import statement_lines
from oversight.settlement.services import COMMITMENT_REF

EXACT_FORMAT = "0.0000000000"
__all__ = ["XLSX_CONTENT_TYPE", "statement_xlsx"]


def _cell(value):
    """Text is neutralised (never read as a formula); Decimals stay exact numbers."""
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return value
    return neutralise("" if value is None else str(value))


def _append(sheet, values, *, money_cols=(), currency="", bold=False):
    sheet.append([_cell(v) for v in values])
    row = sheet.max_row
    for col in money_cols:
        sheet.cell(row=row, column=col).number_format = money_number_format(currency)
    if bold:
        for cell in sheet[row]:
            cell.font = Font(bold=True)


def _source(ref: str | None) -> str:
    """Where a commitment's figures come from, in words (the stored reference is `commitment_result:<id>`)."""
    if ref and ref.startswith(COMMITMENT_REF):
        return f"{LineSource.COMMITMENT.label} #{ref.removeprefix(COMMITMENT_REF)}"
    return ref or ""


def statement_xlsx(statement: SettlementStatement) -> bytes:
    """Render the statement (in the active language) to XLSX bytes."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("Statement"))[:31]
    period = statement.period
    header = [
        (_("Client"), statement.organisation.name),
        (_("Vendor"), statement.vendor.name),
        (_("Contract"), f"{statement.contract.number} {statement.contract.title}"),
        (_("Contract version"), statement.contract_version.number),
        (_("Period"), f"{period.label} ({period.starts_on:%Y-%m-%d} – {period.ends_on:%Y-%m-%d})"),
        (_("Revision"), period.revision),
        (_("Score"), statement.score),
        (_("Currency"), statement.currency),
        (_("Statement status"), statement.get_status_display()),
        (
            _("Approved at"),
            timezone.localtime(statement.approved_at).strftime("%Y-%m-%d %H:%M") if statement.approved_at else "",
        ),
        (_("Content hash (SHA-256)"), statement.content_hash),
    ]
    for label, value in header:
        _append(sheet, [label, value if isinstance(value, Decimal | int) else str(value)])
    sheet.append([])
    # Lines by their names in words, as on the statement page and in the PDF (the stored codes stay in the JSON).
    _append(sheet, ["#", _("Item"), _("Explanation"), _("Amount")], bold=True)
    for view in line_views(statement, statement_lines(statement)):
        ln = view.line
        _append(
            sheet,
            [ln.position, view.label, view.explanation, ln.amount],
            money_cols=(4,),
            currency=statement.currency,
        )
    _append(
        sheet,
        ["", _("Total payable"), "", statement.total],
        money_cols=(4,),
        currency=statement.currency,
        bold=True,
    )
    sheet.append([])
    for label, value in summary_rows(statement):
        _append(sheet, ["", label, "", value], money_cols=(4,), currency=statement.currency)
    for column, width in zip("ABCD", (8, 40, 90, 16), strict=True):
        sheet.column_dimensions[column].width = width

    inputs = workbook.create_sheet(str(_("Inputs"))[:31])
    data = statement.inputs
    for label, value in (
        (_("Base fee"), Decimal(data["base_fee"])),
        (_("Score"), Decimal(data["score"])),
        (_("Fees at risk (%)"), Decimal(data["at_risk_percent"])),
        (
            _("Maximum score deduction"),
            Decimal(data["bands"]["max_deduction"]) if data["bands"]["max_deduction"] is not None else "",
        ),
        (_("Maximum deduction expressed as"), data["bands"]["max_deduction_basis"]),
    ):
        _append(inputs, [label, value])
    inputs.append([])
    _append(
        inputs,
        [_("Score bands"), _("Lower edge"), _("Upper edge"), _("Per point"), _("Basis"), _("One-off"), _("Basis")],
        bold=True,
    )
    for band in data["bands"]["bands"]:
        _append(
            inputs,
            [
                "",
                Decimal(band["lower"]) if band["lower"] is not None else Decimal(0),
                Decimal(band["upper"]),
                Decimal(band["per_point"]),
                band["per_point_basis"],
                Decimal(band["step"]),
                band["step_basis"],
            ],
        )
    inputs.append([])
    _append(
        inputs,
        [_("Commitments"), _("Commitment"), _("Allocation (%)"), _("Share forfeited (%)"), _("Source")],
        bold=True,
    )
    names = {c.code: pick_name(c.name, c.name_en) for c in statement.contract_version.commitments.all()}
    for c in data["commitments"]:
        _append(
            inputs,
            [
                "",
                names.get(c["code"], c["code"]),
                Decimal(c["allocation_percent"]),
                Decimal(c["share_percent"]),
                _source(c["ref"]),
            ],
        )
    inputs.append([])
    _append(inputs, [_("Unit-rate charges"), _("Type"), _("Count"), _("Rate")], bold=True)
    for u in data["unit_charges"]:
        _append(
            inputs,
            ["", kind_label(u["code"]), u["count"], Decimal(u["rate"])],
            money_cols=(4,),
            currency=statement.currency,
        )
    inputs.append([])
    _append(inputs, [_("Inputs as stored (JSON)"), json.dumps(data, sort_keys=True, ensure_ascii=False)])
    inputs.column_dimensions["A"].width = 32
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
