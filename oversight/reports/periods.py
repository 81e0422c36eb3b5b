"""Report periods: calendar months and quarters in the organisation's time zone, named by a short key.

A key is ``2026-10`` for October 2026 or ``2026-Q3`` for the third quarter of 2026. The period covers
local midnight of its first day up to (not including) local midnight after its last day, exactly like an
evaluation period of the same kind (``scorecards.services.periods``), so a report and a scorecard of the
same month count the same work orders.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from oversight.core.errors import ApplicationError
from oversight.core.periods import calendar_period, quarter_of
from oversight.core.zones import local_today, zone_of
from oversight.kpi.facts import Period
from oversight.scorecards.choices import PeriodKind
from oversight.scorecards.services.common import local_midnight

_MONTH_KEY = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})$")
_QUARTER_KEY = re.compile(r"^(?P<year>\d{4})-Q(?P<quarter>[1-4])$")


@dataclass(frozen=True)
class ReportPeriod:
    """One month or quarter of an organisation: its local dates and the UTC instants that bound it."""

    kind: str  # PeriodKind value
    first: dt.date
    last: dt.date
    start_at: dt.datetime
    end_at: dt.datetime  # exclusive

    @property
    def key(self) -> str:
        if self.kind == PeriodKind.QUARTERLY:
            return f"{self.first.year}-Q{quarter_of(self.first)}"
        return f"{self.first.year}-{self.first.month:02d}"

    @property
    def window(self) -> Period:
        """The pure-calculation period (``kpi.facts.Period``)."""
        return Period(self.start_at, self.end_at)

    @property
    def months(self) -> int:
        return 3 if self.kind == PeriodKind.QUARTERLY else 1

    def label(self) -> str:
        """A human label in the active language (e.g. 2026-10, 2026 Q3)."""
        if self.kind == PeriodKind.QUARTERLY:
            return _("%(year)s Q%(quarter)s") % {"year": self.first.year, "quarter": quarter_of(self.first)}
        return f"{self.first.year}-{self.first.month:02d}"


def period_containing(kind: str, day: dt.date, organisation) -> ReportPeriod:
    """The month or quarter of the organisation containing a local date."""
    if kind not in PeriodKind.values:
        raise ApplicationError(_("Unknown kind of period."), code="period_kind", extra={"field": "kind"})
    months = 3 if kind == PeriodKind.QUARTERLY else 1
    first, after = calendar_period(day, months)
    zone = zone_of(organisation)
    return ReportPeriod(
        kind=kind,
        first=first,
        last=after - dt.timedelta(days=1),
        start_at=local_midnight(first, zone),
        end_at=local_midnight(after, zone),
    )


def period_from_key(key: str, organisation) -> ReportPeriod:
    """Parse ``2026-10`` (a month) or ``2026-Q3`` (a quarter); a clear 400 error for anything else.

    A period that has not begun in the organisation's zone is refused too: it has no data, and a report of it
    would look like a real one with zeros. The running month or quarter is allowed (a report so far).
    """
    text = (key or "").strip().upper()
    period = None
    match = _MONTH_KEY.match(text)
    if match and 1 <= int(match["month"]) <= 12:
        period = period_containing(
            PeriodKind.MONTHLY, dt.date(int(match["year"]), int(match["month"]), 1), organisation
        )
    match = _QUARTER_KEY.match(text)
    if match:
        month = (int(match["quarter"]) - 1) * 3 + 1
        period = period_containing(PeriodKind.QUARTERLY, dt.date(int(match["year"]), month, 1), organisation)
    if period is not None:
        if period.first > local_today(organisation):
            raise ApplicationError(
                _("%(period)s has not begun yet: a report can cover only a month or quarter that has started.")
                % {"period": period.label()},
                code="period_future",
                extra={"field": "period"},
            )
        return period
    raise ApplicationError(
        _("“%(key)s” is not a period: write a month as 2026-10 or a quarter as 2026-Q3.") % {"key": key},
        code="period_key",
        extra={"field": "period"},
    )


def previous_period(period: ReportPeriod, organisation) -> ReportPeriod:
    """The month or quarter just before."""
    return period_containing(period.kind, period.first - dt.timedelta(days=1), organisation)


def last_complete_period(organisation, kind: str = PeriodKind.MONTHLY) -> ReportPeriod:
    """The last complete month (or quarter) in the organisation's time zone: what a report shows by default."""
    running = period_containing(kind, local_today(organisation), organisation)
    return previous_period(running, organisation)


def trailing_periods(period: ReportPeriod, organisation, count: int) -> list[ReportPeriod]:
    """``count`` periods ending with ``period``, oldest first (for trend charts)."""
    out = [period]
    while len(out) < count:
        out.append(previous_period(out[-1], organisation))
    return list(reversed(out))
