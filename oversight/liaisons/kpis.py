"""The liaisons indicators, registered in `oversight.core.kpis` (imported from `LiaisonsConfig.ready()`).

One loader (``liaisons``) reads a vendor's escalation episodes and the hotline reports about it once per window;
the formulas are the pure functions of :mod:`oversight.liaisons.indicators` (docs/formulas.md §"Liaisons"). The
records behind a figure are escalations or hotline reports, listed through the gate (`liaisons.selectors`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from oversight.core.kpis import Loader, RecordKind, Scope, Unit, process_source, registry
from oversight.kpi.facts import Period
from oversight.liaisons import indicators
from oversight.liaisons.choices import HotlineStatus
from oversight.liaisons.models import Escalation, HotlineReport
from oversight.liaisons.selectors import escalation_list, hotline_report_list

OWNER = "liaisons"
LOADER = "liaisons"
RECORD_ESCALATION = "escalation"
RECORD_HOTLINE = "hotline_report"


@dataclass
class LiaisonKpiFacts:
    """A vendor's escalations and hotline reports for one window."""

    escalations: list[indicators.EscalationFacts] = field(default_factory=list)
    reports: list[indicators.HotlineFacts] = field(default_factory=list)


def hotline_about_vendor_q(vendor_id: int) -> Q:
    """Reports about a vendor: the vendor of what they were passed on as, else of their service area."""
    passed_on = Q(complaint__vendor_id=vendor_id) | Q(work_order__vendor_id=vendor_id)
    by_area = Q(complaint__isnull=True, work_order__isnull=True, area__vendor_id=vendor_id)
    return passed_on | by_area


def load_liaison_facts(scope: Scope, period: Period) -> LiaisonKpiFacts:
    """Escalations that started in the period and the reports received or resolved in it."""
    escalations = [
        indicators.EscalationFacts(id=pk, started_at=started)
        for pk, started in Escalation.objects.filter(
            organisation_id=scope.organisation_id,
            vendor_id=scope.vendor_id,
            started_at__gte=period.start,
            started_at__lt=period.end,
        ).values_list("pk", "started_at")
    ]
    in_period = Q(received_at__gte=period.start, received_at__lt=period.end) | Q(
        resolved_at__gte=period.start, resolved_at__lt=period.end, status=HotlineStatus.RESOLVED
    )
    reports = [
        indicators.HotlineFacts(
            id=pk, received_at=received, resolved_at=resolved if status == HotlineStatus.RESOLVED else None
        )
        for pk, received, resolved, status in HotlineReport.objects.filter(
            in_period, hotline_about_vendor_q(scope.vendor_id), organisation_id=scope.organisation_id
        ).values_list("pk", "received_at", "resolved_at", "status")
    ]
    return LiaisonKpiFacts(escalations=escalations, reports=reports)


def _escalations(*, user, period, ids):
    return escalation_list(user=user).filter(pk__in=ids)


def _reports(*, user, period, ids):
    return hotline_report_list(user=user).filter(pk__in=ids)


def register() -> None:
    """Register the loader, the record kinds and the three sources (once, from `LiaisonsConfig.ready()`)."""
    if registry.find(indicators.ESCALATIONS) is not None:
        return
    registry.register_loader(Loader(LOADER, load_liaison_facts, LiaisonKpiFacts))
    registry.register_record_kind(
        RecordKind(
            RECORD_ESCALATION,
            _("Escalations"),
            _escalations,
            ("started_at", "pk"),
            lambda r: {
                "id": r.pk,
                "trigger": r.trigger,
                "title": r.title,
                "started_at": r.started_at.isoformat(),
                "status": r.status,
                "level": r.level,
            },
            "liaisons/partials/records/escalation.html",
        )
    )
    registry.register_record_kind(
        RecordKind(
            RECORD_HOTLINE,
            _("Hotline reports"),
            _reports,
            ("received_at", "pk"),
            lambda r: {
                "id": r.pk,
                "status": r.status,
                "received_at": r.received_at.isoformat(),
                "resolved_at": r.resolved_at.isoformat() if r.resolved_at else None,
            },
            "liaisons/partials/records/hotline_report.html",
        )
    )
    for source in SOURCES:
        registry.register(source)


SOURCES = (
    process_source(
        owner=OWNER,
        loader=LOADER,
        code=indicators.ESCALATIONS,
        unit=Unit.COUNT,
        higher_is_better=False,
        label=_("Escalations"),
        short_label=_("Escalations"),
        definition=_(
            "The vendor's escalation episodes that started in the period (a breach, a complaint, an overdue action "
            "item or a stalled change escalated through the matrix; one per subject and start, whatever its levels)."
        ),
        record_kind=RECORD_ESCALATION,
        formula=indicators.escalations,
        facts="escalations",
    ),
    process_source(
        owner=OWNER,
        loader=LOADER,
        code=indicators.HOTLINE_REPORTS,
        unit=Unit.COUNT,
        higher_is_better=False,
        label=_("Supervision hotline reports"),
        short_label=_("Hotline reports"),
        definition=_(
            "Reports to the supervision hotline about the vendor received in the period (by the vendor of the "
            "complaint or work order a report became, else of its service area)."
        ),
        record_kind=RECORD_HOTLINE,
        formula=indicators.hotline_reports,
        facts="reports",
    ),
    process_source(
        owner=OWNER,
        loader=LOADER,
        code=indicators.HOTLINE_RESOLUTION_TIME,
        unit=Unit.SECONDS,
        higher_is_better=False,
        label=_("Hotline report resolution time"),
        short_label=_("Hotline resolution time"),
        definition=_(
            "The mean calendar time from receipt to resolution of the vendor's hotline reports resolved in the "
            "period (dismissed reports do not count)."
        ),
        record_kind=RECORD_HOTLINE,
        formula=indicators.hotline_resolution_time,
        facts="reports",
    ),
)
