"""ORM → facts: the plain records of `oversight.kpi.facts` for one vendor, scope and period.

A handful of `values()` queries whatever the number of work orders (no per-row query): the work
orders, their SLA clocks, their resolve/reopen/escalation events, the ratings and the complaints.

How each fact is read
---------------------
* ``received_at`` = ``WorkOrder.created_at`` (受理). Cancelled work orders are left out (every
  indicator excludes them).
* SLA targets from the stored clocks (``SLAClock``, rebuilt from the timeline after every change):
  ``met`` → met at ``stopped_at``; ``breached`` → missed; ``running`` with a deadline at or before the
  evaluation instant → missed (the sweep has not recorded it yet), later → undecided; ``paused`` and
  ``calendar_missing`` → undecided; ``not_applicable`` or no clock → the target does not apply.
* ``resolved_at`` = the work order's current resolution (resolved or closed now); ``first_resolved_at``
  and ``reopened_at`` from the timeline's ``resolve`` / ``reopen`` events; ``reassigned_count`` from the
  work order; ``escalated`` when its timeline has an escalation event.
* ``resolution_seconds`` (MTTR) = the resolution clock's elapsed **business** seconds as the SLA policy
  counts them (its calendar, pauses excluded). When no resolution clock measured it (no resolution
  target, or calendar data missing) the calendar time resolved − received is used and the work order is
  listed in the MTTR result's ``calendar_time`` group.
* ``ci`` = the asset tag, ``category`` = the service's category, ``requester_id`` = the requester.

Staff facts (people dimension, ``load_staff_facts``): the contracted posts per position of the vendor's
contract versions in force on the day (``contracts.selectors.contracted_staffing``, as the portfolio's staff
compliance) and the vendor's active staff members with their certificates, ordered by name then id.

Which work orders are loaded: those of the vendor (within the contract version's scope: its services,
and its sites with their sub-sites, when the version names any) received before the period end and
either received at most ``lookback_days`` before its start (repeat rate), still open, resolved since its
start, or with an SLA deadline inside it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet

from oversight.contracts.selectors import contracted_staffing
from oversight.feedback.models import Complaint, Rating
from oversight.kpi.facts import (
    NOT_APPLICABLE,
    ComplaintFacts,
    Period,
    RatingFacts,
    TargetOutcome,
    WorkOrderFacts,
)
from oversight.kpi.people import CertificateFacts, StaffFacts
from oversight.tenancy.models import Certificate, Site, StaffMember
from oversight.tickets.choices import Action, ClockState, EventKind, Status
from oversight.tickets.models import SLAClock, WorkOrder, WorkOrderEvent

RESOLVED_STATUSES = (Status.RESOLVED, Status.CLOSED)
_MILLI = Decimal("0.001")


@dataclass
class LoadedFacts:
    """Everything the indicators of one period are computed from, plus what settlement needs to count."""

    work_orders: list[WorkOrderFacts] = field(default_factory=list)
    ratings: list[RatingFacts] = field(default_factory=list)
    complaints: list[ComplaintFacts] = field(default_factory=list)
    # work order id -> its SLA policy version id (for commitments tied to policy versions)
    policy_versions: dict[int, int] = field(default_factory=dict)
    # rating / complaint id -> the policy version of its work order
    rating_policy_versions: dict[int, int] = field(default_factory=dict)
    complaint_policy_versions: dict[int, int] = field(default_factory=dict)
    # work orders whose MTTR duration is calendar time (no business-time measurement)
    calendar_time_ids: frozenset[int] = frozenset()
    # work orders received in the period (not cancelled), by type
    unit_counts: dict[str, int] = field(default_factory=dict)
    # work orders whose records are inconsistent: (id, number, message)
    problems: list[tuple[int, str, str]] = field(default_factory=list)


def _site_ids_with_descendants(site_ids: set[int]) -> set[int]:
    """The given sites and every site below them (sites are few: walk the parent links in memory)."""
    if not site_ids:
        return set()
    org_ids = set(Site.objects.filter(pk__in=site_ids).values_list("organisation_id", flat=True))
    children: dict[int, list[int]] = defaultdict(list)
    for pk, parent in Site.objects.filter(organisation_id__in=org_ids).values_list("pk", "parent_id"):
        if parent is not None:
            children[parent].append(pk)
    found, todo = set(), list(site_ids)
    while todo:
        current = todo.pop()
        if current in found:
            continue
        found.add(current)
        todo.extend(children.get(current, ()))
    return found


@dataclass(frozen=True)
class Scope:
    """A contract version's scope, read once: its services, and its sites with their sub-sites (empty: any)."""

    service_ids: tuple[int, ...] = ()
    site_ids: tuple[int, ...] = ()

    @classmethod
    def of(cls, version) -> Scope:
        """``None`` (a vendor-wide service report) is no restriction: every work order of the vendor."""
        if version is None:
            return cls()
        service_ids = tuple(s.pk for s in version.services.all())
        site_ids = tuple(sorted(_site_ids_with_descendants({s.pk for s in version.sites.all()})))
        return cls(service_ids=service_ids, site_ids=site_ids)

    def q(self, prefix: str = "") -> Q:
        """The scope as a filter on work orders (``prefix`` e.g. "work_order__")."""
        q = Q()
        if self.service_ids:
            q &= Q(**{f"{prefix}service_id__in": list(self.service_ids)})
        if self.site_ids:
            q &= Q(**{f"{prefix}site_id__in": list(self.site_ids)})
        return q


def scope_q(version, prefix: str = "") -> Q:
    """The contract version's scope as a filter on work orders (``prefix`` e.g. "work_order__").

    ``None`` (a vendor-wide service report) is no restriction: every work order of the vendor.
    """
    return Scope.of(version).q(prefix)


def work_order_queryset(
    *, organisation_id: int, vendor_id: int, version, scope: Scope | None = None
) -> QuerySet[WorkOrder]:
    """The vendor's work orders within the version's scope (cancelled ones left out); ``scope`` if already read."""
    return (
        WorkOrder.objects.filter(organisation_id=organisation_id, vendor_id=vendor_id)
        .filter((scope or Scope.of(version)).q())
        .exclude(status=Status.CANCELLED)
    )


def relevant_work_order_ids(
    *,
    organisation_id: int,
    vendor_id: int,
    version,
    start: dt.datetime,
    end: dt.datetime,
    lookback_days: int,
    scope: Scope | None = None,
) -> list[int]:
    """The ids of the work orders an evaluation of ``[start, end)`` needs (module docstring, last paragraph), sorted.

    Received before the end and either received at most ``lookback_days`` before the start, still open,
    resolved since the start, or with an SLA deadline in the period. Two queries whose union is the rule,
    each of which PostgreSQL answers from an index: the vendor's work orders by the cheap tests, and the
    clocks due in the period (index ``(state, due_at)``; every state is named so the planner can use it)
    joined to their work order's filters. Never one query with ``OR EXISTS``/``OR pk IN``: over a million
    work orders PostgreSQL probed the clocks once per work order of the vendor (1.9 s at 51,000) or
    re-scanned a materialised subquery per work order at its default ``work_mem``.
    """
    scope = scope or Scope.of(version)
    base = work_order_queryset(
        organisation_id=organisation_id, vendor_id=vendor_id, version=version, scope=scope
    ).filter(created_at__lt=end)
    ids = set(
        base.filter(
            Q(created_at__gte=start - dt.timedelta(days=lookback_days))
            | Q(resolved_at__isnull=True)
            | Q(resolved_at__gte=start)
        ).values_list("pk", flat=True)
    )
    due = (
        SLAClock.objects.filter(state__in=ClockState.values, due_at__gte=start, due_at__lt=end)
        .filter(
            work_order__organisation_id=organisation_id,
            work_order__vendor_id=vendor_id,
            work_order__created_at__lt=end,
        )
        .exclude(work_order__status=Status.CANCELLED)
        .filter(scope.q("work_order__"))
    )
    ids.update(due.values_list("work_order_id", flat=True))
    return sorted(ids)


# Ids per query when the loader reads work orders by id (``__in_ids``: one array on PostgreSQL): a bounded
# list keeps each query's plan an index lookup and its parameters well under SQLite's limit.
ID_CHUNK = 10000


def _chunks(ids: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for begin in range(0, len(ids), size):
        yield ids[begin : begin + size]


def _seconds(value: float) -> Decimal:
    """A float number of seconds from a clock row as an exact Decimal (millisecond precision, as stored)."""
    return Decimal(repr(value)).quantize(_MILLI)


def _target(row: dict | None, evaluated_at: dt.datetime) -> TargetOutcome:
    """One SLA target's outcome from its clock row (see the module docstring)."""
    if row is None or row["state"] == ClockState.NOT_APPLICABLE:
        return NOT_APPLICABLE
    state, due, stopped = row["state"], row["due_at"], row["stopped_at"]
    if state == ClockState.MET and due is not None and stopped is not None:
        return TargetOutcome(due_at=due, achieved_at=stopped, met=True)
    if state == ClockState.BREACHED:
        due = due or row["breached_at"]
        if due is not None:
            return TargetOutcome(due_at=due, achieved_at=stopped, met=False)
    if state == ClockState.RUNNING and due is not None and due <= evaluated_at:
        return TargetOutcome(due_at=due, met=False)
    return TargetOutcome(due_at=due, met=None)


WORK_ORDER_FIELDS = (
    "pk",
    "number",
    "kind",
    "status",
    "created_at",
    "resolved_at",
    "closed_at",
    "reassignment_count",
    "requester_id",
    "asset_tag",
    "service__category_id",
    "sla_policy_version_id",
)


@dataclass(frozen=True)
class BuiltWorkOrder:
    """One work order as the loader read it: its row, its clock rows by metric, and its facts (or the problem)."""

    row: dict
    clocks: dict[str, dict]
    facts: WorkOrderFacts | None
    calendar_time: bool
    problem: str = ""


def build_work_orders(
    selected: QuerySet[WorkOrder], *, evaluated_at: dt.datetime, extra_fields=(), ids: Sequence[int] | None = None
):
    """Yield a :class:`BuiltWorkOrder` per work order of ``selected`` (oldest first), from three queries.

    The one place that turns rows, clocks and timeline events into :class:`WorkOrderFacts` (module docstring):
    the evaluation loads through it, and so do the pre-aggregated service facts (``oversight.facts``), so both
    read a work order the same way. ``extra_fields`` are further ``values()`` fields kept in ``row``. With
    ``ids`` (already selected, e.g. by :func:`relevant_work_order_ids`), the work orders of ``selected`` among
    them are read by chunks of ``ID_CHUNK`` ids instead of by ``selected``'s own filters: three queries per chunk.
    """
    if ids is None:
        rows = list(selected.values(*WORK_ORDER_FIELDS, *extra_fields).order_by("created_at", "pk"))
        id_filters = [{"work_order__in": selected.values("pk")}] if rows else []
    else:
        chunks = list(_chunks(list(ids), ID_CHUNK))
        rows = []
        for chunk in chunks:
            rows.extend(selected.filter(pk__in_ids=chunk).values(*WORK_ORDER_FIELDS, *extra_fields))
        rows.sort(key=lambda row: (row["created_at"], row["pk"]))
        id_filters = [{"work_order_id__in_ids": chunk} for chunk in chunks]
    if not rows:
        return
    clocks: dict[int, dict[str, dict]] = defaultdict(dict)
    resolves: dict[int, list[dt.datetime]] = defaultdict(list)
    reopens: dict[int, list[dt.datetime]] = defaultdict(list)
    escalated: set[int] = set()
    for id_filter in id_filters:
        for row in SLAClock.objects.filter(**id_filter).values(
            "work_order_id", "metric", "state", "due_at", "stopped_at", "breached_at", "elapsed_seconds"
        ):
            clocks[row["work_order_id"]][row["metric"]] = row
        events = WorkOrderEvent.objects.filter(**id_filter).filter(
            Q(action__in=[Action.RESOLVE, Action.REOPEN]) | Q(kind=EventKind.ESCALATED)
        )
        for row in events.values("work_order_id", "action", "kind", "at").order_by("work_order_id", "seq"):
            if row["kind"] == EventKind.ESCALATED:
                escalated.add(row["work_order_id"])
            elif row["action"] == Action.RESOLVE:
                resolves[row["work_order_id"]].append(row["at"])
            elif row["action"] == Action.REOPEN:
                reopens[row["work_order_id"]].append(row["at"])

    for row in rows:
        pk = row["pk"]
        own_clocks = clocks.get(pk, {})
        resolved_at = row["resolved_at"] if row["status"] in RESOLVED_STATUSES else None
        reopened = tuple(sorted(reopens.get(pk, ())))
        first = min(resolves[pk]) if resolves.get(pk) else None
        if first is None and resolved_at is not None:
            first = resolved_at
        seconds = None
        calendar_time = False
        if resolved_at is not None:
            clock_row = own_clocks.get("resolution")
            if clock_row is not None and clock_row["state"] in (ClockState.MET, ClockState.BREACHED):
                seconds = _seconds(clock_row["elapsed_seconds"])
            else:
                seconds = Decimal(int((resolved_at - row["created_at"]).total_seconds()))
                calendar_time = True
        try:
            facts = WorkOrderFacts(
                id=pk,
                received_at=row["created_at"],
                response=_target(own_clocks.get("response"), evaluated_at),
                onsite=_target(own_clocks.get("onsite"), evaluated_at),
                resolution=_target(own_clocks.get("resolution"), evaluated_at),
                resolved_at=resolved_at,
                first_resolved_at=first if (reopened or resolved_at is not None) else None,
                closed_at=row["closed_at"],
                reopened_at=reopened,
                reassigned_count=row["reassignment_count"],
                escalated=pk in escalated,
                resolution_seconds=seconds,
                requester_id=row["requester_id"],
                ci=row["asset_tag"] or None,
                category=str(row["service__category_id"]) if row["service__category_id"] else None,
            )
        except ValueError as exc:
            yield BuiltWorkOrder(row, own_clocks, None, calendar_time, str(exc))
            continue
        yield BuiltWorkOrder(row, own_clocks, facts, calendar_time)


def load_facts(
    *,
    organisation_id: int,
    vendor_id: int,
    version,
    period: Period,
    evaluated_at: dt.datetime,
    lookback_days: int = 30,
) -> LoadedFacts:
    """Build the facts of one period from the database (see the module docstring)."""
    start, end = period.start, period.end
    scope = Scope.of(version)
    base = work_order_queryset(organisation_id=organisation_id, vendor_id=vendor_id, version=version, scope=scope)
    ids = relevant_work_order_ids(
        organisation_id=organisation_id,
        vendor_id=vendor_id,
        version=version,
        start=start,
        end=end,
        lookback_days=lookback_days,
        scope=scope,
    )
    out = LoadedFacts()
    calendar_time: set[int] = set()
    counts: dict[str, int] = defaultdict(int)
    for built in build_work_orders(base, evaluated_at=evaluated_at, ids=ids):
        row, pk = built.row, built.row["pk"]
        if built.calendar_time:
            calendar_time.add(pk)
        if built.facts is None:
            out.problems.append((pk, row["number"], built.problem))
            continue
        out.work_orders.append(built.facts)
        out.policy_versions[pk] = row["sla_policy_version_id"]
        if period.contains(row["created_at"]):
            counts[row["kind"]] += 1
    out.calendar_time_ids = frozenset(calendar_time)
    out.unit_counts = dict(sorted(counts.items()))

    work_order_scope = scope.q("work_order__")
    ratings = Rating.objects.filter(
        organisation_id=organisation_id, vendor_id=vendor_id, created_at__gte=start, created_at__lt=end
    ).filter(work_order_scope)
    for row in ratings.values(
        "pk", "stars", "created_at", "recommend", "work_order_id", "work_order__sla_policy_version_id"
    ).order_by("created_at", "pk"):
        out.ratings.append(
            RatingFacts(
                id=row["pk"],
                stars=row["stars"],
                rated_at=row["created_at"],
                recommend=row["recommend"],
                work_order_id=row["work_order_id"],
            )
        )
        out.rating_policy_versions[row["pk"]] = row["work_order__sla_policy_version_id"]
    complaints = Complaint.objects.filter(
        organisation_id=organisation_id, vendor_id=vendor_id, opened_at__gte=start, opened_at__lt=end
    ).filter(work_order_scope)
    for row in complaints.values("pk", "opened_at", "work_order_id", "work_order__sla_policy_version_id").order_by(
        "opened_at", "pk"
    ):
        out.complaints.append(
            ComplaintFacts(id=row["pk"], opened_at=row["opened_at"], work_order_id=row["work_order_id"])
        )
        out.complaint_policy_versions[row["pk"]] = row["work_order__sla_policy_version_id"]
    return out


def load_staff_facts(*, vendor, on: dt.date) -> tuple[dict[str, int], list[StaffFacts]]:
    """Contracted posts per position on ``on`` and the vendor's active roster with certificates."""
    members = list(
        StaffMember.objects.filter(vendor=vendor, is_active=True).order_by("name", "pk").values_list("pk", "position")
    )
    certificates: dict[int, list[CertificateFacts]] = defaultdict(list)
    rows = Certificate.objects.filter(staff_member__vendor=vendor, staff_member__is_active=True)
    for pk, member_id, expires_on in rows.order_by("pk").values_list("pk", "staff_member_id", "expires_on"):
        certificates[member_id].append(CertificateFacts(id=pk, expires_on=expires_on))
    staff = [StaffFacts(id=pk, position=position, certificates=tuple(certificates[pk])) for pk, position in members]
    return contracted_staffing(vendor, on), staff
