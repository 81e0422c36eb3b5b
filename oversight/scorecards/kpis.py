"""The built-in KPI sources, their loaders and drill-down records, registered in `oversight.core.kpis`.

Imported once from `ScorecardsConfig.ready()`. The work-order, rating and complaint indicators share the
``service`` loader (`facts_loader.load_facts`: one load per window for all of them), the people indicators the
``roster`` loader. The formulas are the pure functions of :mod:`oversight.kpi`; each source's unit and
direction come from :data:`oversight.kpi.CATALOGUE`, so the registry and the formula cannot disagree. The
definitions are the short reader's version of docs/formulas.md §2 (docs/indicators.md is generated from them).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from oversight import kpi
from oversight.core.kpis import (
    COMMITMENT,
    DASHBOARD,
    DASHBOARD_CHART,
    KEY_FIGURE,
    REPORT,
    SCHEME,
    Dimension,
    Loader,
    RecordKind,
    Scope,
    Source,
    Window,
    registry,
)
from oversight.feedback.selectors import complaint_list, rating_list
from oversight.kpi.facts import Period
from oversight.kpi.people import StaffFacts
from oversight.scorecards.choices import (
    RECORD_CERTIFICATE,
    RECORD_COMPLAINT,
    RECORD_MANUAL,
    RECORD_RATING,
    RECORD_STAFF_MEMBER,
    RECORD_WORK_ORDER,
)
from oversight.scorecards.facts_loader import LoadedFacts, load_facts, load_staff_facts
from oversight.scorecards.selectors import period_manual_entries
from oversight.tenancy.models import Certificate, StaffMember, Vendor
from oversight.tickets.selectors import work_order_list

OWNER = "scorecards"
SERVICE = "service"
ROSTER = "roster"


# ---------------------------------------------------------------------------------------------- loaders


def load_service_facts(scope: Scope, period: Period) -> LoadedFacts:
    """Work orders with their clocks and events, ratings and complaints of the scope (one load per window)."""
    return load_facts(
        organisation_id=scope.organisation_id,
        vendor_id=scope.vendor_id,
        version=scope.version,
        period=period,
        evaluated_at=scope.evaluated_at,
        lookback_days=scope.lookback_days,
    )


def restrict_service_facts(
    facts: LoadedFacts, *, excluded: frozenset[int], policy_versions: frozenset[int] | None
) -> LoadedFacts:
    """The facts without the excluded work orders (and their ratings and complaints), optionally of some policies."""
    if not excluded and policy_versions is None:
        return facts

    def keep(wo_id, policy_id) -> bool:
        return wo_id not in excluded and (policy_versions is None or policy_id in policy_versions)

    return dataclasses.replace(
        facts,
        work_orders=[w for w in facts.work_orders if keep(w.id, facts.policy_versions.get(w.id))],
        ratings=[r for r in facts.ratings if keep(r.work_order_id, facts.rating_policy_versions.get(r.id))],
        complaints=[c for c in facts.complaints if keep(c.work_order_id, facts.complaint_policy_versions.get(c.id))],
    )


@dataclass
class RosterFacts:
    """The vendor's roster on one day: contracted posts per position and the active members with certificates."""

    on: dt.date | None = None
    contracted: dict[str, int] = field(default_factory=dict)
    staff: list[StaffFacts] = field(default_factory=list)


def load_roster_facts(scope: Scope, period: Period) -> RosterFacts:
    """The roster on the scope's day (the roster has no history: it is read as it is that day)."""
    on = scope.day or scope.evaluated_at.date()
    contracted, staff = load_staff_facts(vendor=Vendor.objects.get(pk=scope.vendor_id), on=on)
    return RosterFacts(on=on, contracted=contracted, staff=staff)


# ---------------------------------------------------------------------------------------------- records


def _work_orders(*, user, period, ids):
    return work_order_list(user=user).filter(pk__in=ids).select_related("service", "requester")


def _ratings(*, user, period, ids):
    return rating_list(user=user).filter(pk__in=ids)


def _complaints(*, user, period, ids):
    return complaint_list(user=user).filter(pk__in=ids)


def _manual_entries(*, user, period, ids):
    return period_manual_entries(period).filter(pk__in=ids)


# The roster behind a people indicator is the period's own vendor's (whoever sees the period sees it).
def _staff_members(*, user, period, ids):
    return StaffMember.objects.filter(vendor_id=period.vendor_id, pk__in=ids)


def _certificates(*, user, period, ids):
    return Certificate.objects.filter(staff_member__vendor_id=period.vendor_id, pk__in=ids).select_related(
        "staff_member"
    )


def _iso(value) -> str | None:
    return value.isoformat() if value else None


RECORD_KINDS = (
    RecordKind(
        RECORD_WORK_ORDER,
        _("Work orders"),
        _work_orders,
        ("created_at", "pk"),
        lambda r: {
            "id": r.pk,
            "number": r.number,
            "title": r.title,
            "status": r.status,
            "received_at": r.created_at.isoformat(),
            "resolved_at": _iso(r.resolved_at),
        },
        "scorecards/partials/records/work_order.html",
    ),
    RecordKind(
        RECORD_RATING,
        _("Ratings"),
        _ratings,
        ("created_at", "pk"),
        lambda r: {
            "id": r.pk,
            "stars": r.stars,
            "recommend": r.recommend,
            "rated_at": r.created_at.isoformat(),
            "work_order": r.work_order.number,
        },
        "scorecards/partials/records/rating.html",
    ),
    RecordKind(
        RECORD_COMPLAINT,
        _("Complaints"),
        _complaints,
        ("opened_at", "pk"),
        lambda r: {
            "id": r.pk,
            "status": r.status,
            "opened_at": r.opened_at.isoformat(),
            "work_order": r.work_order.number,
        },
        "scorecards/partials/records/complaint.html",
    ),
    RecordKind(
        RECORD_MANUAL,
        _("Manual entries"),
        _manual_entries,
        ("-entered_at", "-pk"),
        lambda r: {
            "id": r.pk,
            "value": str(r.value),
            "note": r.note,
            "entered_at": r.entered_at.isoformat(),
            "entered_by": str(r.entered_by or ""),
        },
        "scorecards/partials/records/manual_entry.html",
    ),
    RecordKind(
        RECORD_STAFF_MEMBER,
        _("Staff members"),
        _staff_members,
        ("position", "name", "pk"),
        lambda r: {"id": r.pk, "name": r.name, "position": r.position},
        "scorecards/partials/records/staff_member.html",
    ),
    RecordKind(
        RECORD_CERTIFICATE,
        _("Certificates"),
        _certificates,
        ("expires_on", "staff_member__name", "pk"),
        lambda r: {"id": r.pk, "name": r.name, "staff_member": r.staff_member.name, "expires_on": _iso(r.expires_on)},
        "scorecards/partials/records/certificate.html",
    ),
)


# ---------------------------------------------------------------------------------------------- sources


def _mttr(facts: LoadedFacts, window: Window) -> kpi.IndicatorResult:
    """MTTR, with the work orders measured in calendar time (no business-time measurement) as a group."""
    result = kpi.mttr(facts.work_orders, window.period)
    calendar = tuple(i for i in result.numerator_ids if i in facts.calendar_time_ids)
    return dataclasses.replace(result, groups={**result.groups, "calendar_time": calendar})


ALL_REPORTS = frozenset({SCHEME, COMMITMENT, REPORT, KEY_FIGURE})
PROCESSES, TECHNOLOGY, PEOPLE = Dimension.PROCESSES, Dimension.TECHNOLOGY, Dimension.PEOPLE


def _source(code, dimension, label, short_label, definition, uses, compute, *, loader=SERVICE, records=None):
    spec = kpi.CATALOGUE[code]
    return Source(
        code=code,
        dimension=dimension,
        unit=spec.unit,
        higher_is_better=spec.higher_is_better,
        label=label,
        short_label=short_label,
        definition=definition,
        record_kind=records or RECORD_WORK_ORDER,
        loader=loader if compute is not None else None,
        compute=compute,
        uses=frozenset(uses),
        owner=OWNER,
    )


SOURCES = (
    _source(
        kpi.RESPONSE_TIMELINESS,
        PROCESSES,
        _("Response timeliness (%)"),
        _("Response timeliness"),
        _(
            "Work orders whose response target fell due in the period and was met, as a share of those whose "
            "response target fell due and was decided (met or breached)."
        ),
        ALL_REPORTS | {DASHBOARD, DASHBOARD_CHART},
        lambda f, w: kpi.response_timeliness(f.work_orders, w.period),
    ),
    _source(
        kpi.ONSITE_TIMELINESS,
        PROCESSES,
        _("On-site timeliness (%)"),
        _("On-site timeliness"),
        _(
            "Work orders whose on-site arrival target fell due in the period and was met, as a share of those "
            "whose on-site target fell due and was decided."
        ),
        ALL_REPORTS,
        lambda f, w: kpi.onsite_timeliness(f.work_orders, w.period),
    ),
    _source(
        kpi.RESOLUTION_TIMELINESS,
        PROCESSES,
        _("Resolution timeliness, SLA compliance (%)"),
        _("Resolution timeliness (SLA compliance)"),
        _(
            "Work orders whose resolution target fell due in the period and was met, as a share of those whose "
            "resolution target fell due and was decided."
        ),
        ALL_REPORTS | {DASHBOARD, DASHBOARD_CHART},
        lambda f, w: kpi.resolution_timeliness(f.work_orders, w.period),
    ),
    _source(
        kpi.RESOLUTION_RATE,
        PROCESSES,
        _("Resolution rate (%)"),
        _("Resolution rate"),
        _("Work orders received in the period and resolved before its end, as a share of those received."),
        ALL_REPORTS,
        lambda f, w: kpi.resolution_rate(f.work_orders, w.period),
    ),
    _source(
        kpi.MTTR,
        PROCESSES,
        _("Mean time to resolve (seconds)"),
        _("Mean time to resolve (MTTR)"),
        _(
            "Mean time from receipt to resolution of the work orders resolved in the period, in business "
            "seconds as the SLA policy counts them (calendar time where no clock measured it)."
        ),
        ALL_REPORTS,
        _mttr,
    ),
    _source(
        kpi.FIRST_TIME_FIX,
        PROCESSES,
        _("First-time fix (%)"),
        _("First-time fix"),
        _(
            "Work orders first resolved in the period without reassignment, escalation or a reopen within the "
            "scheme's reopen window, as a share of those first resolved in the period."
        ),
        ALL_REPORTS,
        lambda f, w: kpi.first_time_fix_rate(
            f.work_orders, w.period, reopen_window_days=w.options.get("reopen_window_days", 7)
        ),
    ),
    _source(
        kpi.REOPEN_RATE,
        PROCESSES,
        _("Reopen rate (%)"),
        _("Reopen rate"),
        _("Work orders first resolved in the period that were reopened, as a share of those first resolved in it."),
        ALL_REPORTS,
        lambda f, w: kpi.reopen_rate(f.work_orders, w.period),
    ),
    _source(
        kpi.REPEAT_RATE,
        PROCESSES,
        _("Repeat rate (%)"),
        None,
        _(
            "Work orders received in the period that repeat an earlier one of the last 30 days (same requester, "
            "asset or category), as a share of those received."
        ),
        {SCHEME, COMMITMENT},
        lambda f, w: kpi.repeat_rate(f.work_orders, w.period),
    ),
    _source(
        kpi.CSAT_MEAN,
        TECHNOLOGY,
        _("CSAT, mean stars"),
        _("CSAT, mean stars"),
        _("Mean stars (1 to 5) of the ratings given in the period."),
        ALL_REPORTS | {DASHBOARD},
        lambda f, w: kpi.csat_mean(f.ratings, w.period),
        records=RECORD_RATING,
    ),
    _source(
        kpi.CSAT_SATISFIED_SHARE,
        TECHNOLOGY,
        _("CSAT, share of 4–5 stars (%)"),
        _("CSAT, share of 4–5 stars"),
        _("Ratings of 4 or 5 stars given in the period, as a share of all ratings given in it."),
        ALL_REPORTS | {DASHBOARD, DASHBOARD_CHART},
        lambda f, w: kpi.csat_satisfied_share(f.ratings, w.period),
        records=RECORD_RATING,
    ),
    _source(
        kpi.NPS,
        TECHNOLOGY,
        _("Net promoter score"),
        _("Net promoter score (NPS)"),
        _(
            "Share of promoters (9–10) minus share of detractors (0–6) among the ratings of the period that "
            "answered the recommend question, from −100 to 100."
        ),
        ALL_REPORTS | {DASHBOARD},
        lambda f, w: kpi.nps(f.ratings, w.period),
        records=RECORD_RATING,
    ),
    _source(
        kpi.COMPLAINT_COUNT,
        TECHNOLOGY,
        _("Complaints (count)"),
        _("Complaints"),
        _("Complaints opened in the period (a count: zero when there were none)."),
        ALL_REPORTS | {DASHBOARD},
        lambda f, w: kpi.complaint_count(f.complaints, w.period),
        records=RECORD_COMPLAINT,
    ),
    _source(
        kpi.BACKLOG_MEAN_AGE,
        PROCESSES,
        _("Backlog, mean age at the period end (seconds)"),
        _("Backlog, mean age"),
        _("Mean age, in calendar seconds, of the work orders still open at the end of the period."),
        {SCHEME, COMMITMENT, REPORT},
        lambda f, w: kpi.backlog_mean_age(f.work_orders, w.at),
    ),
    _source(
        kpi.BACKLOG_MAX_AGE,
        PROCESSES,
        _("Backlog, maximum age at the period end (seconds)"),
        _("Backlog, maximum age"),
        _("Age, in calendar seconds, of the oldest work order still open at the end of the period."),
        {SCHEME, COMMITMENT, REPORT},
        lambda f, w: kpi.backlog_max_age(f.work_orders, w.at),
    ),
    _source(
        kpi.STAFF_FILL_RATE,
        PEOPLE,
        _("Staff fill rate at the period end (%)"),
        _("Staff fill rate"),
        _(
            "Contracted posts filled by active roster members at the period end (per position at most the "
            "contracted number), as a share of the contracted posts."
        ),
        {SCHEME},
        lambda f, w: kpi.staff_fill_rate(f.contracted, f.staff),
        loader=ROSTER,
        records=RECORD_STAFF_MEMBER,
    ),
    _source(
        kpi.CERTIFICATE_VALIDITY,
        PEOPLE,
        _("Certificate validity at the period end (%)"),
        _("Certificate validity"),
        _("Certificates of active roster members not expired at the period end, as a share of all their certificates."),
        {SCHEME},
        lambda f, w: kpi.certificate_validity(f.staff, f.on),
        loader=ROSTER,
        records=RECORD_CERTIFICATE,
    ),
    _source(
        kpi.AVAILABILITY,
        TECHNOLOGY,
        _("Availability (%)"),
        None,
        _(
            "Agreed service time minus downtime, as a share of the agreed service time; measured outside "
            "Oversight (monitoring), so a commitment on it has no computed value."
        ),
        {COMMITMENT},
        None,
    ),
)


def register() -> None:
    """Register the loaders, record kinds and sources above (once, from `AppConfig.ready`)."""
    registry.register_loader(Loader(SERVICE, load_service_facts, LoadedFacts, restrict_service_facts))
    registry.register_loader(Loader(ROSTER, load_roster_facts, RosterFacts))
    for kind in RECORD_KINDS:
        registry.register_record_kind(kind)
    for source in SOURCES:
        registry.register(source)
