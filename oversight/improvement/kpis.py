"""The improvement indicators, registered in `oversight.core.kpis` (imported from `ImprovementConfig.ready()`).

One loader (``improvement``) reads the vendor's items closed in the window with their latest measurement's
outcome and their benefit amount; the formulas are the pure functions of :mod:`oversight.improvement.indicators`
(docs/formulas.md §"Continuous improvement"). The records behind a figure are the items, listed through the gate.
"""

from __future__ import annotations

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from oversight.core.kpis import SCHEME, Dimension, Loader, RecordKind, Scope, Source, Unit, registry
from oversight.improvement import indicators
from oversight.improvement.choices import ItemStatus
from oversight.improvement.models import EffectMeasurement, ImprovementItem
from oversight.improvement.selectors import item_list
from oversight.kpi.facts import Period

OWNER = "improvement"
LOADER = "improvement"
RECORD_ITEM = "improvement_item"


def load_improvement_facts(scope: Scope, period: Period) -> list[indicators.ItemFacts]:
    """The vendor's items closed in the period, with their latest measurement's target outcome and benefit."""
    latest = EffectMeasurement.objects.filter(item=OuterRef("pk")).order_by("-measured_at", "-id")
    rows = (
        ImprovementItem.objects.filter(
            organisation_id=scope.organisation_id,
            vendor_id=scope.vendor_id,
            status=ItemStatus.CLOSED,
            closed_at__gte=period.start,
            closed_at__lt=period.end,
        )
        .annotate(met=Subquery(latest.values("target_met")[:1]))
        .order_by("closed_at", "pk")
        .values_list("pk", "closed_at", "met", "benefit_amount")
    )
    return [indicators.ItemFacts(pk, closed_at, met, amount) for pk, closed_at, met, amount in rows]


def _items(*, user, period, ids):
    return item_list(user=user).filter(pk__in=ids)


def register() -> None:
    """Register the loader, the record kind and the two sources (once, from `ImprovementConfig.ready()`)."""
    if registry.find(indicators.DELIVERED) is not None:
        return
    registry.register_loader(Loader(LOADER, load_improvement_facts, list))
    registry.register_record_kind(
        RecordKind(
            RECORD_ITEM,
            _("Improvements"),
            _items,
            ("closed_at", "pk"),
            lambda r: {"id": r.pk, "number": r.number, "title": r.title, "status": r.status},
            "improvement/partials/records/item.html",
        )
    )
    for source in SOURCES:
        registry.register(source)


SOURCES = (
    Source(
        code=indicators.DELIVERED,
        dimension=Dimension.PROCESSES,
        unit=Unit.PERCENT,
        higher_is_better=True,
        label=_("Improvements delivered with their target met (%)"),
        short_label=_("Improvements delivered"),
        definition=_(
            "Of the vendor's improvement items closed in the period, the share whose latest effect measurement met "
            "its target; an item closed without a measured target counts in the denominator only."
        ),
        record_kind=RECORD_ITEM,
        loader=LOADER,
        compute=lambda f, w: indicators.delivered(f),
        uses=frozenset({SCHEME}),
        owner=OWNER,
    ),
    Source(
        code=indicators.BENEFIT,
        dimension=Dimension.PROCESSES,
        unit=Unit.POINTS,
        higher_is_better=True,
        label=_("Benefit realised by improvements (amount)"),
        short_label=_("Benefit realised"),
        definition=_(
            "The sum of the benefit amounts recorded on the vendor's improvement items closed in the period, in the "
            "contract currency (items without an amount add nothing)."
        ),
        record_kind=RECORD_ITEM,
        loader=LOADER,
        compute=lambda f, w: indicators.benefit(f),
        uses=frozenset({SCHEME}),
        owner=OWNER,
    ),
)
