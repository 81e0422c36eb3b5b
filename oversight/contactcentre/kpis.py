"""The contact-centre indicators, registered in `oversight.core.kpis` (imported from the app's `ready()`), so BPO
contracts get scorecards, settlement and service reports like the IT contracts.

One loader (``contactcentre``) sums the current interval facts of the vendor's queues (of the contract version's
contract when the scope names one) whose start falls in the period, per queue, with the service-level term in
force on the period's first day (`terms.term_for`); the formulas are :mod:`oversight.contactcentre.indicators`.
The records behind a figure are the queues, listed through the gate.
"""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext_lazy as _

from oversight.ccmath import metrics
from oversight.contactcentre import indicators
from oversight.contactcentre.models import IntervalFact, Queue
from oversight.contactcentre.selectors import COMPONENTS, queue_list
from oversight.contactcentre.terms import term_for
from oversight.core.kpis import REPORT, SCHEME, Dimension, Loader, RecordKind, Scope, Source, Unit, registry
from oversight.core.zones import zone_of
from oversight.kpi.facts import Period

OWNER = "contactcentre"
LOADER = "contactcentre"
RECORD_QUEUE = "contact_queue"
FIELD_NAMES = {
    "answered_within_threshold": "answered_within",
    "abandoned_within_threshold": "abandoned_within",
}


def load_contact_facts(scope: Scope, period: Period) -> indicators.ContactFacts:
    """Per queue of the vendor: summed components of the current intervals starting in the period, and the term
    in force on the period's first local day."""
    queues = Queue.objects.filter(organisation_id=scope.organisation_id, vendor_id=scope.vendor_id).select_related(
        "contract", "organisation"
    )
    # A contract version narrows to its contract's queues; a scope of services and sites only (as the facts
    # figures are asked for) names no contract and leaves the vendor's queues.
    contract_id = getattr(scope.version, "contract_id", None)
    if contract_id is not None:
        queues = queues.filter(contract_id=contract_id)
    queues = list(queues.order_by("pk"))
    if not queues:
        return indicators.ContactFacts()
    sums: dict[int, dict] = defaultdict(lambda: dict.fromkeys((*COMPONENTS, "staffed", "scheduled", "paid"), 0))
    minutes = {q.pk: q.interval_minutes for q in queues}
    rows = IntervalFact.objects.filter(
        queue__in=queues, is_current=True, interval_start__gte=period.start, interval_start__lt=period.end
    ).values_list("queue_id", *COMPONENTS, "staffed_agents", "scheduled_agents", "paid_hours")
    for queue_id, *values in rows.iterator(chunk_size=5000):
        target = sums[queue_id]
        for name, value in zip((*COMPONENTS, "staffed", "scheduled", "paid"), values, strict=True):
            if name in ("staffed", "scheduled"):
                value = value * minutes[queue_id] * 60
            target[name] += value
    first_day = period.start.astimezone(zone_of(queues[0].organisation)).date()
    out = []
    for queue in queues:
        s = sums.get(queue.pk)
        if s is None:
            continue
        term = term_for(queue, first_day)
        totals = metrics.Totals(
            **{FIELD_NAMES.get(name, name): s[name] for name in COMPONENTS},
            staffed_seconds=s["staffed"],
            scheduled_seconds=s["scheduled"],
            paid_hours=s["paid"],
        )
        out.append(indicators.QueueFacts(queue.pk, totals, term.pk if term else None, term.variant if term else None))
    return indicators.ContactFacts(tuple(out))


def _queues(*, user, period, ids):
    return queue_list(user=user).filter(pk__in=ids)


def register() -> None:
    """Register the loader, the record kind and the sources (once, from the app's `ready()`)."""
    if registry.find(indicators.SERVICE_LEVEL) is not None:
        return
    registry.register_loader(Loader(LOADER, load_contact_facts, indicators.ContactFacts))
    registry.register_record_kind(
        RecordKind(
            RECORD_QUEUE,
            _("Contact queues"),
            _queues,
            ("code", "pk"),
            lambda r: {"id": r.pk, "code": r.code, "name": r.name, "channel": r.channel},
            "contactcentre/partials/records/queue.html",
        )
    )
    for source in SOURCES:
        registry.register(source)


def _source(code, unit, higher, label, short, definition, compute, dimension=Dimension.PROCESSES) -> Source:
    return Source(
        code=code,
        dimension=dimension,
        unit=unit,
        higher_is_better=higher,
        label=label,
        short_label=short,
        definition=definition,
        record_kind=RECORD_QUEUE,
        loader=LOADER,
        compute=lambda f, w: compute(f),
        uses=frozenset({SCHEME, REPORT}),
        owner=OWNER,
    )


SOURCES = (
    _source(
        indicators.VOLUME,
        Unit.COUNT,
        True,
        _("Contacts offered"),
        _("Contacts offered"),
        _("Contacts offered to the vendor's queues in the period (current revisions of the interval data)."),
        indicators.volume,
    ),
    _source(
        indicators.SERVICE_LEVEL,
        Unit.PERCENT,
        True,
        _("Contact-centre service level (%)"),
        _("Service level"),
        _(
            "Each queue's service level under the contract's service-level term in force on the period's first "
            "day (one of five definitions, e.g. answered within T ÷ (answered + abandoned)); several queues sum "
            "their numerators and denominators."
        ),
        indicators.service_level,
    ),
    _source(
        indicators.ASA,
        Unit.SECONDS,
        False,
        _("Average speed of answer (seconds)"),
        _("ASA"),
        _("Total wait of the answered contacts ÷ answered contacts."),
        indicators.asa,
    ),
    _source(
        indicators.ABANDONMENT,
        Unit.PERCENT,
        False,
        _("Abandonment rate (%)"),
        _("Abandonment"),
        _("Abandoned contacts ÷ offered contacts."),
        indicators.abandonment,
    ),
    _source(
        indicators.AHT,
        Unit.SECONDS,
        False,
        _("Average handle time (seconds)"),
        _("AHT"),
        _("(Talk + hold + after-call work) ÷ answered contacts."),
        indicators.aht,
        Dimension.PEOPLE,
    ),
    _source(
        indicators.OCCUPANCY,
        Unit.PERCENT,
        True,
        _("Agent occupancy (%)"),
        _("Occupancy"),
        _("Handle time ÷ staffed (productive) agent time."),
        indicators.occupancy,
        Dimension.PEOPLE,
    ),
    _source(
        indicators.SHRINKAGE,
        Unit.PERCENT,
        False,
        _("Shrinkage (%)"),
        _("Shrinkage"),
        _("1 − productive agent hours ÷ paid hours."),
        indicators.shrinkage,
        Dimension.PEOPLE,
    ),
)
