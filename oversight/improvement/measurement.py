"""The ORM side of effect measurement: an improvement's indicator over a window of local dates, computed through
the indicator registry (`oversight.core.kpis`) the way service reports and key risk indicators compute a source
for a vendor: the vendor's facts over the window, under the contract version in force when the item names a
contract. The windows and the assessment are the pure `improvement.effect`.

A service named on the item is shown but does not narrow the figures: the registered loaders load a vendor's
facts (optionally within a contract version's scope), never one service's (ADR 0037)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from oversight.contracts.selectors import contract_version_for_period
from oversight.core import clock, kpis
from oversight.core.zones import zone_of
from oversight.kpi import Period


@dataclass(frozen=True)
class WindowValue:
    """The indicator over one window: its value (None: nothing to measure) and its two counts as text."""

    value: object
    numerator: str | None
    denominator: str | None
    version_id: int | None


def indicator_choices() -> list[tuple[str, object]]:
    """(code, label) of every registered indicator Oversight computes (what an improvement may aim to move)."""
    return [(s.code, s.label) for s in kpis.registry.sources() if s.computed]


def computed_source(code: str) -> kpis.Source | None:
    """The registered source of a code when Oversight computes it, else None."""
    source = kpis.registry.find(code)
    return source if source is not None and source.computed else None


def window_period(organisation, first: dt.date, last: dt.date) -> Period:
    """The half-open period of the local days ``first`` … ``last`` of the organisation."""
    zone = zone_of(organisation)
    start = dt.datetime.combine(first, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return Period(start, end)


def _text(value) -> str | None:
    return None if value is None else str(value)


def measure_window(*, source: kpis.Source, organisation, vendor_id: int, contract, first: dt.date, last: dt.date):
    """The source over ``[first, last]`` for the vendor (within the contract's version in force, if named)."""
    period = window_period(organisation, first, last)
    version = None
    if contract is not None:
        version = contract_version_for_period(contract, first, last + dt.timedelta(days=1))
        if version is None:
            return WindowValue(None, None, None, None)
    at = min(clock.now(), period.end)
    scope = kpis.Scope(
        organisation_id=organisation.pk,
        vendor_id=vendor_id,
        version=version,
        evaluated_at=at,
        day=min(last, at.astimezone(zone_of(organisation)).date()),
    )
    result = kpis.compute(source, kpis.Facts(scope, period), kpis.Window(period, at))
    if result is None:
        return WindowValue(None, None, None, getattr(version, "pk", None))
    return WindowValue(result.value, _text(result.numerator), _text(result.denominator), getattr(version, "pk", None))
