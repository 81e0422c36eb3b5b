"""The Markov model of vendor states (正常 / 观察 / 预警 / 整改 / 退出): each vendor's state per month from its own
history, the transition matrix estimated over the organisation's vendors, and each vendor's forecast.

The state of a vendor in a month (`state_of_month`, the organisation's `VendorStateSettings`, defaults when none):

* **exit** (退出) once the vendor had a contract and none is in force on any day of the month (activated
  contracts, to their term end or termination); absorbing: the months after it are not read;
* otherwise the worst of:
  - the score of its signed (or locked) evaluation covering the month: below ``remediation_below`` remediation,
    below ``warning_below`` warning, below ``watch_below`` watch;
  - the SLA commitments that evaluation missed: ``remediation_missed`` or more remediation, ``warning_missed``
    or more warning, one or more watch;
  - SLA breaches (response, on-site and resolution targets missed, from the daily service facts) of work orders
    received in the month: ``watch_breaches`` or more watch;
  - a tier lowered in the month (strategic → core → ordinary): watch;
* **normal** (正常) when any of these had data and none says worse; **no state** (a gap) without any data.

Transitions between consecutive months are pooled over the organisation's vendors and estimated by
`oversight.quant.markov.estimate_transitions` (Dirichlet smoothing toward the prior, the prior itself for a row
with fewer than ``min_observations`` months; the exit row is absorbing). A vendor's forecast starts from its latest
state: the chance of reaching remediation or exit within 3, 6 and 12 months and the expected months to exit.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from django.db import transaction
from django.db.models import F, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import audit_record
from oversight.contracts.choices import IN_FORCE_STATUSES
from oversight.contracts.models import Contract
from oversight.core import clock
from oversight.core.errors import ApplicationError
from oversight.core.periods import calendar_period
from oversight.core.zones import local_today, zone_of
from oversight.facts.models import VendorDailyFact
from oversight.portfolio.models import VendorTierChange
from oversight.quant import markov
from oversight.risks import permissions
from oversight.risks.choices_triggers import DEFAULT_PRIOR, VendorState
from oversight.risks.models import VendorStateSettings
from oversight.scorecards.choices import PeriodStatus
from oversight.scorecards.models import CommitmentResult, EvaluationPeriod
from oversight.tenancy.choices import VendorTier

#: Months of history read (the latest complete month and the ones before it).
HISTORY_MONTHS = 36
HORIZONS = (3, 6, 12)
SERIOUS = (VendorState.REMEDIATION, VendorState.EXIT)
TIER_RANK = {VendorTier.STRATEGIC: 0, VendorTier.CORE: 1, VendorTier.ORDINARY: 2}
SIGNED_STATUSES = (PeriodStatus.SIGNED, PeriodStatus.LOCKED)


def settings_for(organisation) -> VendorStateSettings:
    """The organisation's settings (unsaved defaults when none are stored)."""
    return VendorStateSettings.objects.filter(organisation=organisation).first() or VendorStateSettings(
        organisation=organisation
    )


@dataclass(frozen=True)
class MonthFacts:
    """What one vendor's month says (plain values)."""

    score: Decimal | None = None
    missed: int | None = None
    breaches: int | None = None
    downgraded: bool = False
    exited: bool = False


def state_of_month(facts: MonthFacts, rule: VendorStateSettings) -> int | None:
    """The vendor's state in a month by the rule of the module docstring (None: no data that month)."""
    if facts.exited:
        return VendorState.EXIT
    if facts.score is None and facts.missed is None and facts.breaches is None and not facts.downgraded:
        return None
    state = VendorState.NORMAL
    if facts.score is not None:
        if facts.score < rule.remediation_below:
            state = max(state, VendorState.REMEDIATION)
        elif facts.score < rule.warning_below:
            state = max(state, VendorState.WARNING)
        elif facts.score < rule.watch_below:
            state = max(state, VendorState.WATCH)
    if facts.missed:
        if facts.missed >= rule.remediation_missed:
            state = max(state, VendorState.REMEDIATION)
        elif facts.missed >= rule.warning_missed:
            state = max(state, VendorState.WARNING)
        else:
            state = max(state, VendorState.WATCH)
    if facts.breaches is not None and facts.breaches >= rule.watch_breaches:
        state = max(state, VendorState.WATCH)
    if facts.downgraded:
        state = max(state, VendorState.WATCH)
    return int(state)


def months_until(last: dt.date, count: int) -> list[dt.date]:
    """The first days of ``count`` months ending with the month of ``last``, oldest first."""
    months = []
    first = calendar_period(last, 1)[0]
    for _step in range(count):
        months.append(first)
        first = calendar_period(first - dt.timedelta(days=1), 1)[0]
    return months[::-1]


def _month_of(day: dt.date) -> dt.date:
    return dt.date(day.year, day.month, 1)


def _load_facts(organisation, vendors, months: list[dt.date]) -> dict[int, dict[dt.date, MonthFacts]]:
    """Per vendor and month, the facts of the rule (a handful of queries for every vendor together)."""
    first, last = months[0], calendar_period(months[-1], 1)[1] - dt.timedelta(days=1)
    ids = [v.pk for v in vendors]
    data: dict[int, dict[dt.date, dict]] = {pk: defaultdict(dict) for pk in ids}
    periods = EvaluationPeriod.objects.filter(
        organisation=organisation,
        vendor_id__in=ids,
        status__in=SIGNED_STATUSES,
        revised_by__isnull=True,
        ends_on__gte=first,
        starts_on__lte=last,
    ).only("pk", "vendor_id", "starts_on", "ends_on", "total_score")
    missed: dict[int, int] = defaultdict(int)
    for period_id in CommitmentResult.objects.filter(period__in=periods, met=False).values_list("period_id", flat=True):
        missed[period_id] += 1
    for period in periods:
        for month in months:
            if period.starts_on <= calendar_period(month, 1)[1] - dt.timedelta(days=1) and period.ends_on >= month:
                cell = data[period.vendor_id][month]
                if period.total_score is not None:
                    cell["score"] = min(cell.get("score", period.total_score), period.total_score)
                cell["missed"] = cell.get("missed", 0) + missed[period.pk]
    breaches = (
        VendorDailyFact.objects.filter(organisation=organisation, vendor_id__in=ids, day__gte=first, day__lte=last)
        .annotate(month=TruncMonth("day"))
        .values("vendor_id", "month")
        .annotate(missed=Sum(F("response_missed") + F("onsite_missed") + F("resolution_missed")))
    )
    for row in breaches:
        month = row["month"].date() if isinstance(row["month"], dt.datetime) else row["month"]
        data[row["vendor_id"]][month]["breaches"] = row["missed"] or 0
    changes = VendorTierChange.objects.filter(vendor_id__in=ids).values_list(
        "vendor_id", "previous_tier", "tier", "changed_at"
    )
    for vendor_id, previous, tier, changed_at in changes:
        month = _month_of(changed_at.astimezone(zone_of(organisation)).date())
        if TIER_RANK.get(tier, 0) > TIER_RANK.get(previous, 0) and month in months:
            data[vendor_id][month]["downgraded"] = True
    contracts = Contract.objects.filter(vendor_id__in=ids, status__in=IN_FORCE_STATUSES).values_list(
        "vendor_id", "starts_on", "ends_on", "terminated_on"
    )
    spans: dict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)  # activated contracts' terms
    for vendor_id, starts_on, ends_on, terminated_on in contracts:
        spans[vendor_id].append((starts_on, min(ends_on, terminated_on) if terminated_on else ends_on))
    for vendor_id in ids:
        if not spans[vendor_id]:
            continue
        last_end = max(end for _start, end in spans[vendor_id])
        for month in months:
            if last_end < month:
                data[vendor_id][month]["exited"] = True
    return {pk: {month: MonthFacts(**cell) for month, cell in per.items()} for pk, per in data.items()}


@dataclass
class VendorForecast:
    """One vendor's monthly states and what the chain says about its future."""

    vendor: object
    states: list[int | None]
    current: int | None
    reach: dict[int, float]
    expected_months_to_exit: float | None

    @property
    def current_label(self):
        return None if self.current is None else VendorState(self.current).label

    @property
    def reach_percents(self) -> list[tuple[int, Decimal]]:
        """(horizon, chance in percent to 0.1) for pages."""
        return [(k, percent(p)) for k, p in self.reach.items()]

    @property
    def expected_months_text(self) -> Decimal | None:
        """Expected months to exit to 0.1 (None: exit may never come from here)."""
        if self.expected_months_to_exit is None:
            return None
        return Decimal(str(self.expected_months_to_exit)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class StateModel:
    """The estimated chain of an organisation's vendors and every vendor's forecast."""

    months: list[dt.date]
    estimate: markov.TransitionEstimate
    forecasts: list[VendorForecast]
    rule: VendorStateSettings

    @property
    def any_prior_row(self) -> bool:
        return any(self.estimate.prior_rows[:-1])

    def rows(self) -> list[dict]:
        """The matrix as rows for pages and the API: state, probabilities, observed transitions, prior used."""
        return [
            {
                "state": VendorState(i),
                "probabilities": [float(p) for p in self.estimate.matrix[i]],
                "percents": [percent(p) for p in self.estimate.matrix[i]],
                "observations": self.estimate.row_observations[i],
                "prior_used": self.estimate.prior_rows[i],
            }
            for i in range(len(VendorState))
        ]


def percent(probability: float) -> Decimal:
    """A probability as a percentage rounded half-up to 0.1 (for display; the maths keeps floats)."""
    return (Decimal(str(float(probability))) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def prior_matrix(rule: VendorStateSettings) -> np.ndarray:
    """The prior of the settings, or the default one when the stored one is not a valid 5 × 5 stochastic matrix."""
    try:
        return markov.check_stochastic(rule.prior, name="prior matrix")
    except (ValueError, TypeError):
        return np.array(DEFAULT_PRIOR)


def forecast_for(estimate: markov.TransitionEstimate, current: int | None) -> tuple[dict[int, float], float | None]:
    """Chance of reaching remediation or exit within each horizon, and the expected months to exit."""
    if current is None:
        return {}, None
    reach = {k: markov.probability_reached_within(estimate.matrix, current, SERIOUS, k) for k in HORIZONS}
    return reach, markov.expected_steps_to_reach(estimate.matrix, current, [VendorState.EXIT])


def vendor_state_model(*, organisation, vendors, today: dt.date | None = None) -> StateModel:
    """Every vendor's states, the estimated matrix and each vendor's forecast (``vendors`` already visible)."""
    rule = settings_for(organisation)
    today = today or local_today(organisation)
    last_month_end = calendar_period(today, 1)[0] - dt.timedelta(days=1)
    months = months_until(last_month_end, HISTORY_MONTHS)
    vendors = list(vendors)
    facts = _load_facts(organisation, vendors, months) if vendors else {}
    sequences = {}
    for vendor in vendors:
        states: list[int | None] = []
        for month in months:
            exited = bool(states) and states[-1] == VendorState.EXIT
            states.append(
                VendorState.EXIT if exited else state_of_month(facts[vendor.pk].get(month, MonthFacts()), rule)
            )
        sequences[vendor.pk] = [None if s is None else int(s) for s in states]
    estimate = markov.estimate_transitions(
        [_until_exit(states) for states in sequences.values()],
        prior_matrix(rule),
        strength=float(rule.prior_strength),
        min_observations=rule.min_observations,
        absorbing=[VendorState.EXIT],
    )
    forecasts = []
    for vendor in vendors:
        states = sequences[vendor.pk]
        current = next((s for s in reversed(states) if s is not None), None)
        reach, expected = forecast_for(estimate, current)
        forecasts.append(
            VendorForecast(vendor=vendor, states=states, current=current, reach=reach, expected_months_to_exit=expected)
        )
    return StateModel(months=months, estimate=estimate, forecasts=forecasts, rule=rule)


def _until_exit(states: list[int | None]) -> list[int | None]:
    """The states up to the first exit (the months after an exit are not transitions of the relationship)."""
    if VendorState.EXIT in states:
        return states[: states.index(VendorState.EXIT) + 1]
    return states


SETTINGS_FIELDS = (
    "watch_below",
    "warning_below",
    "remediation_below",
    "warning_missed",
    "remediation_missed",
    "watch_breaches",
    "prior",
    "prior_strength",
    "min_observations",
)


@transaction.atomic
def vendor_state_settings_save(*, actor, organisation, **values) -> VendorStateSettings:
    """Change the organisation's vendor-state rule and prior (client administrators and supervisors)."""
    current = settings_for(organisation)
    permissions.require(permissions.may_manage(actor, current))
    before = {name: _plain(getattr(current, name)) for name in SETTINGS_FIELDS} if current.pk else None
    for name, value in values.items():
        if name not in SETTINGS_FIELDS:
            raise ApplicationError(_("Unknown field."))
        setattr(current, name, value)
    problems = []
    if not current.watch_below >= current.warning_below >= current.remediation_below:
        problems.append(_("The score thresholds must fall: watch ≥ warning ≥ remediation."))
    if current.remediation_missed < current.warning_missed:
        problems.append(_("Remediation needs at least as many missed commitments as warning."))
    try:
        prior = markov.check_stochastic(current.prior, name="prior matrix")
        if prior.shape != (len(VendorState), len(VendorState)):
            raise ValueError("shape")
    except (ValueError, TypeError):
        problems.append(_("The prior must have five rows of five probabilities, each row summing to 1."))
    if problems:
        raise ApplicationError(" ".join(str(p) for p in problems))
    current.updated_at = clock.now()
    current.save()
    audit_record(
        actor=actor,
        action="risks.vendorstatesettings.updated",
        obj=current,
        organisation=organisation,
        before=before,
        after={name: _plain(getattr(current, name)) for name in SETTINGS_FIELDS},
    )
    return current


def _plain(value):
    return str(value) if isinstance(value, Decimal) else value
