"""Indicator schemes: a new version for every change (weights summing to exactly 100), and the hospital template."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import audit_record
from oversight.core import clock
from oversight.core.errors import ApplicationError, NotAllowed
from oversight.core.kpis import SCHEME, registry
from oversight.scorecards import permissions, rules
from oversight.scorecards.choices import (
    MANUAL,
    Dimension,
    MissingPolicy,
    PeriodKind,
    RuleKind,
    Unit,
)
from oversight.scorecards.models import IndicatorScheme, SchemeIndicator

CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


@dataclass(frozen=True)
class IndicatorInput:
    """One indicator as entered (by the editor, the API or the template); checked by `scheme_version_create`."""

    code: str
    name: str
    dimension: str
    weight: Decimal
    source: str
    rule: Mapping[str, Any]
    missing_policy: str = MissingPolicy.RAISE
    name_en: str = ""
    unit: str = ""
    target: Decimal | None = None
    description: str = ""


@dataclass(frozen=True)
class SchemeSettings:
    """The settings of a scheme version besides its indicators."""

    name: str
    period_kind: str = PeriodKind.QUARTERLY
    reopen_window_days: int = 7
    dispute_window_days: int = 5
    dispute_calendar: Any = None
    note: str = ""


def _error(message, *, code: str, row: int | None = None, **extra) -> ApplicationError:
    if row is not None:
        extra["row"] = row
    return ApplicationError(message, code=code, extra=extra)


def _scheme_error(exc: rules.SchemeError) -> ApplicationError:
    """A translated message for the pure module's scheme errors (the sum of the weights is shown)."""
    if exc.code == "weights_sum":
        cent = Decimal("0.01")
        total = Decimal(exc.params["sum"]).quantize(cent)
        listing = ", ".join(f"{code} {Decimal(w).quantize(cent)}" for code, w in exc.params["weights"].items())
        return _error(
            _("The weights must add up to exactly 100; they add up to %(sum)s (%(weights)s).")
            % {"sum": total, "weights": listing},
            code="weights_sum",
            field="indicators",
            sum=str(total),
        )
    if exc.code == "duplicate_codes":
        return _error(
            _("Each indicator needs its own code; repeated: %(codes)s.") % {"codes": ", ".join(exc.params["codes"])},
            code="duplicate_codes",
            field="indicators",
        )
    if exc.code == "empty_scheme":
        return _error(_("A scheme needs at least one indicator."), code="empty_scheme", field="indicators")
    return _error(
        _("The scheme is invalid: %(detail)s") % {"detail": exc.message}, code=f"scheme_{exc.code}", field="indicators"
    )


def _decimal(value, *, label, row: int) -> Decimal:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise _error(
            _("Indicator %(row)s: %(label)s is not a number.") % {"row": row, "label": label},
            code="not_a_number",
            row=row,
            field="indicators",
        ) from exc
    if not number.is_finite():
        raise _error(
            _("Indicator %(row)s: %(label)s is not a number.") % {"row": row, "label": label},
            code="not_a_number",
            row=row,
            field="indicators",
        )
    return number


def _clean_indicator(item: IndicatorInput, row: int) -> dict:
    """Check one indicator and return the fields of its row (the rule normalised through the pure module)."""
    code = (item.code or "").strip()
    if not CODE_RE.match(code):
        raise _error(
            _("Indicator %(row)s: the code must be 1–40 lowercase letters, digits, - or _.") % {"row": row},
            code="indicator_code",
            row=row,
            field="indicators",
        )
    name = (item.name or "").strip()
    if not name or len(name) > 200 or len(item.name_en or "") > 200:
        raise _error(
            _("Indicator %(row)s: a name (at most 200 characters) is required.") % {"row": row},
            code="indicator_name",
            row=row,
            field="indicators",
        )
    if item.dimension not in Dimension.values:
        raise _error(
            _("Indicator %(row)s: choose one of the four dimensions.") % {"row": row},
            code="dimension",
            row=row,
            field="indicators",
        )
    source = registry.find(item.source) if item.source != MANUAL else None
    if item.source != MANUAL and (source is None or SCHEME not in source.uses):
        raise _error(
            _("Indicator %(row)s: unknown source “%(source)s”: choose a registered indicator source or manual entry.")
            % {"row": row, "source": item.source},
            code="source",
            row=row,
            field="indicators",
        )
    if item.missing_policy not in MissingPolicy.values:
        raise _error(
            _("Indicator %(row)s: unknown rule for a missing value.") % {"row": row},
            code="missing_policy",
            row=row,
            field="indicators",
        )
    weight = _decimal(item.weight, label=_("the weight"), row=row)
    if weight < 0 or weight > 100 or weight != weight.quantize(Decimal("0.01")):
        raise _error(
            _("Indicator %(row)s: the weight must lie between 0 and 100, with at most two decimals.") % {"row": row},
            code="weight",
            row=row,
            field="indicators",
        )
    try:
        rule = rules.rule_from_dict(dict(item.rule or {}))
    except rules.SchemeError as exc:
        raise _error(
            _("Indicator %(row)s: the scoring rule is invalid (%(detail)s).") % {"row": row, "detail": exc.message},
            code="rule",
            row=row,
            field="indicators",
        ) from exc
    if source is not None:
        unit = source.unit
    else:
        unit = item.unit or (Unit.COUNT if rule.kind == RuleKind.DEDUCTION else Unit.PERCENT)
        if unit not in Unit.values:
            raise _error(_("Indicator %(row)s: unknown unit.") % {"row": row}, code="unit", row=row, field="indicators")
    if rule.kind == RuleKind.DEDUCTION and unit != Unit.COUNT:
        raise _error(
            _("Indicator %(row)s: a deduction per event needs a count of events (a manual count or complaints).")
            % {"row": row},
            code="deduction_needs_count",
            row=row,
            field="indicators",
        )
    target = None if item.target in (None, "") else _decimal(item.target, label=_("the target"), row=row)
    return {
        "code": code,
        "name": name,
        "name_en": (item.name_en or "").strip(),
        "dimension": item.dimension,
        "weight": weight,
        "source": item.source,
        "unit": unit,
        "rule": rule.to_dict(),
        "missing_policy": item.missing_policy,
        "target": target,
        "description": (item.description or "").strip(),
        "_rule": rule,
    }


def _snapshot(scheme: IndicatorScheme, rows: Sequence[dict]) -> dict:
    return {
        "contract": scheme.contract_id,
        "number": scheme.number,
        "name": scheme.name,
        "period_kind": scheme.period_kind,
        "reopen_window_days": scheme.reopen_window_days,
        "dispute_window_days": scheme.dispute_window_days,
        "dispute_calendar": scheme.dispute_calendar_id,
        "note": scheme.note,
        "indicators": [
            {k: v for k, v in row.items() if not k.startswith("_")} | {"weight": str(row["weight"])} for row in rows
        ],
    }


@transaction.atomic
def scheme_version_create(
    *, contract, actor, settings: SchemeSettings, indicators: Sequence[IndicatorInput]
) -> IndicatorScheme:
    """Create the next version of a contract's indicator scheme (weights must sum to exactly 100); audited."""
    from oversight.contracts.models import Contract

    contract = Contract.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=contract.pk)
    if not permissions.may_manage_schemes(actor, contract.organisation_id):
        raise NotAllowed(_("Only the organisation's administrators change indicator schemes."))
    name = (settings.name or "").strip()
    if not name or len(name) > 200:
        raise _error(_("Give the scheme a name (at most 200 characters)."), code="required", field="name")
    if settings.period_kind not in PeriodKind.values:
        raise _error(_("Unknown evaluation cadence."), code="period_kind", field="period_kind")
    if not 1 <= int(settings.dispute_window_days) <= 60:
        raise _error(_("The dispute window must be 1 to 60 days."), code="dispute_window", field="dispute_window_days")
    if not 0 <= int(settings.reopen_window_days) <= 90:
        raise _error(_("The reopen window must be 0 to 90 days."), code="reopen_window", field="reopen_window_days")
    calendar = settings.dispute_calendar
    if calendar is not None and calendar.organisation_id != contract.organisation_id:
        raise _error(_("Unknown calendar."), code="calendar", field="dispute_calendar")
    rows = [_clean_indicator(item, row) for row, item in enumerate(indicators, start=1)]
    pure = rules.Scheme(
        tuple(rules.Indicator(r["code"], r["dimension"], r["weight"], r["_rule"], r["missing_policy"]) for r in rows)
    )
    try:
        pure.validate()
    except rules.SchemeError as exc:
        raise _scheme_error(exc) from exc
    number = (IndicatorScheme.objects.filter(contract=contract).aggregate(m=Max("number"))["m"] or 0) + 1
    scheme = IndicatorScheme.objects.create(
        organisation=contract.organisation,
        contract=contract,
        number=number,
        name=name,
        period_kind=settings.period_kind,
        reopen_window_days=int(settings.reopen_window_days),
        dispute_window_days=int(settings.dispute_window_days),
        dispute_calendar=calendar,
        note=(settings.note or "").strip(),
        created_at=clock.now(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    SchemeIndicator.objects.bulk_create(
        SchemeIndicator(scheme=scheme, position=position, **{k: v for k, v in row.items() if not k.startswith("_")})
        for position, row in enumerate(rows)
    )
    audit_record(
        actor=actor,
        action="scorecards.indicatorscheme.created",
        obj=scheme,
        organisation=contract.organisation,
        after=_snapshot(scheme, rows),
    )
    return scheme


def scheme_inputs(scheme: IndicatorScheme) -> list[IndicatorInput]:
    """A stored version's indicators as inputs (to start the editor of the next version from them)."""
    return [
        IndicatorInput(
            code=i.code,
            name=i.name,
            name_en=i.name_en,
            dimension=i.dimension,
            weight=i.weight,
            source=i.source,
            rule=i.rule,
            missing_policy=i.missing_policy,
            unit=i.unit if i.source == MANUAL else "",
            target=i.target,
            description=i.description,
        )
        for i in scheme.indicators.all()
    ]


def scheme_from_template(contract, actor, *, period_kind: str = PeriodKind.QUARTERLY) -> IndicatorScheme:
    """A new scheme version for the contract from the hospital O&M template (oversight.scorecards.hospital_template)."""
    from oversight.scorecards.hospital_template import TEMPLATE_NAME, TEMPLATE_NOTE, template_indicators

    return scheme_version_create(
        contract=contract,
        actor=actor,
        settings=SchemeSettings(name=str(TEMPLATE_NAME), period_kind=period_kind, note=str(TEMPLATE_NOTE)),
        indicators=template_indicators(),
    )


__all__ = [
    "IndicatorInput",
    "SchemeSettings",
    "scheme_from_template",
    "scheme_inputs",
    "scheme_version_create",
]
