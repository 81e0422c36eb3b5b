"""Writes of the service facts: refresh what one work order touches, or rebuild an organisation's facts.

Both paths share every step, so a refreshed table and a rebuilt one hold the same rows:

1. a work order's :class:`~oversight.facts.models.WorkOrderFact` is derived from the evaluation's own reading
   of it (``scorecards.facts_loader.build_work_orders``: the same clocks, the same timeline events, the same
   problems left out), with each instant placed on the organisation's local day;
2. a :class:`~oversight.facts.models.DailyFact` row is always recomputed whole from the work-order facts, the
   ratings and the complaints of its day and key (never incremented: a handler may run twice).

A refresh recomputes the (day, key) rows the work order contributed to before and contributes to now (its
previous work-order fact says where it was counted), under row locks on the work order and on the vendors
concerned, so two refreshes of the same vendor never interleave their read-and-replace.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from oversight.catalog.models import Service
from oversight.core import clock
from oversight.core.zones import zone_of
from oversight.facts.choices import METRICS, Outcome
from oversight.facts.models import COUNTERS, DailyFact, VendorDailyFact, WorkOrderFact
from oversight.feedback.models import Complaint, Rating
from oversight.scorecards.facts_loader import build_work_orders
from oversight.scorecards.services.common import local_midnight
from oversight.tenancy.models import Organisation, Vendor
from oversight.tickets.choices import ClockState, Status
from oversight.tickets.models import SLAClock, WorkOrder

# The first-time-fix window the reports and the dashboard use (``indicators.compute_all``'s default).
REOPEN_WINDOW = dt.timedelta(days=7)
CHUNK = 20_000
_EARLIEST = dt.datetime.min.replace(tzinfo=dt.UTC)
_KEY_FIELDS = ("vendor_id", "service_id", "site_id", "priority", "category_id")
_EXTRA_FIELDS = ("organisation_id", "vendor_id", "service_id", "site_id", "priority")
_COUNTERS = COUNTERS

Key = tuple  # (vendor_id, service_id, site_id, priority, category_id)


# --------------------------------------------------------------------------------------------------
# one work order
# --------------------------------------------------------------------------------------------------


def _outcome(clock_row: dict | None, target) -> tuple[str, dt.datetime | None]:
    """The stored outcome of one target and its deadline ("" when it counts in no period)."""
    if not target.applicable or target.due_at is None:
        return "", None
    if target.met is True:
        return Outcome.MET, target.due_at
    if target.met is False:
        return Outcome.MISSED, target.due_at
    if clock_row is not None and clock_row["state"] == ClockState.RUNNING:
        return Outcome.RUNNING, target.due_at
    return Outcome.PENDING, target.due_at


def _work_order_facts(selected: QuerySet[WorkOrder], zone) -> Iterable[WorkOrderFact]:
    """The work-order facts of ``selected`` (work orders with inconsistent records are left out, as evaluated)."""

    def day(instant: dt.datetime | None) -> dt.date | None:
        return None if instant is None else instant.astimezone(zone).date()

    # Judged at the earliest instant, a running target stays undecided: the reader decides it (choices.Outcome).
    for built in build_work_orders(selected, evaluated_at=_EARLIEST, extra_fields=_EXTRA_FIELDS):
        facts, row = built.facts, built.row
        if facts is None:
            continue
        fields = {}
        for metric in METRICS:
            outcome, due = _outcome(built.clocks.get(metric), getattr(facts, metric))
            fields[f"{metric}_outcome"], fields[f"{metric}_due_at"], fields[f"{metric}_due_on"] = outcome, due, day(due)
        first = facts.first_resolved_at
        reopened_early = first is not None and any(at <= first + REOPEN_WINDOW for at in facts.reopened_at)
        seconds = facts.resolution_seconds
        yield WorkOrderFact(
            work_order_id=row["pk"],
            organisation_id=row["organisation_id"],
            vendor_id=row["vendor_id"],
            service_id=row["service_id"],
            site_id=row["site_id"],
            priority=row["priority"],
            category_id=row["service__category_id"],
            received_at=facts.received_at,
            received_on=day(facts.received_at),
            resolved_at=facts.resolved_at,
            resolved_on=day(facts.resolved_at),
            resolution_ms=None if seconds is None else int(seconds.scaleb(3)),
            calendar_time=built.calendar_time and facts.resolved_at is not None,
            first_resolved_on=day(first),
            first_time_fixed=first is not None and not (facts.reassigned_count or facts.escalated or reopened_early),
            reopened=first is not None and bool(facts.reopened_at),
            **fields,
        )


def _key(fact: WorkOrderFact) -> Key:
    return (fact.vendor_id, fact.service_id, fact.site_id, fact.priority, fact.category_id)


def _days(fact: WorkOrderFact) -> set[dt.date]:
    """Every day a work-order fact is counted on."""
    days = {fact.received_on, fact.resolved_on, fact.first_resolved_on}
    days |= {getattr(fact, f"{m}_due_on") for m in METRICS if getattr(fact, f"{m}_outcome")}
    return {d for d in days if d is not None}


# --------------------------------------------------------------------------------------------------
# daily rows from the work-order facts, ratings and complaints
# --------------------------------------------------------------------------------------------------


def _key_q(key: Key | None, prefix: str = "") -> Q:
    """A filter on one key (none: every key); ratings and complaints take all but the vendor from their work order."""
    if key is None:
        return Q()
    vendor_id, service_id, site_id, priority, category_id = key
    category = f"{prefix}service__category_id" if prefix else "category_id"
    return Q(
        vendor_id=vendor_id,
        **{f"{prefix}service_id": service_id, f"{prefix}site_id": site_id, f"{prefix}priority": priority},
        **{category: category_id},
    )


def _aggregate(
    organisation: Organisation,
    *,
    key: Key | None,
    days: set[dt.date] | None,
    since: dt.date | None,
    service_id: int | None = None,
):
    """The daily rows ``{(day, *key): {counter: value}}`` of one key (or all) from work-order facts and feedback.

    The rows are limited to ``days`` when given, else to the days from ``since`` on (else to every day), and to
    one service's when ``service_id`` is given.
    """
    rows: dict[tuple, dict[str, int]] = defaultdict(lambda: dict.fromkeys(_COUNTERS, 0))

    def on(field: str) -> Q:
        if days is not None:
            return Q(**{f"{field}__in": sorted(days)})
        if since is not None:
            return Q(**{f"{field}__gte": since})
        return Q(**{f"{field}__isnull": False})

    facts = WorkOrderFact.objects.filter(organisation=organisation).filter(_key_q(key)).order_by()
    if service_id is not None:
        facts = facts.filter(service_id=service_id)
    for row in facts.filter(on("received_on")).values(*_KEY_FIELDS, "received_on").annotate(n=Count("pk")):
        rows[(row["received_on"], *(row[f] for f in _KEY_FIELDS))]["received"] += row["n"]
    for metric in METRICS:
        due_on, outcome = f"{metric}_due_on", f"{metric}_outcome"
        grouped = facts.filter(on(due_on)).exclude(**{outcome: ""}).values(*_KEY_FIELDS, due_on, outcome)
        for row in grouped.annotate(n=Count("pk")):
            rows[(row[due_on], *(row[f] for f in _KEY_FIELDS))][f"{metric}_{row[outcome]}"] += row["n"]
    resolved = facts.filter(on("resolved_on")).values(*_KEY_FIELDS, "resolved_on")
    for row in resolved.annotate(
        n=Count("pk"), ms=Sum("resolution_ms"), calendar=Count("pk", filter=Q(calendar_time=True))
    ):
        counters = rows[(row["resolved_on"], *(row[f] for f in _KEY_FIELDS))]
        counters["resolved"] += row["n"]
        counters["resolution_ms"] += int(row["ms"] or 0)
        counters["resolved_calendar"] += row["calendar"]
    first = facts.filter(on("first_resolved_on")).values(*_KEY_FIELDS, "first_resolved_on")
    for row in first.annotate(
        n=Count("pk"),
        fixed=Count("pk", filter=Q(first_time_fixed=True)),
        reopened=Count("pk", filter=Q(reopened=True)),
    ):
        counters = rows[(row["first_resolved_on"], *(row[f] for f in _KEY_FIELDS))]
        counters["first_resolved"] += row["n"]
        counters["first_time_fixed"] += row["fixed"]
        counters["reopened"] += row["reopened"]
    _add_feedback(organisation, rows, key=key, days=days, since=since, service_id=service_id)
    return rows


def _add_feedback(
    organisation,
    rows: dict,
    *,
    key: Key | None,
    days: set[dt.date] | None,
    since: dt.date | None,
    service_id: int | None = None,
):
    """Add the ratings and complaints of the days to ``rows`` (their key: own vendor, their work order's rest)."""
    zone = zone_of(organisation)
    dims = ("work_order__service_id", "work_order__site_id", "work_order__priority", "work_order__service__category_id")
    first = min(days) if days is not None else since
    last = max(days) if days is not None else None
    sources = (
        (Rating.objects.filter(organisation=organisation), "created_at", ("stars", "recommend")),
        (Complaint.objects.filter(organisation=organisation), "opened_at", ()),
    )
    for qs, field, extra in sources:
        qs = qs.filter(_key_q(key, "work_order__"))
        if service_id is not None:
            qs = qs.filter(work_order__service_id=service_id)
        if first is not None:
            qs = qs.filter(**{f"{field}__gte": local_midnight(first, zone)})
        if last is not None:
            qs = qs.filter(**{f"{field}__lt": local_midnight(last + dt.timedelta(days=1), zone)})
        for row in qs.values("vendor_id", *dims, field, *extra).order_by():
            day = row[field].astimezone(zone).date()
            if days is not None and day not in days:
                continue
            counters = rows[(day, row["vendor_id"], *(row[d] for d in dims))]
            if field == "opened_at":
                counters["complaints"] += 1
                continue
            counters["ratings"] += 1
            counters["rating_stars"] += row["stars"]
            counters["ratings_satisfied"] += row["stars"] >= 4
            if row["recommend"] is not None:
                counters["ratings_answered"] += 1
                counters["promoters"] += row["recommend"] >= 9
                counters["detractors"] += row["recommend"] <= 6


def _daily_objects(organisation, rows: dict) -> list[DailyFact]:
    """Row objects in a fixed order (day, then key; no site and no category first), empty rows left out."""

    def order(item):
        (day, vendor, service, site, priority, category), _ = item
        return (day, vendor, service, site is not None, site or 0, priority, category is not None, category or 0)

    out = []
    for (day, vendor, service, site, priority, category), counters in sorted(rows.items(), key=order):
        if not any(counters.values()):
            continue
        out.append(
            DailyFact(
                organisation=organisation,
                day=day,
                vendor_id=vendor,
                service_id=service,
                site_id=site,
                priority=priority,
                category_id=category,
                **counters,
            )
        )
    return out


def _roll_up(organisation, *, vendor_days: dict[int, set[dt.date]] | None, since: dt.date | None) -> int:
    """Replace the vendor totals of the given vendors' days (else of every day from ``since``, else all)."""
    totals = VendorDailyFact.objects.filter(organisation=organisation)
    daily = DailyFact.objects.filter(organisation=organisation)
    if vendor_days is not None:
        where = Q(pk__in=[])
        for vendor_id, days in vendor_days.items():
            where |= Q(vendor_id=vendor_id, day__in=sorted(days))
        totals, daily = totals.filter(where), daily.filter(where)
    elif since is not None:
        totals, daily = totals.filter(day__gte=since), daily.filter(day__gte=since)
    totals.delete()
    rows = daily.values("vendor_id", "day").annotate(**{f"sum_{name}": Sum(name) for name in COUNTERS})
    objects = [
        VendorDailyFact(
            organisation=organisation,
            vendor_id=row["vendor_id"],
            day=row["day"],
            **{name: row[f"sum_{name}"] for name in COUNTERS},
        )
        for row in rows.order_by("day", "vendor_id")
    ]
    VendorDailyFact.objects.bulk_create(objects, batch_size=2000)
    return len(objects)


# --------------------------------------------------------------------------------------------------
# the services
# --------------------------------------------------------------------------------------------------


def _lock_vendors(vendor_ids: Iterable[int]) -> None:
    """Serialise the read-and-replace of daily rows per vendor (a row lock on each, in id order).

    ``FOR NO KEY UPDATE``, not ``FOR UPDATE``: a work order written meanwhile checks its foreign key to the
    vendor with ``FOR KEY SHARE``, which the weaker lock lets through, so a rebuild never stalls the desk.
    """
    vendors = Vendor.objects.select_for_update(no_key=True).filter(pk__in=sorted(set(vendor_ids))).order_by("pk")
    list(vendors.values_list("pk"))


@transaction.atomic
def facts_refresh_work_order(*, work_order_id: int) -> int:
    """Recompute the facts one work order touches (its own, its rating's and its complaints'); returns the number
    of (day, key) rows recomputed (0: nothing known of it).

    Idempotent: it reads the work order as it is now and replaces whole rows, so running it twice changes nothing.
    """
    work_order = (
        WorkOrder.objects.select_for_update(of=("self",))
        .select_related("organisation", "service")
        .filter(pk=work_order_id)
        .first()
    )
    old = WorkOrderFact.objects.filter(pk=work_order_id).first()
    if work_order is None:
        organisation = old.organisation if old is not None else None
    else:
        organisation = work_order.organisation
    if organisation is None:
        return 0
    zone = zone_of(organisation)
    new = None
    if work_order is not None and work_order.status != Status.CANCELLED:
        new = next(iter(_work_order_facts(WorkOrder.objects.filter(pk=work_order_id), zone)), None)
    feedback = []
    if work_order is not None:
        feedback = [
            ("created_at", r) for r in Rating.objects.filter(work_order=work_order).values("vendor_id", "created_at")
        ]
        feedback += [
            ("opened_at", c) for c in Complaint.objects.filter(work_order=work_order).values("vendor_id", "opened_at")
        ]
    touched: dict[Key, set[dt.date]] = defaultdict(set)
    dimension_sets = []
    for fact in (old, new):
        if fact is not None:
            touched[_key(fact)] |= _days(fact)
            dimension_sets.append(_key(fact)[1:])
    if work_order is not None:
        dimension_sets.append(
            (work_order.service_id, work_order.site_id, work_order.priority, work_order.service.category_id)
        )
    for field, row in feedback:
        for dims in dimension_sets:
            touched[(row["vendor_id"], *dims)].add(row[field].astimezone(zone).date())
    _lock_vendors(key[0] for key in touched)
    WorkOrderFact.objects.filter(pk=work_order_id).delete()
    if new is not None:
        new.save(force_insert=True)
    for key, days in touched.items():
        DailyFact.objects.filter(organisation=organisation, day__in=sorted(days)).filter(_key_q(key)).delete()
        DailyFact.objects.bulk_create(
            _daily_objects(organisation, _aggregate(organisation, key=key, days=days, since=None))
        )
    vendor_days: dict[int, set[dt.date]] = defaultdict(set)
    for key, days in touched.items():
        vendor_days[key[0]] |= days
    _roll_up(organisation, vendor_days=vendor_days, since=None)
    return sum(len(days) for days in touched.values())


@transaction.atomic
def facts_refresh_service(*, service_id: int) -> int:
    """Refile one service's facts under its current reporting category; returns the daily rows written.

    Every figure counted for the service's work orders (and their ratings and complaints) is keyed by the
    service's category, so a reclassified service's rows are recomputed whole. Idempotent.
    """
    service = Service.objects.select_related("organisation").filter(pk=service_id).first()
    if service is None:
        return 0
    organisation = service.organisation
    old_rows = DailyFact.objects.filter(organisation=organisation, service_id=service_id)
    vendor_days: dict[int, set[dt.date]] = defaultdict(set)
    for vendor_id, day in old_rows.values_list("vendor_id", "day"):
        vendor_days[vendor_id].add(day)
    _lock_vendors(
        set(vendor_days) | set(WorkOrderFact.objects.filter(service_id=service_id).values_list("vendor_id", flat=True))
    )
    WorkOrderFact.objects.filter(service_id=service_id).exclude(category_id=service.category_id).update(
        category_id=service.category_id
    )
    old_rows.delete()
    counted = _aggregate(organisation, key=None, days=None, since=None, service_id=service_id)
    rows = _daily_objects(organisation, counted)
    DailyFact.objects.bulk_create(rows, batch_size=2000)
    for row in rows:
        vendor_days[row.vendor_id].add(row.day)
    _roll_up(organisation, vendor_days=vendor_days, since=None)
    return len(rows)


def _touching(base: QuerySet[WorkOrder], since: dt.datetime) -> QuerySet[WorkOrder]:
    """Work orders that can count on a day from ``since`` on: received since, open, resolved since, or due since."""
    due = SLAClock.objects.filter(work_order=OuterRef("pk"), due_at__gte=since)
    return base.filter(Q(created_at__gte=since) | Q(resolved_at__isnull=True) | Q(resolved_at__gte=since) | Exists(due))


@transaction.atomic
def facts_rebuild(*, organisation: Organisation, since: dt.date | None = None) -> dict[str, int]:
    """Recompute an organisation's facts from its work orders, ratings and complaints (from a local day on).

    Without ``since`` every row is rebuilt. With it, the daily rows from that day on are rebuilt, and the
    work-order facts of the work orders that can count on those days (received since, open, resolved since,
    or with a deadline since); facts of work orders cancelled since are dropped. The rows equal those the
    event handlers maintain. Returns the numbers of work-order facts and daily rows written.
    """
    zone = zone_of(organisation)
    _lock_vendors(Vendor.objects.filter(organisation=organisation).values_list("pk", flat=True))
    base = WorkOrder.objects.filter(organisation=organisation).exclude(status=Status.CANCELLED)
    facts = WorkOrderFact.objects.filter(organisation=organisation)
    if since is None:
        facts.delete()
        DailyFact.objects.filter(organisation=organisation).delete()
    else:
        base = _touching(base, local_midnight(since, zone))
        facts.filter(Q(work_order__in=base.values("pk")) | Q(work_order__status=Status.CANCELLED)).delete()
        DailyFact.objects.filter(organisation=organisation, day__gte=since).delete()
    ids = list(base.order_by("pk").values_list("pk", flat=True))
    written = 0
    for offset in range(0, len(ids), CHUNK):
        chunk = ids[offset : offset + CHUNK]
        selected = base.filter(pk__gte=chunk[0], pk__lte=chunk[-1])
        written += len(WorkOrderFact.objects.bulk_create(_work_order_facts(selected, zone), batch_size=2000))
    rows = _daily_objects(organisation, _aggregate(organisation, key=None, days=None, since=since))
    DailyFact.objects.bulk_create(rows, batch_size=2000)
    vendor_rows = _roll_up(organisation, vendor_days=None, since=since)
    return {"work_order_facts": written, "daily_rows": len(rows), "vendor_daily_rows": vendor_rows}


def facts_rebuild_recent() -> dict[str, int]:
    """The nightly safety net: rebuild every organisation's facts from its local yesterday on.

    The events keep the facts current; this catches what no event announced (a row edited in the database, a
    handler that failed), so a figure is never wrong for more than a day. Returns daily rows written per
    organisation code.
    """
    written = {}
    for organisation in Organisation.objects.order_by("code"):
        yesterday = clock.now().astimezone(zone_of(organisation)).date() - dt.timedelta(days=1)
        written[organisation.code] = facts_rebuild(organisation=organisation, since=yesterday)["daily_rows"]
    return written


@transaction.atomic
def facts_add_missing(*, organisation: Organisation) -> dict[str, int]:
    """Add the facts of work orders that have none yet, then recompute every daily row of the organisation.

    For bulk loads that announce nothing (the demo generator inserts work orders in batches): the work orders
    already counted are left as they are, so the result equals a rebuild only when those did not change
    meanwhile. Returns the numbers of work-order facts added and of daily rows written.
    """
    zone = zone_of(organisation)
    _lock_vendors(Vendor.objects.filter(organisation=organisation).values_list("pk", flat=True))
    counted = WorkOrderFact.objects.filter(work_order=OuterRef("pk"))
    base = WorkOrder.objects.filter(organisation=organisation).exclude(status=Status.CANCELLED).exclude(Exists(counted))
    ids = list(base.order_by("pk").values_list("pk", flat=True))
    written = 0
    for offset in range(0, len(ids), CHUNK):
        chunk = ids[offset : offset + CHUNK]
        selected = base.filter(pk__gte=chunk[0], pk__lte=chunk[-1])
        written += len(WorkOrderFact.objects.bulk_create(_work_order_facts(selected, zone), batch_size=2000))
    DailyFact.objects.filter(organisation=organisation).delete()
    rows = _daily_objects(organisation, _aggregate(organisation, key=None, days=None, since=None))
    DailyFact.objects.bulk_create(rows, batch_size=2000)
    vendor_rows = _roll_up(organisation, vendor_days=None, since=None)
    return {"work_order_facts": written, "daily_rows": len(rows), "vendor_daily_rows": vendor_rows}
