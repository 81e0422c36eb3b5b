"""Reads of service reports (服务报告): who may read which vendor's report, and the report itself.

The reads of report schedules and deliveries are in ``reports.selectors.schedules``.

Visibility (who reads reports; which vendors: the gate, ``Vendor.visibility``)
------------------------------------------------------------------------------
* Client roles (administrator, supervisor, executive, auditor) read the report of every vendor of their
  organisation, vendor-wide or for any contract of that vendor they may see (``contracts.selectors``).
* A vendor manager reads only their own vendor's report, and only for contracts the contract selectors let
  them see (activated ones).
* Vendor agents and requesters may never read reports (403 before any lookup, :func:`may_read_reports`);
  another organisation's vendor, another vendor, or a contract that is not the vendor's is a 404, exactly like
  one that does not exist.
Inside a report, evaluation periods, statements, complaints and ratings come from their own apps' selectors,
so a vendor manager sees the same draft-free picture there as everywhere else.

What is counted (docs/reports.md has the reader's version)
----------------------------------------------------------
The vendor's work orders, cancelled ones left out, within the scope of the contract version in force in the
period (``contracts.selectors.contract_version_for_period``) for a contract report. Indicator figures come from
``reports.metrics`` (the evaluation's formulas, read from the pre-aggregated service facts); volumes, breaches,
recurring groups, complaints and the rest are a fixed number of aggregate queries whatever the number of work
orders.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, DateTimeField, Max, Min, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from oversight import kpi
from oversight.catalog.choices import SLAMetric
from oversight.catalog.models import Service
from oversight.contracts.models import Contract
from oversight.contracts.selectors import contract_list, contract_version_for_period
from oversight.core import clock, kpis
from oversight.core.bilingual import pick_name
from oversight.core.errors import ApplicationError
from oversight.core.zones import zone_of
from oversight.facts.selectors import volumes_by_service
from oversight.feedback.selectors import complaint_list, rating_list
from oversight.improvement.presentation import effect_statement
from oversight.improvement.selectors import items_for_report
from oversight.parts.selectors import items_by_id, vendor_consumption
from oversight.reports import content as c
from oversight.reports.metrics import PeriodFigures, empty_facts, fact_period_figures, figures_for
from oversight.reports.periods import ReportPeriod, trailing_periods
from oversight.scorecards.choices import PeriodKind
from oversight.scorecards.facts_loader import scope_q, work_order_queryset
from oversight.scorecards.selectors import current_revisions, period_list
from oversight.settlement.selectors import statement_list
from oversight.tenancy.models import Vendor
from oversight.tenancy.roles import MANAGEMENT_ROLES
from oversight.tenancy.visibility import restrict
from oversight.tickets.choices import ClockState
from oversight.tickets.models import SLAClock, WorkOrder

TREND_LENGTH = {PeriodKind.MONTHLY: 6, PeriodKind.QUARTERLY: 4}
TOP_GROUPS = 10
PAGE_BREACHES = 50  # the web page and the PDF list this many breaches; the XLSX has them all

# The volume figures shown first: (code, label, unit); the registered key figures follow (`key_figures_shown`).
FIGURES = (
    ("received", _("Received"), "count"),
    ("resolved", _("Resolved"), "count"),
    ("open_at_end", _("Open at the period end"), "count"),
)


def key_figures_shown() -> list[tuple[str, object, str]]:
    """(code, label, unit) of every key figure in the order shown: the volumes, then the registered indicators."""
    return [*FIGURES, *((s.code, s.title, s.unit) for s in kpis.registry.sources(kpis.KEY_FIGURE))]


# --------------------------------------------------------------------------------------------------
# visibility
# --------------------------------------------------------------------------------------------------


def may_read_reports(user) -> bool:
    """Client roles and vendor managers (and superusers) may read service reports at all."""
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or user.role in MANAGEMENT_ROLES))


def report_vendors(*, user) -> QuerySet[Vendor]:
    """Vendors whose reports the user may read (module docstring): the visible vendors, for report readers."""
    qs = Vendor.objects.select_related("organisation").order_by("name")
    if not may_read_reports(user):
        return qs.none()
    return restrict(qs, user)


def report_vendor_get(*, user, pk) -> Vendor:
    """One vendor whose report the user may read, or 404."""
    try:
        return report_vendors(user=user).get(pk=pk)
    except (Vendor.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(_("No such vendor.")) from exc


def report_contracts(*, user) -> QuerySet[Contract]:
    """Contracts whose reports the user may read: visible contracts of the vendors they may read."""
    return contract_list(user=user).filter(vendor__in=report_vendors(user=user)).order_by("vendor__name", "number")


def report_contract_get(*, user, pk) -> Contract:
    """One contract whose report the user may read, or 404."""
    try:
        return report_contracts(user=user).get(pk=pk)
    except (Contract.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def report_contract_of_vendor(*, user, pk, vendor_id) -> Contract:
    """The contract of a report asked for together with a vendor: 404 if unseen, 400 if it is another vendor's."""
    contract = report_contract_get(user=user, pk=pk)
    if str(contract.vendor_id) != str(vendor_id):
        raise ApplicationError(
            gettext(
                "Contract %(contract)s belongs to %(vendor)s, not to the vendor you chose: "
                "choose its vendor or no contract."
            )
            % {"contract": contract.number, "vendor": contract.vendor.name},
            code="contract_vendor",
            extra={"field": "contract"},
        )
    return contract


# --------------------------------------------------------------------------------------------------
# the report
# --------------------------------------------------------------------------------------------------


def service_report(*, user, vendor_id: int, contract_id: int | None, period: ReportPeriod) -> c.ServiceReport:
    """The whole report of a vendor (or of one of its contracts) for a period, as ``user`` may see it (or 404)."""
    if not may_read_reports(user):
        raise Http404
    vendor = report_vendor_get(user=user, pk=vendor_id)
    contract = None
    version = None
    in_force = True
    if contract_id is not None:
        contract = report_contract_get(user=user, pk=contract_id)
        if contract.vendor_id != vendor.pk:
            raise Http404
        version = contract_version_for_period(contract, period.first, period.last + dt.timedelta(days=1))
        in_force = version is not None
    organisation = vendor.organisation
    trail = trailing_periods(period, organisation, TREND_LENGTH.get(period.kind, 6))
    if in_force:
        figures = _figures(organisation, vendor, trail, version)
    else:
        figures = [figures_for(empty_facts(trail), p) for p in trail]
    current, previous = figures[-1], figures[-2]
    evaluated_at = min(clock.now(), period.end_at)
    scope = _ScopeQuery(organisation.pk, vendor.pk, version, in_force)

    breaches = _breaches(scope, period, evaluated_at)
    by_service = _volumes(scope, period, breaches)
    by_category = c.category_rows(by_service, c.breached_by_key(breaches, lambda b: b.extra_category))
    places, assets = _recurring(scope, period)
    complaints = _complaints(user, scope, period)
    evaluations = _evaluations(user, vendor, contract, period)
    actions = _actions(user, vendor, contract, period)
    parts = _parts(organisation, vendor, period)
    title = _title(vendor, contract, period)
    report = c.ServiceReport(
        organisation=organisation,
        vendor=vendor,
        contract=contract,
        version=version,
        period=period,
        previous=previous.period,
        title=title,
        generated_at=clock.now().astimezone(zone_of(user) if user.is_authenticated else zone_of(organisation)),
        in_force=in_force,
        figures=_key_figures(current, previous),
        by_service=by_service,
        by_category=by_category,
        trend=[_trend_point(f) for f in figures],
        breaches=[b.breach for b in breaches],
        recurring_places=places,
        recurring_assets=assets,
        complaints=complaints,
        evaluations=evaluations,
        actions=actions,
        parts=parts,
    )
    report.extra["scope"] = scope
    report.extra["user"] = user
    return report


def _parts(organisation, vendor, period: ReportPeriod) -> list[c.PartsRow]:
    """The spare parts of the vendor used on work orders in the period, net of returns, per part and unit price
    (`parts.selectors.vendor_consumption`; the whole vendor, also in a contract's report)."""
    used = vendor_consumption(
        organisation_id=organisation.pk, vendor_id=vendor.pk, start=period.start_at, end=period.end_at
    )
    items = items_by_id(row.item_id for row in used)
    return [
        c.PartsRow(
            code=row.code,
            name=items[row.item_id].localized_name,
            unit=items[row.item_id].unit,
            units=row.units,
            unit_price=row.unit_price,
            currency=items[row.item_id].currency,
            total=row.total,
            work_orders=row.work_orders,
        )
        for row in used
    ]


def _title(vendor, contract, period: ReportPeriod) -> str:
    if contract is not None:
        return gettext("Service report %(contract)s %(period)s") % {
            "contract": contract.number,
            "period": period.label(),
        }
    return gettext("Service report %(vendor)s %(period)s") % {"vendor": vendor.name, "period": period.label()}


class _ScopeQuery:
    """The work orders a report counts: the vendor's, within the version's scope, cancelled ones left out."""

    def __init__(self, organisation_id: int, vendor_id: int, version, in_force: bool) -> None:
        self.organisation_id = organisation_id
        self.vendor_id = vendor_id
        self.version = version
        self.in_force = in_force

    def work_orders(self) -> QuerySet[WorkOrder]:
        if not self.in_force:
            return WorkOrder.objects.none()
        return work_order_queryset(organisation_id=self.organisation_id, vendor_id=self.vendor_id, version=self.version)

    def received(self, period: ReportPeriod) -> QuerySet[WorkOrder]:
        return self.work_orders().filter(created_at__gte=period.start_at, created_at__lt=period.end_at)


# ---- key figures and trends

# What the trend shows of the earlier periods (``_trend_point``); the key figures compare the last two in full.
TREND_CODES = frozenset({kpi.MTTR, kpi.RESPONSE_TIMELINESS, kpi.RESOLUTION_TIMELINESS, kpi.CSAT_MEAN, kpi.NPS})


def _figures(organisation, vendor, trail: list[ReportPeriod], version) -> list[PeriodFigures]:
    """The trend's periods from the service facts: the last two with every reported figure, the rest the trend's."""
    earlier = fact_period_figures(
        organisation=organisation, vendor_ids=[vendor.pk], periods=trail[:-2], version=version, only=TREND_CODES
    )
    last_two = fact_period_figures(
        organisation=organisation, vendor_ids=[vendor.pk], periods=trail[-2:], version=version
    )
    return earlier[vendor.pk] + last_two[vendor.pk]


def _indicator_value(figures: PeriodFigures, code: str):
    if code == "received":
        return figures.received
    if code == "resolved":
        # Resolved in the period: the work orders MTTR averages over (current resolution inside the period).
        return int(figures.results[kpi.MTTR].denominator or 0)
    if code == "open_at_end":
        return int(figures.results[kpi.BACKLOG_MEAN_AGE].denominator or 0)
    if kpis.registry.get(code).unit == kpis.Unit.COUNT:  # a count is shown whole
        return int(figures.results[code].numerator)
    return figures.value(code)


def _key_figures(current: PeriodFigures, previous: PeriodFigures) -> list[c.KeyFigure]:
    return [
        c.KeyFigure(
            code=code,
            label=str(label),
            unit=unit,
            value=_indicator_value(current, code),
            previous=_indicator_value(previous, code),
        )
        for code, label, unit in key_figures_shown()
    ]


def _trend_point(figures: PeriodFigures) -> c.TrendPoint:
    return c.TrendPoint(
        key=figures.period.key,
        label=figures.period.label(),
        received=figures.received,
        resolved=_indicator_value(figures, "resolved"),
        response=figures.value(kpi.RESPONSE_TIMELINESS),
        resolution=figures.value(kpi.RESOLUTION_TIMELINESS),
        csat=figures.value(kpi.CSAT_MEAN),
        nps=figures.value(kpi.NPS),
    )


# ---- breaches and volumes


class _BreachRow:
    """A breach with the service and category ids it is grouped by (not shown)."""

    __slots__ = ("breach", "extra_category", "extra_service")

    def __init__(self, breach: c.Breach, service_id: int, category_id: int | None) -> None:
        self.breach = breach
        self.extra_service = service_id
        self.extra_category = category_id

    @property
    def work_order_id(self) -> int:
        return self.breach.work_order_id


def _breaches(scope: _ScopeQuery, period: ReportPeriod, evaluated_at: dt.datetime) -> list[_BreachRow]:
    """Every target due in the period and missed, as the evaluation reads the clocks (``facts_loader._target``)."""
    labels = dict(SLAMetric.choices)
    due = Coalesce("due_at", "breached_at", output_field=DateTimeField())
    rows = (
        SLAClock.objects.filter(work_order__in=scope.work_orders().values("pk"))
        .annotate(due=due)
        # ``due`` in the period, spelt on the columns so the (state, due_at) index answers it.
        .filter(
            Q(state=ClockState.BREACHED, due_at__gte=period.start_at, due_at__lt=period.end_at)
            | Q(
                state=ClockState.BREACHED,
                due_at__isnull=True,
                breached_at__gte=period.start_at,
                breached_at__lt=period.end_at,
            )
            | Q(
                state=ClockState.RUNNING,
                due_at__gte=period.start_at,
                due_at__lt=period.end_at,
                due_at__lte=evaluated_at,
            )
        )
        .values(
            "work_order_id",
            "work_order__number",
            "work_order__title",
            "work_order__priority",
            "work_order__service_id",
            "work_order__service__name",
            "work_order__service__name_en",
            "work_order__service__category_id",
            "metric",
            "state",
            "due",
            "stopped_at",
        )
        .order_by("due", "work_order_id", "metric")
    )
    out = []
    for row in rows:
        achieved = row["stopped_at"] if row["state"] == ClockState.BREACHED else None
        late = int(((achieved or evaluated_at) - row["due"]).total_seconds())
        breach = c.Breach(
            work_order_id=row["work_order_id"],
            number=row["work_order__number"],
            title=row["work_order__title"],
            service=_name(row["work_order__service__name"], row["work_order__service__name_en"]),
            priority=row["work_order__priority"],
            metric=row["metric"],
            metric_label=str(labels.get(row["metric"], row["metric"])),
            due_at=row["due"],
            achieved_at=achieved,
            late_seconds=max(0, late),
        )
        out.append(_BreachRow(breach, row["work_order__service_id"], row["work_order__service__category_id"]))
    return out


def _name(name: str, name_en: str) -> str:
    """The bilingual name rule (``core.bilingual.pick_name``) for a values() row."""
    return pick_name(name, name_en)


def _volumes(scope: _ScopeQuery, period: ReportPeriod, breaches: list[_BreachRow]) -> list[c.VolumeRow]:
    """Per service: received in the period, resolved in the period (service facts), work orders with a missed target."""
    counts = {}
    if scope.in_force:
        counts = volumes_by_service(
            organisation_id=scope.organisation_id,
            vendor_id=scope.vendor_id,
            version=scope.version,
            first=period.first,
            last=period.last,
        )
    breached = c.breached_by_key(breaches, lambda b: b.extra_service)
    out = []
    if counts or breached:
        services = Service.objects.filter(pk__in=set(counts) | set(breached))
        for row in services.values("pk", "name", "name_en", "category_id", "category__name", "category__name_en"):
            received, resolved = counts.get(row["pk"], (0, 0))
            out.append(
                c.VolumeRow(
                    key=row["pk"],
                    name=_name(row["name"], row["name_en"]),
                    category_id=row["category_id"],
                    category=_name(row["category__name"], row["category__name_en"]),
                    received=received,
                    resolved=resolved,
                    breached=breached.get(row["pk"], 0),
                )
            )
    return sorted(out, key=lambda r: (-r.received, r.name))


# ---- recurring issues


def _recurring(scope: _ScopeQuery, period: ReportPeriod) -> tuple[list[c.RecurringGroup], list[c.RecurringGroup]]:
    """The most frequent places (service × site × location) and assets among the work orders received."""
    received = scope.received(period)
    places = (
        received.values("service__name", "service__name_en", "site__name", "location_detail")
        .annotate(n=Count("pk"), first=Min("created_at"), last=Max("created_at"))
        .filter(n__gte=2)
        .order_by("-n", "service__name", "site__name", "location_detail")[:TOP_GROUPS]
    )
    place_groups = []
    for row in places:
        where = " · ".join(part for part in (row["site__name"] or "", row["location_detail"] or "") if part)
        place_groups.append(
            c.RecurringGroup(
                label=where or gettext("(no site given)"),
                service=_name(row["service__name"], row["service__name_en"]),
                count=row["n"],
                first_at=row["first"],
                last_at=row["last"],
            )
        )
    assets = (
        received.exclude(asset_tag="")
        .values("asset_tag")
        .annotate(n=Count("pk"), services=Count("service", distinct=True), first=Min("created_at"))
        .annotate(last=Max("created_at"), any_service=Min("service__name"))
        .filter(n__gte=2)
        .order_by("-n", "asset_tag")[:TOP_GROUPS]
    )
    asset_groups = [
        c.RecurringGroup(
            label=row["asset_tag"],
            service=row["any_service"] if row["services"] == 1 else gettext("%(n)s services") % {"n": row["services"]},
            count=row["n"],
            first_at=row["first"],
            last_at=row["last"],
        )
        for row in assets
    ]
    return place_groups, asset_groups


# ---- complaints, evaluations, the improvement register


def _scoped_complaints(user, scope: _ScopeQuery):
    if not scope.in_force:
        return complaint_list(user=user).none()
    # The evaluation's own selection (facts_loader): the vendor's complaints on work orders in the scope.
    return complaint_list(user=user).filter(
        scope_q(scope.version, "work_order__"), organisation_id=scope.organisation_id, vendor_id=scope.vendor_id
    )


def _complaint_row(complaint) -> c.ComplaintRow:
    return c.ComplaintRow(
        pk=complaint.pk,
        title=complaint.title,
        work_order_id=complaint.work_order_id,
        work_order_number=complaint.work_order.number,
        opened_at=complaint.opened_at,
        status=complaint.status,
        status_label=str(complaint.get_status_display()),
        resolved_at=complaint.resolved_at,
        resolution=complaint.resolution,
    )


def _complaints(user, scope: _ScopeQuery, period: ReportPeriod) -> list[c.ComplaintRow]:
    qs = _scoped_complaints(user, scope).filter(opened_at__gte=period.start_at, opened_at__lt=period.end_at)
    return [_complaint_row(x) for x in qs.order_by("opened_at", "pk")]


def _overlapping_periods(user, vendor, contract, period: ReportPeriod):
    qs = current_revisions(period_list(user=user)).filter(
        vendor_id=vendor.pk, starts_on__lte=period.last, ends_on__gte=period.first
    )
    if contract is not None:
        qs = qs.filter(contract_id=contract.pk)
    return qs.order_by("starts_on", "contract__number", "kind")


def _evaluations(user, vendor, contract, period: ReportPeriod) -> list[c.EvaluationRow]:
    periods = list(_overlapping_periods(user, vendor, contract, period))
    statements = {s.period_id: s for s in statement_list(user=user).filter(period__in=[p.pk for p in periods])}
    out = []
    for p in periods:
        s = statements.get(p.pk)
        row = {
            "period_id": p.pk,
            "contract_number": p.contract.number,
            "label": p.label,
            "kind_label": str(p.get_kind_display()),
            "status_label": str(p.get_status_display()),
            "score": p.total_score,
        }
        if s is not None:
            row.update(
                statement_id=s.pk,
                statement_status=str(s.get_status_display()),
                currency=s.currency,
                base_fee=s.base_fee,
                deductions=s.band_deduction,
                credits=s.credits,
                total=s.total,
            )
        out.append(c.EvaluationRow(**row))
    return out


def _actions(user, vendor, contract, period: ReportPeriod) -> list[c.ImprovementAction]:
    """The vendor's improvement register in the period (improvement.selectors.items_for_report): each item open at
    some time in it with its state and the latest measurement of its effect taken by the period's end."""
    items = items_for_report(
        user=user,
        organisation_id=vendor.organisation_id,
        vendor_id=vendor.pk,
        start=period.start_at,
        end=period.end_at,
        contract_id=contract.pk if contract is not None else None,
    )
    out = []
    for item in items:
        record = item.period_measurements[0] if item.period_measurements else None
        out.append(
            c.ImprovementAction(
                pk=item.pk,
                number=item.number,
                title=item.localized_title,
                status=item.status,
                status_label=str(item.get_status_display()),
                source_label=str(item.get_source_kind_display()),
                owner=str(item.owner),
                raised_at=item.created_at,
                implemented_on=item.implemented_on,
                indicator=str(kpis.source_label(item.indicator)) if item.indicator else "",
                target=item.target,
                before=getattr(record, "before_value", None),
                after=getattr(record, "after_value", None),
                change=getattr(record, "change", None),
                relative_change=getattr(record, "relative_change", None),
                target_met=getattr(record, "target_met", None),
                effect=effect_statement(record),
                benefit_amount=item.benefit_amount,
                currency=item.currency,
            )
        )
    return out


# --------------------------------------------------------------------------------------------------
# rows for the XLSX (all of them; the page shows summaries)
# --------------------------------------------------------------------------------------------------


def work_order_rows(report: c.ServiceReport) -> list[dict]:
    """Every work order received in the report period (one query)."""
    scope: _ScopeQuery = report.extra["scope"]
    rows = scope.received(report.period).values(
        "pk",
        "number",
        "title",
        "kind",
        "service__name",
        "service__name_en",
        "service__category__name",
        "service__category__name_en",
        "site__name",
        "location_detail",
        "asset_tag",
        "priority",
        "status",
        "created_at",
        "resolved_at",
    )
    return [
        {
            **row,
            "service": _name(row["service__name"], row["service__name_en"]),
            "category": _name(row["service__category__name"], row["service__category__name_en"]),
        }
        for row in rows.order_by("created_at", "pk")
    ]


def rating_rows(report: c.ServiceReport) -> list[dict]:
    """Every rating given in the report period on the report's work orders (one query)."""
    scope: _ScopeQuery = report.extra["scope"]
    user = report.extra["user"]
    if not scope.in_force:
        return []
    period = report.period
    qs = rating_list(user=user).filter(
        scope_q(scope.version, "work_order__"),
        organisation_id=scope.organisation_id,
        vendor_id=scope.vendor_id,
        created_at__gte=period.start_at,
        created_at__lt=period.end_at,
    )
    return list(qs.values("pk", "work_order__number", "stars", "recommend", "created_at").order_by("created_at", "pk"))
