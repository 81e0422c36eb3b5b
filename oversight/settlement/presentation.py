"""How a statement reads: each line's label and explanation in words, and amounts as text (shared by HTML/PDF/XLSX).

The words are built from the line's stored explanation (the inputs `settle()` recorded), never recomputed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from oversight.contracts.choices import UnitRateKind
from oversight.contracts.templatetags.contracts_ui import score_range
from oversight.core.money import format_money
from oversight.core.rounding import round_money
from oversight.settlement.models import SettlementStatement, StatementLine


def _pct(value) -> str:
    return f"{Decimal(value).normalize():f} %"


def _num(value) -> str:
    return f"{Decimal(value).normalize():f}"


def _band_words(band: dict, money) -> str:
    per_point = _pct(band["per_point"]) if band["per_point_basis"] == "percent" else money(band["per_point"])
    words = _("band %(band)s: %(points)s point(s) × %(per_point)s = %(amount)s") % {
        "band": score_range(band["upper"], band["lower"]),
        "points": _num(band["points_below"]),
        "per_point": per_point,
        "amount": money(band["per_point_amount"]),
    }
    if Decimal(band["step_amount"]):
        step = _pct(band["step"]) if band["step_basis"] == "percent" else money(band["step"])
        words += "; " + _("one-off %(step)s = %(amount)s") % {"step": step, "amount": money(band["step_amount"])}
    return words


def kind_label(kind) -> str:
    """A unit rate's work-order type in words, or the spare part of a parts charge (``part:<code>@<price>``); the
    stored value itself only when it is no longer a known type."""
    if str(kind or "").startswith("part:"):
        return _("Spare part %(code)s") % {"code": str(kind).removeprefix("part:").rpartition("@")[0]}
    return str(dict(UnitRateKind.choices).get(kind, kind or ""))


def commitment_name(line: StatementLine) -> str:
    """A credit line's commitment, named in the reader's language."""
    if line.commitment_result_id:
        return line.commitment_result.localized_name
    return str((line.explanation or {}).get("commitment") or "")


def line_name(line: StatementLine) -> str:
    """The line's name in words: its kind, and for a credit or a unit-rate charge which commitment or work-order
    type it is about (never the stored code such as `credit:response`)."""
    label = str(line.label)
    if line.code.startswith("credit:"):
        name = commitment_name(line)
    elif line.code.startswith("unit:"):
        name = kind_label((line.explanation or {}).get("type") or line.code.removeprefix("unit:"))
    else:
        return label
    return _("%(line)s: %(name)s") % {"line": label, "name": name} if name else label


def explain(line: StatementLine, statement: SettlementStatement) -> str:
    """The line's explanation in the reader's language (amounts with the statement's currency)."""
    e = line.explanation or {}

    def money(value) -> str:
        return format_money(value, statement.currency)

    if line.code == "base_fee":
        return _("Fixed fee of contract %(contract)s version %(version)s for %(period)s (%(months)s month(s)).") % {
            "contract": statement.contract.number,
            "version": statement.contract_version.number,
            "period": statement.period.label,
            "months": statement.period.months,
        }
    if line.code.startswith("unit:part:"):
        return _("%(count)s unit(s) of %(part)s used on the vendor's work orders in the period × %(rate)s.") % {
            "count": e.get("count"),
            "part": kind_label(e.get("type")),
            "rate": money(e.get("rate")),
        }
    if line.code.startswith("unit:"):
        return _("%(count)s work order(s) of type “%(type)s” beyond the included quantity × %(rate)s.") % {
            "count": e.get("count"),
            "type": kind_label(e.get("type")),
            "rate": money(e.get("rate")),
        }
    if line.code == "score_deduction":
        if not e.get("bands"):
            full = e.get("full_fee_from")
            if full is None:
                return _("Score %(score)s: the contract has no score bands.") % {"score": e.get("score")}
            return _("Score %(score)s: the full fee is paid from %(full)s.") % {"score": e.get("score"), "full": full}
        parts = [_band_words(b, money) for b in e["bands"]]
        words = _("Score %(score)s (full fee from %(full)s): %(bands)s.") % {
            "score": e.get("score"),
            "full": e.get("full_fee_from"),
            "bands": " + ".join(parts),
        }
        raw = e.get("raw")
        if raw is not None and Decimal(raw) != round_money(Decimal(raw)):
            words += " " + _("Before rounding to the cent: %(raw)s.") % {"raw": _num(raw)}
        if e.get("capped"):
            words += " " + _("Capped at the maximum deduction of %(cap)s.") % {"cap": money(e.get("cap"))}
        return words
    if line.code.startswith("credit:"):
        name = commitment_name(line)
        return _(
            "%(name)s missed: allocation %(allocation)s × share forfeited %(share)s × at-risk amount %(at_risk)s "
            "(%(percent)s of the invoice %(invoice)s)."
        ) % {
            "name": name,
            "allocation": _pct(e.get("allocation_percent")),
            "share": _pct(e.get("share_percent")),
            "at_risk": money(e.get("at_risk_amount")),
            "percent": _pct(e.get("at_risk_percent")),
            "invoice": money(e.get("invoice_amount")),
        }
    if line.code == "credit_cap":
        return _("Service credits of %(credits)s are capped at the at-risk amount of %(at_risk)s.") % {
            "credits": money(e.get("credits_uncapped")),
            "at_risk": money(e.get("at_risk_amount")),
        }
    if line.code == "floor":
        return _("The subtotal of %(subtotal)s would be negative; the total is never below zero.") % {
            "subtotal": money(e.get("subtotal"))
        }
    return ""


@dataclass
class LineView:
    """A statement line ready to show: label, explanation, amount and its source."""

    line: StatementLine
    label: str
    explanation: str
    amount: str


def line_views(statement: SettlementStatement, lines: list[StatementLine]) -> list[LineView]:
    """Every line of the statement with its words."""
    return [
        LineView(ln, line_name(ln), explain(ln, statement), format_money(ln.amount, statement.currency)) for ln in lines
    ]


def summary_rows(statement: SettlementStatement) -> list[tuple[str, Decimal]]:
    """The statement's figures in the order of operations, with their labels."""
    return [
        (_("Base fee"), statement.base_fee),
        (_("Unit-rate charges"), statement.unit_charges),
        (_("Period invoice"), statement.invoice_amount),
        (_("Score-band deduction"), statement.band_deduction),
        (_("At-risk amount"), statement.at_risk_amount),
        (_("Service credits before the cap"), statement.credits_uncapped),
        (_("Service credits"), statement.credits),
        (_("Floor adjustment"), statement.floor_adjustment),
        (_("Total payable"), statement.total),
    ]
