"""A service report as PDF (reportlab, A4, the same charts as the page) and as XLSX (every underlying row).

Both render a :class:`reports.content.ServiceReport` built by ``reports.selectors.service_report`` in the active
language; times are shown in the reader's time zone (the report's ``generated_at`` zone).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from oversight.core import pdf
from oversight.core.charts import percent_axis_floor
from oversight.core.exports import XLSX_CONTENT_TYPE, neutralise
from oversight.core.files import readable_filename
from oversight.core.money import format_money, money_number_format
from oversight.reports import selectors
from oversight.reports.content import DASH, ServiceReport, format_lateness
from oversight.reports.pdf_charts import chart_drawing

PDF_CONTENT_TYPE = "application/pdf"
__all__ = [
    "PDF_CONTENT_TYPE",
    "XLSX_CONTENT_TYPE",
    "ChartSpec",
    "chart_specs",
    "report_filename",
    "report_pdf",
    "report_xlsx",
]


# --------------------------------------------------------------------------------------------------
# shared by the page, the PDF and the XLSX
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChartSpec:
    """One trend chart: its kind (line or bar), title, categories and named series (None = no value)."""

    kind: str
    title: str
    categories: list[str]
    series: list[tuple[str, list]]
    unit: str = ""
    y_min: float | None = None
    y_max: float | None = None


def chart_specs(report: ServiceReport) -> list[ChartSpec]:
    """The report's four trend charts over the trailing periods (oldest first)."""
    labels = [p.label for p in report.trend]
    timeliness_floor = percent_axis_floor([p.response for p in report.trend] + [p.resolution for p in report.trend])
    return [
        ChartSpec(
            "line",
            _("Response and resolution timeliness (%)"),
            labels,
            [
                (_("Response timeliness"), [p.response for p in report.trend]),
                (_("Resolution timeliness"), [p.resolution for p in report.trend]),
            ],
            unit="%",
            y_min=timeliness_floor,
            y_max=100,
        ),
        ChartSpec(
            "bar",
            _("Work orders received and resolved"),
            labels,
            [(_("Received"), [p.received for p in report.trend]), (_("Resolved"), [p.resolved for p in report.trend])],
            y_min=0,
        ),
        ChartSpec(
            "line",
            _("CSAT, mean stars"),
            labels,
            [(_("CSAT, mean stars"), [p.csat for p in report.trend])],
            y_min=1,
            y_max=5,
        ),
        ChartSpec(
            "line",
            _("Net promoter score (NPS)"),
            labels,
            [(_("Net promoter score (NPS)"), [p.nps for p in report.trend])],
            y_min=-100,
            y_max=100,
        ),
    ]


def report_filename(report: ServiceReport, extension: str) -> str:
    """Readable file name in the reader's language, e.g. 服务报告-信息科技公司-HT-1-2026-Q3.pdf (the vendor's name)."""
    contract = report.contract.number if report.contract is not None else ""
    return readable_filename(_("Service report"), report.vendor.name, contract, report.period.key, extension=extension)


def _local(report: ServiceReport, value: dt.datetime | None) -> str:
    if value is None:
        return DASH
    return value.astimezone(report.generated_at.tzinfo).strftime("%Y-%m-%d %H:%M")


def header_rows(report: ServiceReport) -> list[tuple[str, str]]:
    """Client, vendor, contract, period and when the report was generated."""
    period = report.period
    rows = [
        (_("Client (甲方)"), report.organisation.name),
        (_("Vendor (乙方)"), report.vendor.name),
    ]
    if report.contract is not None:
        rows.append((_("Contract"), f"{report.contract.number} {report.contract.title}"))
        if report.version is not None:
            rows.append((_("Contract version"), str(report.version.number)))
    rows += [
        (_("Period"), f"{period.label()} ({period.first:%Y-%m-%d} – {period.last:%Y-%m-%d})"),
        (_("Previous period"), report.previous.label()),
        (_("Generated at"), report.generated_at.strftime("%Y-%m-%d %H:%M %Z")),
    ]
    return rows


def not_in_force_note() -> str:
    return _("The contract was not in force in this period: no work orders fall within its scope.")


# --------------------------------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------------------------------


def _cap_note(shown: int, total: int) -> str:
    return _("%(shown)s of %(total)s missed targets are listed; the XLSX has all of them.") % {
        "shown": shown,
        "total": total,
    }


def report_pdf(report: ServiceReport) -> bytes:
    """Render the report (in the active language) to A4 PDF bytes."""
    st = pdf.styles()
    width = pdf.usable_width()
    story: list = [pdf.para(report.title, st["title"])]
    story.append(pdf.table(header_rows(report), col_widths=[width * 0.3, width * 0.7], header_rows=0))
    if not report.in_force:
        story.append(pdf.para(not_in_force_note(), st["body"]))

    story.append(pdf.para(_("Key figures"), st["heading"]))
    rows: list[list] = [[_("Figure"), report.period.label(), report.previous.label()]]
    rows += [[f.label, f.text, f.previous_text] for f in report.figures]
    story.append(pdf.table(rows, col_widths=[width * 0.5, width * 0.25, width * 0.25], right_cols=(1, 2)))

    story.append(pdf.para(_("Volumes by service"), st["heading"]))
    story.append(_volume_table(report.by_service, _("Service"), width, category=True))
    story.append(pdf.para(_("Volumes by service category"), st["heading"]))
    story.append(_volume_table(report.by_category, _("Category"), width, category=False))

    story.append(pdf.para(_("Trends"), st["heading"]))
    for spec in chart_specs(report):
        story.append(KeepTogether([chart_drawing(spec, width=width, height=62 * mm), Spacer(1, 3 * mm)]))

    story.append(pdf.para(_("Missed SLA targets"), st["heading"]))
    shown = report.breaches[: selectors.PAGE_BREACHES]
    if shown:
        rows = [[_("Work order"), _("Title"), _("Service"), _("Priority"), _("Target"), _("Due at"), _("Late by")]]
        for b in shown:
            late = format_lateness(b.late_seconds)
            if b.achieved_at is None:
                late = _("%(late)s, not achieved") % {"late": late}
            rows.append([b.number, b.title, b.service, b.priority, b.metric_label, _local(report, b.due_at), late])
        story.append(pdf.table(rows, col_widths=[w * width for w in (0.18, 0.2, 0.13, 0.07, 0.11, 0.15, 0.16)]))
        if len(report.breaches) > len(shown):
            story.append(pdf.para(_cap_note(len(shown), len(report.breaches)), st["small"]))
    else:
        story.append(pdf.para(_("No SLA target due in the period was missed."), st["body"]))

    story.append(pdf.para(_("Top recurring issues"), st["heading"]))
    for title, groups, label in (
        (_("Same service at the same place"), report.recurring_places, _("Place")),
        (_("Same asset"), report.recurring_assets, _("Asset")),
    ):
        story.append(pdf.para(title, st["body"]))
        if groups:
            rows = [[label, _("Service"), _("Work orders"), _("First"), _("Last")]]
            rows += [
                [g.label, g.service, str(g.count), _local(report, g.first_at), _local(report, g.last_at)]
                for g in groups
            ]
            story.append(
                pdf.table(rows, col_widths=[w * width for w in (0.3, 0.22, 0.12, 0.18, 0.18)], right_cols=(2,))
            )
        else:
            story.append(pdf.para(_("No group of two or more work orders."), st["small"]))

    story.append(pdf.para(_("Complaints opened in the period"), st["heading"]))
    if report.complaints:
        rows = [[_("Complaint"), _("Work order"), _("Opened at"), _("Status"), _("Resolution")]]
        rows += [
            [f"#{x.pk} {x.title}", x.work_order_number, _local(report, x.opened_at), x.status_label, x.resolution]
            for x in report.complaints
        ]
        story.append(pdf.table(rows, col_widths=[w * width for w in (0.26, 0.18, 0.16, 0.1, 0.3)]))
    else:
        story.append(pdf.para(_("No complaint was opened in the period."), st["body"]))

    story.append(pdf.para(_("Spare parts used"), st["heading"]))
    if report.parts:
        rows = [[_("Part"), _("Quantity"), _("Unit price"), _("Total"), _("Work orders")]]
        rows += [
            [
                f"{p.code} {p.name}",
                f"{p.units} {p.unit}",
                format_money(p.unit_price, p.currency),
                format_money(p.total, p.currency),
                ", ".join(p.work_orders),
            ]
            for p in report.parts
        ]
        story.append(
            pdf.table(rows, col_widths=[w * width for w in (0.26, 0.12, 0.15, 0.15, 0.32)], right_cols=(1, 2, 3))
        )
    else:
        story.append(pdf.para(_("No spare part was used on the vendor's work orders in the period."), st["body"]))

    story.append(pdf.para(_("Score and settlement"), st["heading"]))
    if report.evaluations:
        rows = [[_("Evaluation"), _("Status"), _("Score"), _("Statement"), _("Base fee"), _("Deductions")]]
        rows[0] += [_("Credits"), _("Total")]
        for e in report.evaluations:
            rows.append(
                [
                    f"{e.contract_number} {e.label} ({e.kind_label})",
                    e.status_label,
                    DASH if e.score is None else str(e.score),
                    e.statement_status or DASH,
                    format_money(e.base_fee, e.currency),
                    format_money(e.deductions, e.currency),
                    format_money(e.credits, e.currency),
                    format_money(e.total, e.currency),
                ]
            )
        story.append(
            pdf.table(
                rows,
                col_widths=[w * width for w in (0.15, 0.1, 0.07, 0.11, 0.15, 0.14, 0.13, 0.15)],
                right_cols=(2, 4, 5, 6, 7),
            )
        )
    else:
        story.append(pdf.para(_("No evaluation period overlaps this period yet."), st["body"]))

    story.append(pdf.para(_("Improvement actions"), st["heading"]))
    story.append(pdf.para(improvement_intro(), st["small"]))
    if report.actions:
        rows = [[_("Improvement"), _("Status"), _("Indicator"), _before(), _after(), _("Effect")]]
        rows += [
            [f"{a.number} {a.title}", a.status_label, a.indicator or DASH, _value(a.before), _value(a.after)]
            + [a.effect or DASH]
            for a in report.actions
        ]
        story.append(
            pdf.table(rows, col_widths=[w * width for w in (0.28, 0.1, 0.2, 0.09, 0.09, 0.24)], right_cols=(3, 4))
        )
    else:
        story.append(pdf.para(_("No improvement of this vendor was open during the period."), st["body"]))
    generated = f"{_('Generated at')} {_local(report, report.generated_at)}"
    footer = f"{report.vendor.name} · {report.period.label()} · {generated}"
    return pdf.build(story, title=report.title, footer=footer)


def improvement_intro() -> str:
    return _(
        "The vendor's items of the improvement register open during the period: their state and, once measured at "
        "review, the indicator before and after the implementation."
    )


def _before() -> str:
    return pgettext("improvement effect", "Before")


def _after() -> str:
    return pgettext("improvement effect", "After")


def _value(value) -> str:
    """A measured value as the page shows it (two decimals at most), or a dash."""
    return DASH if value is None else floatformat(value, "-2")


def _volume_table(rows, first: str, width: float, *, category: bool):
    header = [first] + ([_("Category")] if category else []) + [_("Received"), _("Resolved"), _("Breached")]
    body = [header]
    for r in rows:
        body.append([r.name] + ([r.category] if category else []) + [str(r.received), str(r.resolved), str(r.breached)])
    body.append(
        [_("Total")]
        + ([""] if category else [])
        + [str(sum(r.received for r in rows)), str(sum(r.resolved for r in rows)), ""]
    )
    widths = [0.34, 0.24, 0.14, 0.14, 0.14] if category else [0.58, 0.14, 0.14, 0.14]
    numeric = (2, 3, 4) if category else (1, 2, 3)
    return pdf.table(body, col_widths=[w * width for w in widths], right_cols=numeric, bold_last_row=True)


# --------------------------------------------------------------------------------------------------
# XLSX
# --------------------------------------------------------------------------------------------------


def _cell(report: ServiceReport, value):
    """Numbers stay numbers, times become local times, text is neutralised (never read as a formula)."""
    if isinstance(value, bool):
        return neutralise(str(value))
    if isinstance(value, Decimal | int | float):
        return value
    if isinstance(value, dt.datetime):
        return value.astimezone(report.generated_at.tzinfo).replace(tzinfo=None)
    return neutralise("" if value is None else str(value))


def _sheet(
    workbook, report: ServiceReport, title: str, header: list, rows, *, widths=(), money_cols=(), currency_col=None
):
    sheet = workbook.create_sheet(str(title)[:31])
    sheet.append([_cell(report, h) for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(report, v) for v in row])
    for index, w in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = w
    for column in sheet.iter_cols(min_row=2):
        for cell in column:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif cell.column in money_cols:
                currency = sheet.cell(row=cell.row, column=currency_col).value if currency_col else ""
                cell.number_format = money_number_format(currency or "")
    return sheet


def report_xlsx(report: ServiceReport) -> bytes:
    """Render the report (in the active language) to XLSX bytes: one sheet per section, every row."""
    workbook = Workbook()
    summary = workbook.active
    summary.title = str(_("Summary"))[:31]
    summary.append([neutralise(report.title)])
    summary["A1"].font = Font(bold=True)
    for label, value in header_rows(report):
        summary.append([_cell(report, label), _cell(report, value)])
    if not report.in_force:
        summary.append([_cell(report, not_in_force_note())])
    summary.append([])
    summary.append([_cell(report, x) for x in (_("Figure"), _("Code"), report.period.key, report.previous.key)])
    for cell in summary[summary.max_row]:
        cell.font = Font(bold=True)
    for f in report.figures:
        summary.append([_cell(report, x) for x in (f.label, f.code, f.value, f.previous)])
    summary.column_dimensions["A"].width = 40
    summary.column_dimensions["B"].width = 40

    volume_header = [_("Service"), _("Category"), _("Received"), _("Resolved"), _("Breached")]
    _sheet(
        workbook,
        report,
        _("By service"),
        volume_header,
        [[r.name, r.category, r.received, r.resolved, r.breached] for r in report.by_service],
        widths=(30, 24),
    )
    _sheet(
        workbook,
        report,
        _("By category"),
        [_("Category"), _("Received"), _("Resolved"), _("Breached")],
        [[r.name, r.received, r.resolved, r.breached] for r in report.by_category],
        widths=(30,),
    )
    _sheet(
        workbook,
        report,
        _("Trend"),
        [
            _("Period"),
            _("Received"),
            _("Resolved"),
            _("Response timeliness (%)"),
            _("Resolution timeliness (%)"),
            _("CSAT, mean stars"),
            _("Net promoter score (NPS)"),
        ],
        [[p.key, p.received, p.resolved, p.response, p.resolution, p.csat, p.nps] for p in report.trend],
    )
    _sheet(
        workbook,
        report,
        _("Breaches"),
        [
            _("Work order"),
            _("Title"),
            _("Service"),
            _("Priority"),
            _("Target"),
            _("Due at"),
            _("Achieved at"),
            _("Late by (minutes)"),
        ],
        [
            [b.number, b.title, b.service, b.priority, b.metric_label, b.due_at, b.achieved_at, b.late_seconds // 60]
            for b in report.breaches
        ],
        widths=(18, 36, 20),
    )
    _sheet(
        workbook,
        report,
        _("Work orders"),
        [
            _("Number"),
            _("Title"),
            _("Service"),
            _("Category"),
            _("Site"),
            _("Location"),
            _("Asset"),
            _("Priority"),
            _("Status"),
            _("Received at"),
            _("Resolved at"),
        ],
        [
            [
                w["number"],
                w["title"],
                w["service"],
                w["category"],
                w["site__name"] or "",
                w["location_detail"],
                w["asset_tag"],
                w["priority"],
                w["status"],
                w["created_at"],
                w["resolved_at"],
            ]
            for w in selectors.work_order_rows(report)
        ],
        widths=(18, 36, 20, 20, 20, 20, 14),
    )
    _sheet(
        workbook,
        report,
        _("Ratings"),
        [_("Rating"), _("Work order"), _("Stars"), _("Recommend (0–10)"), _("Rated at")],
        [
            [r["pk"], r["work_order__number"], r["stars"], r["recommend"], r["created_at"]]
            for r in selectors.rating_rows(report)
        ],
    )
    _sheet(
        workbook,
        report,
        _("Complaints"),
        [_("Complaint"), _("Summary"), _("Work order"), _("Opened at"), _("Status"), _("Resolved at"), _("Resolution")],
        [
            [x.pk, x.title, x.work_order_number, x.opened_at, x.status_label, x.resolved_at, x.resolution]
            for x in report.complaints
        ],
    )
    _sheet(
        workbook,
        report,
        _("Recurring issues"),
        [_("Kind"), _("Place or asset"), _("Service"), _("Work orders"), _("First"), _("Last")],
        [[_("Place"), g.label, g.service, g.count, g.first_at, g.last_at] for g in report.recurring_places]
        + [[_("Asset"), g.label, g.service, g.count, g.first_at, g.last_at] for g in report.recurring_assets],
    )
    _sheet(
        workbook,
        report,
        _("Spare parts used"),
        [_("Part code"), _("Part"), _("Quantity"), _("Unit"), _("Currency"), _("Unit price"), _("Total")]
        + [_("Work orders")],
        [
            [p.code, p.name, p.units, p.unit, p.currency, p.unit_price, p.total, ", ".join(p.work_orders)]
            for p in report.parts
        ],
        money_cols=(6, 7),
        currency_col=5,
    )
    _sheet(
        workbook,
        report,
        _("Score and settlement"),
        [
            _("Contract"),
            _("Evaluation"),
            _("Status"),
            _("Score"),
            _("Statement"),
            _("Currency"),
            _("Base fee"),
            _("Deductions"),
            _("Credits"),
            _("Total"),
        ],
        [
            [
                e.contract_number,
                e.label,
                e.status_label,
                e.score,
                e.statement_status,
                e.currency,
                e.base_fee,
                e.deductions,
                e.credits,
                e.total,
            ]
            for e in report.evaluations
        ],
        money_cols=(7, 8, 9, 10),
        currency_col=6,
    )
    _sheet(
        workbook,
        report,
        _("Improvement actions"),
        [
            _("Number"),
            _("Title"),
            _("Status"),
            _("Source"),
            _("Owner"),
            _("Implemented on"),
            _("Indicator"),
            _("Target"),
            _before(),
            _after(),
            pgettext("improvement effect", "Change"),
            _("Relative change (%)"),
            _("Effect"),
            _("Benefit amount"),
        ],
        [
            [
                a.number,
                a.title,
                a.status_label,
                a.source_label,
                a.owner,
                a.implemented_on,
                a.indicator,
                a.target,
                a.before,
                a.after,
                a.change,
                a.relative_change,
                a.effect,
                a.benefit_amount,
            ]
            for a in report.actions
        ],
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
