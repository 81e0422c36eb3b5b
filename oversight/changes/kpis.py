"""The change indicators, registered in `oversight.core.kpis` (imported from `ChangesConfig.ready()`).

One loader (``changes``) reads the changes a vendor implements once per window, with their status steps and the
incidents linked as caused by them; the formulas are the pure functions of :mod:`oversight.changes.indicators`
(docs/formulas.md §"Changes"). The records behind a figure are changes, listed through the gate
(`changes.selectors`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from oversight.changes import indicators
from oversight.changes.choices import SUCCESSFUL_OUTCOMES, ChangeEventKind, ChangeStatus, ChangeType
from oversight.changes.models import Change, ChangeEvent, ChangeIncident
from oversight.changes.selectors import change_list
from oversight.core.kpis import Loader, RecordKind, Scope, Unit, process_source, registry
from oversight.kpi.facts import Period

OWNER = "changes"
LOADER = "changes"
RECORD_CHANGE = "change"


@dataclass
class ChangeKpiFacts:
    """A vendor's changes for one window."""

    changes: list[indicators.ChangeFacts] = field(default_factory=list)


def load_change_facts(scope: Scope, period: Period) -> ChangeKpiFacts:
    """The changes the vendor implements that were requested before the period's end and not closed before its
    start (every change one of the four figures can count), with their status steps and caused incidents."""
    rows = Change.objects.filter(
        Q(closed_at__isnull=True) | Q(closed_at__gte=period.start),
        organisation_id=scope.organisation_id,
        implementer_id=scope.vendor_id,
        created_at__lt=period.end,
    )
    steps: dict[int, list[indicators.Step]] = defaultdict(list)
    for change_id, at, to_status in (
        ChangeEvent.objects.filter(
            change__in=rows,
            kind=ChangeEventKind.STATUS_CHANGED,
            to_status__in=(ChangeStatus.AUTHORISED, ChangeStatus.IMPLEMENTING),
        )
        .order_by("change_id", "seq")
        .values_list("change_id", "at", "to_status")
    ):
        steps[change_id].append(indicators.Step(at=at, to_status=to_status))
    caused = Counter(ChangeIncident.objects.filter(change__in=rows).values_list("change_id", flat=True))
    changes = [
        indicators.ChangeFacts(
            id=pk,
            requested_at=created,
            emergency=kind == ChangeType.EMERGENCY,
            implemented_at=actual_end,
            reviewed_at=reviewed if outcome else None,
            successful=(outcome in SUCCESSFUL_OUTCOMES) if outcome else None,
            incidents_caused=caused.get(pk, 0),
            unauthorised_at=indicators.implemented_without_authorisation(kind, steps.get(pk, ())),
        )
        for pk, kind, created, actual_end, reviewed, outcome in rows.values_list(
            "pk", "type", "created_at", "actual_end", "reviewed_at", "outcome"
        )
    ]
    return ChangeKpiFacts(changes=changes)


def _changes(*, user, period, ids):
    return change_list(user=user).filter(pk__in=ids)


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def register() -> None:
    """Register the loader, the record kind and the four sources (once, from `ChangesConfig.ready()`)."""
    if registry.find(indicators.CHANGE_SUCCESS_RATE) is not None:
        return
    registry.register_loader(Loader(LOADER, load_change_facts, ChangeKpiFacts))
    registry.register_record_kind(
        RecordKind(
            RECORD_CHANGE,
            _("Changes"),
            _changes,
            ("created_at", "pk"),
            lambda r: {
                "id": r.pk,
                "number": r.number,
                "title": r.title,
                "type": r.type,
                "status": r.status,
                "outcome": r.outcome,
                "requested_at": r.created_at.isoformat(),
                "implemented_at": _iso(r.actual_end),
                "reviewed_at": _iso(r.reviewed_at),
            },
            "changes/partials/records/change.html",
        )
    )
    for source in SOURCES:
        registry.register(source)


SOURCES = (
    process_source(
        owner=OWNER,
        loader=LOADER,
        code=indicators.CHANGE_SUCCESS_RATE,
        unit=Unit.PERCENT,
        higher_is_better=True,
        label=_("Change success rate (%)"),
        short_label=_("Change success rate"),
        definition=_(
            "The vendor's changes reviewed in the period whose outcome was successful or successful with issues, "
            "as a share of its changes reviewed in the period (failed and backed-out changes count against it)."
        ),
        record_kind=RECORD_CHANGE,
        formula=indicators.change_success_rate,
        facts="changes",
    ),
    process_source(
        owner=OWNER,
        loader=LOADER,
        code=indicators.EMERGENCY_CHANGE_SHARE,
        unit=Unit.PERCENT,
        higher_is_better=False,
        label=_("Emergency-change share (%)"),
        short_label=_("Emergency-change share"),
        definition=_(
            "The vendor's emergency changes requested in the period, as a share of all its changes requested in "
            "the period."
        ),
        record_kind=RECORD_CHANGE,
        formula=indicators.emergency_change_share,
        facts="changes",
    ),
    process_source(
        owner=OWNER,
        loader=LOADER,
        code=indicators.CHANGES_CAUSING_INCIDENTS,
        unit=Unit.PERCENT,
        higher_is_better=False,
        label=_("Changes causing incidents (%)"),
        short_label=_("Changes causing incidents"),
        definition=_(
            "The vendor's changes whose implementation finished in the period with at least one incident linked as "
            "caused by them, as a share of its changes whose implementation finished in the period."
        ),
        record_kind=RECORD_CHANGE,
        formula=indicators.changes_causing_incidents,
        facts="changes",
    ),
    process_source(
        owner=OWNER,
        loader=LOADER,
        code=indicators.UNAUTHORISED_CHANGES,
        unit=Unit.COUNT,
        higher_is_better=False,
        label=_("Unauthorised changes"),
        short_label=_("Unauthorised changes"),
        definition=_(
            "The vendor's normal and emergency changes that entered implementation in the period before they were "
            "authorised (read from the change's timeline; standard changes are pre-approved)."
        ),
        record_kind=RECORD_CHANGE,
        formula=indicators.unauthorised_changes,
        facts="changes",
    ),
)
