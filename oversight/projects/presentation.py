"""The project page's table of figures: each figure with its value as shown, its light where it has one, and a
"how computed" note that names the formula and the numbers that went into it."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from oversight.core.money import format_money
from oversight.projects.choices import Light
from oversight.projects.evaluation import Evaluation
from oversight.projects.models import Project


def _idx(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.4f}"


def figure_rows(result: Evaluation, project: Project) -> list[dict]:
    """Rows of (label, value, light, how computed) for every EVM figure at the status date."""
    r = result.rounded
    cur = project.currency

    def m(name: str) -> str:
        return format_money(r[name], cur)

    unmeasurable = _("Not yet measurable: its divisor is zero.")
    rows = [
        (
            _("Budget at completion (BAC)"),
            m("bac"),
            "",
            _("The approved baseline's budget (baseline %(n)s).") % {"n": result.baseline.number},
        ),
        (
            _("Planned value (PV)"),
            m("pv"),
            "",
            _("Each deliverable's budget spread evenly over its working days; %(at)s working days to the status date.")
            % {"at": r["at"]},
        ),
        (
            _("Earned value (EV)"),
            m("ev"),
            "",
            _("Sum over deliverables of budget × share earned by the deliverable's method."),
        ),
        (
            _("Actual cost (AC)"),
            m("ac"),
            "",
            _("Cost entries %(entries)s + settlement lines %(settlement)s, up to the status date.")
            % {"entries": format_money(result.ac_entries, cur), "settlement": format_money(result.ac_settlement, cur)},
        ),
        (
            _("Schedule variance (SV)"),
            m("sv"),
            "",
            _("SV = EV − PV = %(ev)s − %(pv)s.") % {"ev": m("ev"), "pv": m("pv")},
        ),
        (_("Cost variance (CV)"), m("cv"), "", _("CV = EV − AC = %(ev)s − %(ac)s.") % {"ev": m("ev"), "ac": m("ac")}),
        (
            _("Schedule performance index (SPI)"),
            _idx(r["spi"]),
            result.light_spi,
            (_("SPI = EV ÷ PV = %(ev)s ÷ %(pv)s.") % {"ev": m("ev"), "pv": m("pv")})
            if r["spi"] is not None
            else unmeasurable,
        ),
        (
            _("Cost performance index (CPI)"),
            _idx(r["cpi"]),
            result.light_cpi,
            (_("CPI = EV ÷ AC = %(ev)s ÷ %(ac)s.") % {"ev": m("ev"), "ac": m("ac")})
            if r["cpi"] is not None
            else unmeasurable,
        ),
        (
            _("Earned schedule (ES)"),
            _idx(r["es"]),
            "",
            _("The working day on which the plan foresaw today's EV, interpolated on the PV curve."),
        ),
        (
            _("SPI(t)"),
            _idx(r["spi_t"]),
            "",
            (_("SPI(t) = ES ÷ AT = %(es)s ÷ %(at)s working days.") % {"es": _idx(r["es"]), "at": r["at"]})
            if r["spi_t"] is not None
            else unmeasurable,
        ),
        (
            _("Estimate at completion (EAC)"),
            m("eac"),
            "",
            _("EAC = BAC ÷ CPI, computed as BAC × AC ÷ EV (no rounded CPI in between).")
            if r["eac"] is not None
            else unmeasurable,
        ),
        (
            _("EAC at the budgeted rate"),
            m("eac_atypical"),
            "",
            _("EAC = AC + (BAC − EV): the remaining work costs what it was budgeted."),
        ),
        (
            _("EAC with schedule pressure"),
            m("eac_cpi_spi"),
            "",
            _("EAC = AC + (BAC − EV) ÷ (CPI × SPI).") if r["eac_cpi_spi"] is not None else unmeasurable,
        ),
        (
            _("Estimate to complete (ETC)"),
            m("etc"),
            "",
            _("ETC = EAC − AC.") if r["etc"] is not None else unmeasurable,
        ),
        (
            _("Variance at completion (VAC)"),
            m("vac"),
            "",
            _("VAC = BAC − EAC.") if r["vac"] is not None else unmeasurable,
        ),
        (
            _("To-complete performance index (TCPI)"),
            _idx(r["tcpi"]),
            "",
            _("TCPI = (BAC − EV) ÷ (BAC − AC): the CPI the rest of the work needs to finish on budget.")
            if r["tcpi"] is not None
            else unmeasurable,
        ),
    ]
    return [
        {
            "label": label,
            "value": value,
            "light": light,
            "light_label": Light(light).label if light else "",
            "how": how,
        }
        for label, value, light, how in rows
    ]
