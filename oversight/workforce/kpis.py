"""The workforce indicators, registered in `oversight.core.kpis` (from `WorkforceConfig.ready()`), so BPO
scorecards can use them: service level met with breach attribution applied, staffed to required, and the
vendor's forecast accuracy (1 − WAPE). One loader (``workforce``) reads the vendor's queues' interval facts of
the window, the stored attributions and the vendor's forecasts; the formulas are the pure functions of
:mod:`oversight.workforce.indicators` (docs/formulas.md §"Workforce"). The records are the interval facts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from oversight.contactcentre.models import IntervalFact, Queue
from oversight.core.kpis import SCHEME, Dimension, Loader, RecordKind, Scope, Source, Unit, registry
from oversight.core.zones import zone_of
from oversight.kpi.facts import Period
from oversight.tenancy.visibility import restrict
from oversight.workforce import attribution, data, indicators, staffing, terms
from oversight.workforce.models import IntervalAttribution

OWNER = "workforce"
LOADER = "workforce"
RECORD_INTERVAL = "workforce_interval"


def _days(queue: Queue, period: Period) -> list[dt.date]:
    zone = zone_of(queue.organisation)
    first = period.start.astimezone(zone).date()
    last = (period.end - dt.timedelta(microseconds=1)).astimezone(zone).date()
    return data.day_range(first, last)


def load_workforce_facts(scope: Scope, period: Period) -> list[indicators.IntervalFacts]:
    """One fact per current interval fact of the vendor's queues in the period."""
    out = []
    queues = Queue.objects.filter(organisation_id=scope.organisation_id, vendor_id=scope.vendor_id).select_related(
        "organisation", "contract"
    )
    for queue in queues:
        days = _days(queue, period)
        plan = staffing.plan(queue, days, with_erlang_a=False)
        excused = set(
            IntervalAttribution.objects.filter(
                queue=queue, excused=True, interval_start__gte=period.start, interval_start__lt=period.end
            ).values_list("interval_start", flat=True)
        )
        forecasts = attribution.vendor_forecasts(queue, days)
        n = data.per_day(queue)
        for i, fact in plan.actual.facts.items():
            start = plan.starts[i]
            if not period.start <= start < period.end:
                continue
            term = terms.term_for(queue, days[i // n])
            met = attribution.met(term, fact)
            out.append(
                indicators.IntervalFacts(
                    id=fact.pk,
                    met=met,
                    excused=start in excused,
                    staffed=Decimal(fact.staffed_agents),
                    required=int(plan.required_c[i]) if term is not None else 0,
                    offered=fact.offered,
                    forecast=forecasts.get(i),
                )
            )
    return out


def _intervals(*, user, period, ids):
    return restrict(IntervalFact.objects.filter(pk__in=ids), user).select_related("queue")


def register() -> None:
    """Register the loader, the record kind and the three sources (once)."""
    if registry.find(indicators.SL_ATTRIBUTED) is not None:
        return
    registry.register_loader(Loader(LOADER, load_workforce_facts, list))
    registry.register_record_kind(
        RecordKind(
            RECORD_INTERVAL,
            _("Intervals"),
            _intervals,
            ("interval_start", "pk"),
            lambda r: {"id": r.pk, "queue": r.queue.code, "interval_start": r.interval_start.isoformat()},
            "workforce/records/interval.html",
        )
    )
    for source in SOURCES:
        registry.register(source)


SOURCES = (
    Source(
        code=indicators.SL_ATTRIBUTED,
        dimension=Dimension.PROCESSES,
        unit=Unit.PERCENT,
        higher_is_better=True,
        label=_("Intervals meeting the service level, with breach attribution (%)"),
        short_label=_("Service level met (attributed)"),
        definition=_(
            "Of the intervals with a service level under the contract's term, the share that met the target or "
            "that missed it but are not counted against the vendor (volume above the vendor's forecast beyond the "
            "contract's tolerance while staffed to that forecast)."
        ),
        record_kind=RECORD_INTERVAL,
        loader=LOADER,
        compute=lambda f, w: indicators.sl_met_attributed(f),
        uses=frozenset({SCHEME}),
        owner=OWNER,
    ),
    Source(
        code=indicators.STAFFED_RATIO,
        dimension=Dimension.PEOPLE,
        unit=Unit.PERCENT,
        higher_is_better=True,
        label=_("Staffed to required agents (%)"),
        short_label=_("Staffed to required"),
        definition=_(
            "Staffed agents summed over the intervals that needed agents, divided by the agents Erlang C requires "
            "for the actual volume and handle time under the contract's term (rounded up per interval), × 100."
        ),
        record_kind=RECORD_INTERVAL,
        loader=LOADER,
        compute=lambda f, w: indicators.staffed_ratio(f),
        uses=frozenset({SCHEME}),
        owner=OWNER,
    ),
    Source(
        code=indicators.VENDOR_ACCURACY,
        dimension=Dimension.PROCESSES,
        unit=Unit.PERCENT,
        higher_is_better=True,
        label=_("Vendor's forecast accuracy, 1 − WAPE (%)"),
        short_label=_("Vendor forecast accuracy"),
        definition=_(
            "One minus the weighted absolute percentage error of the vendor's forecast (the latest one published "
            "before each day began) over the intervals it covers: 1 − Σ|actual − forecast| ÷ Σ actual, × 100."
        ),
        record_kind=RECORD_INTERVAL,
        loader=LOADER,
        compute=lambda f, w: indicators.vendor_accuracy(f),
        uses=frozenset({SCHEME}),
        owner=OWNER,
    ),
)
