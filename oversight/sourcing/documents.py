"""A scenario (and a comparison of scenarios) as XLSX (`core.exports`) and PDF (`core.pdf`), in the active language:
the same figures, drivers, yearly tables, savings and tornado as the page."""

from __future__ import annotations

from django.utils.translation import gettext as _
from reportlab.platypus import Spacer

from oversight.core import pdf
from oversight.core.exports import xlsx_bytes
from oversight.core.money import format_money
from oversight.sourcing import presentation, scenarios
from oversight.sourcing.models import Scenario

PDF_CONTENT_TYPE = "application/pdf"


def _sheet_rows(scenario: Scenario):
    result = scenarios.evaluate(scenario)
    base, bars = scenarios.sensitivity(scenario)
    yield [scenario.localized_name]
    yield [_("Figures")]
    yield from ([label, value] for label, value in presentation.figure_rows(scenario, result))
    yield [_("NPV of switching"), result.npv]
    yield []
    yield [_("Drivers")]
    yield from ([label, value] for label, value in presentation.driver_rows(scenario))
    for title, rows in ((_("Status quo"), result.baseline), (_("Proposal"), result.proposal)):
        yield []
        yield [title]
        yield presentation.table_header()
        yield from presentation.table_rows(rows)
    yield []
    yield [_("Savings of the proposal")]
    yield presentation.flow_header()
    yield from presentation.flow_rows(result, scenarios.inputs_of(scenario).discount_rate)
    yield []
    yield [_("Sensitivity of the NPV (each driver ±10 %)"), _("Base NPV"), base]
    yield presentation.tornado_header()
    yield from presentation.tornado_rows(bars)


def scenario_xlsx(scenario: Scenario) -> bytes:
    """The scenario as a one-sheet workbook (numbers as numbers)."""
    return xlsx_bytes(_sheet_rows(scenario), title=_("Sourcing scenario"))


def comparison_rows(items: list[Scenario]) -> list[list[str]]:
    """The figures of several scenarios side by side: a header of names, then one row per figure."""
    results = [presentation.figure_rows(s, scenarios.evaluate(s)) for s in items]
    rows = [[_("Figure"), *(s.localized_name for s in items)]]
    rows.append([_("Proposal"), *(s.get_kind_display() for s in items)])
    rows.append([_("Horizon (years)"), *(str(s.horizon_years) for s in items)])
    for index, (label, _value) in enumerate(results[0] if results else []):
        rows.append([label, *(figures[index][1] for figures in results)])
    return rows


def comparison_xlsx(items: list[Scenario]) -> bytes:
    """The comparison as a one-sheet workbook."""
    return xlsx_bytes(comparison_rows(items), title=_("Scenario comparison"))


def _money_table(header: list[str], rows: list[list], currency: str, width: float):
    def cell(value):
        return format_money(value, "") if not isinstance(value, int) else str(value)

    body = [header, *([cell(v) for v in row] for row in rows)]
    count = len(header)
    return pdf.table(body, col_widths=[width / count] * count, right_cols=tuple(range(1, count)))


def scenario_pdf(scenario: Scenario) -> bytes:
    """The scenario as an A4 PDF: figures, drivers, both yearly tables, savings and the tornado's table."""
    st = pdf.styles()
    width = pdf.usable_width()
    result = scenarios.evaluate(scenario)
    base, bars = scenarios.sensitivity(scenario)
    story: list = [pdf.para(_("Sourcing scenario: %(name)s") % {"name": scenario.localized_name}, st["title"])]
    if scenario.description:
        story.append(pdf.para(scenario.description, st["body"]))
    story.append(pdf.para(_("Figures"), st["heading"]))
    story.append(
        pdf.table(presentation.figure_rows(scenario, result), col_widths=[width * 0.5, width * 0.5], header_rows=0)
    )
    story.append(pdf.para(_("Drivers"), st["heading"]))
    story.append(pdf.table(presentation.driver_rows(scenario), col_widths=[width * 0.6, width * 0.4], header_rows=0))
    header = presentation.table_header()
    for title, rows in ((_("Status quo"), result.baseline), (_("Proposal"), result.proposal)):
        story.append(pdf.para(title, st["heading"]))
        wide = [header[0], header[4], *header[5:]]
        slim = [[r[0], r[4], *r[5:]] for r in presentation.table_rows(rows)]
        story.append(_money_table(wide, slim, scenario.currency, width))
    story.append(pdf.para(_("Savings of the proposal"), st["heading"]))
    flows = presentation.flow_rows(result, scenarios.inputs_of(scenario).discount_rate)
    story.append(_money_table(presentation.flow_header(), flows, scenario.currency, width))
    story.append(Spacer(1, 4))
    story.append(pdf.para(_("Sensitivity of the NPV (each driver ±10 %)"), st["heading"]))
    story.append(pdf.para(_("Base NPV %(npv)s") % {"npv": format_money(base, scenario.currency)}, st["body"]))
    tornado = presentation.tornado_rows(bars, formatted=True)
    count = len(presentation.tornado_header())
    story.append(
        pdf.table(
            [presentation.tornado_header(), *tornado],
            col_widths=[width * 0.25] + [width * 0.75 / (count - 1)] * (count - 1),
            right_cols=tuple(range(1, count)),
        )
    )
    story.append(pdf.para(_("Money in %(currency)s.") % {"currency": scenario.currency}, st["small"]))
    return pdf.build(story, title=scenario.localized_name, footer=_("Sourcing scenario"))


def comparison_pdf(items: list[Scenario]) -> bytes:
    """The comparison as an A4 PDF."""
    st = pdf.styles()
    width = pdf.usable_width()
    rows = comparison_rows(items)
    count = len(rows[0])
    story = [
        pdf.para(_("Scenario comparison"), st["title"]),
        pdf.table(rows, col_widths=[width * 0.3] + [width * 0.7 / (count - 1)] * (count - 1)),
    ]
    return pdf.build(story, title=_("Scenario comparison"), footer=_("Sourcing scenario"))
