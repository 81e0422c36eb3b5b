"""Settlement of one evaluation period (费用结算): base fee, unit charges, score bands, service credits.

Pure Python, no Django: the contract and evaluation layers pass plain Decimals and dataclasses to
:func:`settle` and store the :class:`Statement` it returns. ``docs/formulas.md`` is the reader's
version of this docstring.

Order of operations (the only one)
----------------------------------
1. **Base fee** ``B`` (基本服务费): the contract's fixed fee for the period, in cents.
2. **Unit charges** (按量计费): per work-order type, ``count x rate``, each line rounded to the
   cent. ``U`` = sum of the rounded lines. The **period invoice** is ``I = B + U``.
3. **Score-band deduction** (考核扣款): from the signed period score ``s`` and the band table
   (:class:`BandTable`), computed exactly, then capped at the maximum deduction, then rounded
   to the cent: ``D = round(min(D_raw, cap))``. Percentages in the band table are of ``B``.
4. **Service credits** (服务积分/服务抵扣, at-risk pool method of MISSION.md):
   at-risk amount ``A = round(at_risk_percent ÷ 100 x I)``; for each breached commitment
   ``credit_i = round(allocation_i ÷ 100 x share_i ÷ 100 x A)``; ``C_raw`` = sum of the rounded
   credits; ``C = min(C_raw, A)``. When the cap binds, a separate ``credit_cap`` line adds back
   ``C_raw - A`` so every credit line keeps its own amount.
5. **Total** ``T = B + U - D - C``, never below 0: if it would be negative a ``floor`` line adds
   back the difference.

Rounding: ``ROUND_HALF_UP`` to the cent (``oversight.core.rounding.round_money``) exactly where
written above - each unit-charge line, the capped band deduction, the at-risk amount and each
credit line; everything between is exact (the arithmetic runs in a context that raises
``decimal.Inexact``, so no hidden rounding can happen). The statement's lines always add up to
its total.

At-risk pool, worked example
----------------------------
Invoice ``I`` = 100 000.00, at-risk 10 % -> ``A`` = 10 000.00 (the pool). The contract allocates
the pool among its SLA commitments, e.g. response 20 %, resolution 50 %, CSAT 40 % (allocations
may add up to more than 100 %: that is why the total is capped). A breached commitment's
``share`` is the part of its allocation forfeited for this breach, e.g. 100 % for a full miss or
50 % for a partial miss, as the contract's credit rules say. If response was missed in full and
resolution partly:

* response:   20 % x 100 % x 10 000.00 = 2 000.00
* resolution: 50 % x  50 % x 10 000.00 = 2 500.00
* ``C`` = 4 500.00 (under the pool of 10 000.00, so the cap does not bind).

Had CSAT been missed in full as well (40 % x 100 % x 10 000.00 = 4 000.00) and resolution in
full (5 000.00), ``C_raw`` = 11 000.00 would be capped at ``A`` = 10 000.00.

Score bands
-----------
A :class:`ScoreBand` covers the scores ``lower <= s < upper`` (lower edge **inclusive**, upper
edge **exclusive**); bands are listed from the top, contiguous (each band's ``lower`` is the
next band's ``upper``). A score at or above the top band's ``upper`` pays the full fee. For a
score ``s`` below a band's ``upper`` the band contributes ``per_point x (upper - max(s, lower))``
(the points of shortfall that fall inside the band) plus its one-off ``step``. So with
``[80, 90)`` at 1 % per point and ``[0, 80)`` at 2 % per point plus a 5 % step:

* s = 90.00 -> 0; s = 89.99 -> 0.01 % of B; s = 80.00 -> 10 % of B;
* s = 79.99 -> 10 % + 0.02 % + 5 % = 15.02 % of B; then the cap (e.g. 20 % of B) applies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Context, Decimal, DivisionByZero, Inexact, InvalidOperation, Overflow
from enum import StrEnum
from typing import Any

from oversight.core.rounding import round_money

__all__ = [
    "Basis",
    "BandTable",
    "Commitment",
    "SettlementError",
    "ScoreBand",
    "Statement",
    "StatementLine",
    "UnitCharge",
    "band_deduction",
    "settle",
]

# Exact arithmetic: any operation that would have to round raises decimal.Inexact.
_EXACT = Context(prec=60, rounding=ROUND_HALF_EVEN, traps=[Inexact, InvalidOperation, DivisionByZero, Overflow])
_ZERO = Decimal("0.00")
_HUNDRED = Decimal(100)

LABEL_BASE_FEE = "settlement.base_fee"
LABEL_UNIT_CHARGE = "settlement.unit_charge"
LABEL_SCORE_DEDUCTION = "settlement.score_deduction"
LABEL_SERVICE_CREDIT = "settlement.service_credit"
LABEL_CREDIT_CAP = "settlement.credit_cap"
LABEL_FLOOR = "settlement.floor"


class SettlementError(ValueError):
    """Settlement input that cannot be settled; ``code`` and ``params`` let callers translate it."""

    def __init__(self, code: str, message: str, /, **params: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.params = params


class Basis(StrEnum):
    """How a band amount is expressed: a percentage of the base fee, or a fixed amount of money."""

    PERCENT = "percent"
    AMOUNT = "amount"


def _num(value: Any, name: str) -> Decimal:
    """A finite Decimal from a Decimal or int; floats, bools and strings are refused."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise SettlementError("not_a_number", f"{name} must be a Decimal or int, got {value!r}", name=name)
    dec = Decimal(value)
    if not dec.is_finite():
        raise SettlementError("not_a_number", f"{name} must be finite, got {value!r}", name=name)
    return dec


def _nonneg(value: Any, name: str) -> Decimal:
    dec = _num(value, name)
    if dec < 0:
        raise SettlementError("negative", f"{name} must be >= 0, got {dec}", name=name)
    return dec


def _percent(value: Any, name: str) -> Decimal:
    dec = _num(value, name)
    if not 0 <= dec <= _HUNDRED:
        raise SettlementError("percent_range", f"{name} must lie within [0, 100], got {dec}", name=name)
    return dec


def _cents(value: Any, name: str) -> Decimal:
    """A money amount >= 0 that is already a whole number of cents (never rounded silently)."""
    dec = _nonneg(value, name)
    if dec != round_money(dec):
        raise SettlementError("not_cents", f"{name} must be a whole number of cents, got {dec}", name=name)
    return round_money(dec)


def _of_percent(percent: Decimal, base: Decimal) -> Decimal:
    """percent ÷ 100 x base, exactly."""
    return _EXACT.divide(_EXACT.multiply(percent, base), _HUNDRED)


def _s(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


# --------------------------------------------------------------------------------------------
# inputs
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreBand:
    """Scores ``lower <= s < upper`` (``lower`` None: down to 0): a deduction per point of shortfall, plus a step.

    ``per_point`` is deducted for each point of the score below ``upper`` that lies inside the
    band; ``step`` once as soon as the score is below ``upper`` (also when it is below the band).
    Each is a percentage of the base fee or a fixed amount according to its basis.
    """

    upper: Decimal
    lower: Decimal | None = None
    per_point: Decimal = Decimal(0)
    per_point_basis: Basis = Basis.PERCENT
    step: Decimal = Decimal(0)
    step_basis: Basis = Basis.PERCENT

    def __post_init__(self) -> None:
        """Validate eagerly."""
        object.__setattr__(self, "upper", _num(self.upper, "upper"))
        if self.lower is not None:
            object.__setattr__(self, "lower", _num(self.lower, "lower"))
            if not self.lower < self.upper:
                raise SettlementError(
                    "band_edges", f"band lower {self.lower} must be below its upper {self.upper}", upper=str(self.upper)
                )
        object.__setattr__(self, "per_point", _nonneg(self.per_point, "per_point"))
        object.__setattr__(self, "step", _nonneg(self.step, "step"))
        for name in ("per_point_basis", "step_basis"):
            try:
                object.__setattr__(self, name, Basis(getattr(self, name)))
            except ValueError as exc:
                raise SettlementError("basis", f"{name} must be 'percent' or 'amount'") from exc


@dataclass(frozen=True)
class BandTable:
    """The score bands (from the top, contiguous) and the maximum deduction (None: no cap but the floor at 0)."""

    bands: tuple[ScoreBand, ...] = ()
    max_deduction: Decimal | None = None
    max_deduction_basis: Basis = Basis.PERCENT

    def __post_init__(self) -> None:
        """Validate: bands from the top down, each one's lower edge the next one's upper edge."""
        bands = tuple(self.bands)
        for b in bands:
            if not isinstance(b, ScoreBand):
                raise SettlementError("band", "bands must be ScoreBand instances")
        for above, below in zip(bands, bands[1:], strict=False):
            if above.lower is None or above.lower != below.upper:
                raise SettlementError(
                    "band_gap",
                    f"bands must be contiguous from the top: a band ending at {above.lower} "
                    f"is followed by one starting at {below.upper}",
                    above=_s(above.lower),
                    below=str(below.upper),
                )
        object.__setattr__(self, "bands", bands)
        if self.max_deduction is not None:
            object.__setattr__(self, "max_deduction", _nonneg(self.max_deduction, "max_deduction"))
        try:
            object.__setattr__(self, "max_deduction_basis", Basis(self.max_deduction_basis))
        except ValueError as exc:
            raise SettlementError("basis", "max_deduction_basis must be 'percent' or 'amount'") from exc

    @property
    def full_fee_from(self) -> Decimal | None:
        """The score from which (inclusive) the full fee is paid; None when there are no bands."""
        return self.bands[0].upper if self.bands else None


@dataclass(frozen=True)
class Commitment:
    """An SLA commitment in the at-risk pool: its allocation of the pool and the share forfeited now (both %).

    ``allocation_percent``: the part of the at-risk amount allocated to this commitment (e.g. 20).
    ``share_percent``: the part of that allocation forfeited for this period's breach (e.g. 100
    for a full miss, 50 for a partial one; 0 when the commitment was met - no credit line).
    ``ref``: the caller's reference of the source (e.g. the evaluation line), copied into the line.
    """

    code: str
    allocation_percent: Decimal
    share_percent: Decimal
    ref: str | None = None

    def __post_init__(self) -> None:
        """Validate eagerly."""
        if not isinstance(self.code, str) or not self.code:
            raise SettlementError("code", "a commitment needs a non-empty code")
        object.__setattr__(self, "allocation_percent", _percent(self.allocation_percent, "allocation_percent"))
        object.__setattr__(self, "share_percent", _percent(self.share_percent, "share_percent"))


@dataclass(frozen=True)
class UnitCharge:
    """A unit-rate charge (按量计费): ``count`` work orders of one type at ``rate`` each."""

    code: str
    count: int
    rate: Decimal
    ref: str | None = None

    def __post_init__(self) -> None:
        """Validate eagerly."""
        if not isinstance(self.code, str) or not self.code:
            raise SettlementError("code", "a unit charge needs a non-empty code")
        if isinstance(self.count, bool) or not isinstance(self.count, int) or self.count < 0:
            raise SettlementError("count", f"count must be a whole number >= 0, got {self.count!r}")
        object.__setattr__(self, "rate", _nonneg(self.rate, "rate"))


# --------------------------------------------------------------------------------------------
# output
# --------------------------------------------------------------------------------------------

# The statement's figures, in the order they are stored, shown and exported: settlement's stored
# figures, its admin, its API and ``Statement.as_dict`` all spell them from here.
FIGURES = (
    "base_fee",
    "unit_charges",
    "invoice_amount",
    "band_deduction_raw",
    "band_deduction",
    "at_risk_amount",
    "credits_uncapped",
    "credits",
    "floor_adjustment",
    "total",
)


@dataclass(frozen=True)
class StatementLine:
    """One line of a statement: signed amount (deductions negative) and the inputs that explain it."""

    code: str
    label_key: str
    amount: Decimal
    explanation: dict[str, Any] = field(default_factory=dict)
    ref: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-safe form (amount as a string)."""
        return {
            "code": self.code,
            "label_key": self.label_key,
            "amount": str(self.amount),
            "explanation": self.explanation,
            "ref": self.ref,
        }


@dataclass(frozen=True)
class Statement:
    """A settlement statement: the lines (adding up to ``total``) and the intermediate figures."""

    lines: tuple[StatementLine, ...]
    base_fee: Decimal
    unit_charges: Decimal
    invoice_amount: Decimal
    band_deduction_raw: Decimal
    band_deduction: Decimal
    at_risk_amount: Decimal
    credits_uncapped: Decimal
    credits: Decimal
    floor_adjustment: Decimal
    total: Decimal

    def line(self, code: str) -> StatementLine:
        """The line with this code (KeyError if absent)."""
        for ln in self.lines:
            if ln.code == code:
                return ln
        raise KeyError(code)

    def as_dict(self) -> dict[str, Any]:
        """JSON-safe form (Decimals as strings) for storage and exports."""
        return {"lines": [ln.as_dict() for ln in self.lines], **{f: str(getattr(self, f)) for f in FIGURES}}


# --------------------------------------------------------------------------------------------
# the calculation
# --------------------------------------------------------------------------------------------


def band_deduction(table: BandTable, score: Decimal, base_fee: Decimal) -> tuple[Decimal, Decimal | None, list[dict]]:
    """The exact band deduction before the cap, the cap amount (None: no cap) and the per-band detail."""
    detail: list[dict] = []
    raw = Decimal(0)
    for band in table.bands:
        if score >= band.upper:
            continue
        bottom = score if band.lower is None else max(score, band.lower)
        shortfall = _EXACT.subtract(band.upper, bottom)
        rate_amount = _of_percent(band.per_point, base_fee) if band.per_point_basis is Basis.PERCENT else band.per_point
        per_point_amount = _EXACT.multiply(rate_amount, shortfall)
        step_amount = _of_percent(band.step, base_fee) if band.step_basis is Basis.PERCENT else band.step
        raw = _EXACT.add(raw, _EXACT.add(per_point_amount, step_amount))
        detail.append(
            {
                "lower": _s(band.lower),
                "upper": str(band.upper),
                "points_below": str(shortfall),
                "per_point": str(band.per_point),
                "per_point_basis": str(band.per_point_basis),
                "per_point_amount": str(per_point_amount),
                "step": str(band.step),
                "step_basis": str(band.step_basis),
                "step_amount": str(step_amount),
            }
        )
    cap = None
    if table.max_deduction is not None:
        cap = (
            _of_percent(table.max_deduction, base_fee)
            if table.max_deduction_basis is Basis.PERCENT
            else table.max_deduction
        )
    return raw, cap, detail


def settle(
    *,
    base_fee: Decimal,
    score: Decimal,
    bands: BandTable,
    at_risk_percent: Decimal = Decimal(0),
    commitments: Sequence[Commitment] = (),
    unit_charges: Sequence[UnitCharge] = (),
) -> Statement:
    """Settle one period in the documented order of operations (module docstring) and return its statement.

    ``score`` is the signed period score (0-100, as rounded by the scoring layer; used as given).
    Only commitments with a positive share (breached) produce a credit line.
    """
    base = _cents(base_fee, "base_fee")
    s = _percent(score, "score")
    at_risk_pct = _percent(at_risk_percent, "at_risk_percent")
    if not isinstance(bands, BandTable):
        raise SettlementError("bands", "bands must be a BandTable")
    _unique([c.code for c in commitments], "commitment")
    _unique([u.code for u in unit_charges], "unit charge")
    lines: list[StatementLine] = []

    # 1. base fee
    lines.append(StatementLine("base_fee", LABEL_BASE_FEE, base, {"base_fee": str(base)}))

    # 2. unit charges, each line rounded to the cent
    unit_total = _ZERO
    for u in unit_charges:
        if not isinstance(u, UnitCharge):
            raise SettlementError("unit_charge", "unit_charges must be UnitCharge instances")
        exact = _EXACT.multiply(Decimal(u.count), u.rate)
        amount = round_money(exact)
        unit_total = _EXACT.add(unit_total, amount)
        lines.append(
            StatementLine(
                f"unit:{u.code}",
                LABEL_UNIT_CHARGE,
                amount,
                {"type": u.code, "count": u.count, "rate": str(u.rate), "exact": str(exact)},
                u.ref,
            )
        )
    invoice = _EXACT.add(base, unit_total)

    # 3. score-band deduction: exact, capped, rounded once
    raw, cap, detail = band_deduction(bands, s, base)
    capped = raw if cap is None else min(raw, cap)
    deduction = round_money(capped)
    lines.append(
        StatementLine(
            "score_deduction",
            LABEL_SCORE_DEDUCTION,
            _EXACT.minus(deduction),
            {
                "score": str(s),
                "full_fee_from": _s(bands.full_fee_from),
                "base_fee": str(base),
                "bands": detail,
                "raw": str(raw),
                "cap": _s(cap),
                "cap_basis": str(bands.max_deduction_basis) if cap is not None else None,
                "max_deduction": _s(bands.max_deduction),
                "capped": cap is not None and raw > cap,
            },
        )
    )

    # 4. service credits (at-risk pool): each rounded, summed, then capped at the at-risk amount
    at_risk = round_money(_of_percent(at_risk_pct, invoice))
    credits_raw = _ZERO
    for c in commitments:
        if not isinstance(c, Commitment):
            raise SettlementError("commitment", "commitments must be Commitment instances")
        if c.share_percent == 0 or c.allocation_percent == 0:
            continue
        exact = _EXACT.divide(_EXACT.multiply(_EXACT.multiply(c.allocation_percent, c.share_percent), at_risk), 10000)
        amount = round_money(exact)
        credits_raw = _EXACT.add(credits_raw, amount)
        lines.append(
            StatementLine(
                f"credit:{c.code}",
                LABEL_SERVICE_CREDIT,
                _EXACT.minus(amount),
                {
                    "commitment": c.code,
                    "allocation_percent": str(c.allocation_percent),
                    "share_percent": str(c.share_percent),
                    "at_risk_percent": str(at_risk_pct),
                    "invoice_amount": str(invoice),
                    "at_risk_amount": str(at_risk),
                    "exact": str(exact),
                },
                c.ref,
            )
        )
    credits = min(credits_raw, at_risk)
    if credits_raw > at_risk:
        lines.append(
            StatementLine(
                "credit_cap",
                LABEL_CREDIT_CAP,
                _EXACT.subtract(credits_raw, at_risk),
                {"credits_uncapped": str(credits_raw), "at_risk_amount": str(at_risk)},
            )
        )

    # 5. total, never below zero
    subtotal = _EXACT.subtract(_EXACT.subtract(invoice, deduction), credits)
    floor_adjustment = _EXACT.minus(subtotal) if subtotal < 0 else _ZERO
    if floor_adjustment:
        lines.append(StatementLine("floor", LABEL_FLOOR, floor_adjustment, {"subtotal": str(subtotal)}))
    total = _EXACT.add(subtotal, floor_adjustment)
    if total != sum((ln.amount for ln in lines), _ZERO):  # pragma: no cover - internal invariant
        raise RuntimeError("statement lines do not add up to the total")
    return Statement(
        lines=tuple(lines),
        base_fee=base,
        unit_charges=unit_total,
        invoice_amount=invoice,
        band_deduction_raw=raw,
        band_deduction=deduction,
        at_risk_amount=at_risk,
        credits_uncapped=credits_raw,
        credits=credits,
        floor_adjustment=floor_adjustment,
        total=total,
    )


def _unique(codes: list[str], what: str) -> None:
    dupes = sorted({c for c in codes if codes.count(c) > 1})
    if dupes:
        raise SettlementError("duplicate_codes", f"{what} codes must be unique; repeated: {', '.join(dupes)}")
