"""The indicator the spare parts give: stock-outs of a vendor's parts (imported from `PartsConfig.ready()`).

The formula is the pure `parts.calc.stock_out_count`; the loader reads the vendor's ledger rows up to the
period's end (the balance before the period is needed to know when a row empties the stock)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from oversight.core.kpis import SCHEME, Dimension, Loader, RecordKind, Scope, Source, Unit, registry
from oversight.kpi import Period
from oversight.parts import calc, selectors
from oversight.parts.models import StockMovement

LEDGER = "parts.ledger"
RECORD_MOVEMENT = "parts.movement"


def load_ledger(scope: Scope, period: Period) -> list[calc.LedgerRow]:
    """Every ledger row of the vendor's parts in the organisation written before the period's end."""
    rows = (
        StockMovement.objects.filter(
            organisation_id=scope.organisation_id, vendor_id=scope.vendor_id, at__lt=period.end
        )
        .exclude(quantity=0)
        .order_by("id")
        .values_list("id", "item_id", "location_id", "at", "quantity")
    )
    return [calc.LedgerRow(*row) for row in rows]


def _movements(*, user, period, ids):
    return selectors.movement_list(user=user).filter(pk__in=ids)


MOVEMENT_RECORDS = RecordKind(
    RECORD_MOVEMENT,
    _("Stock movements"),
    _movements,
    ("at", "pk"),
    lambda r: {
        "id": r.pk,
        "at": r.at.isoformat(),
        "kind": r.kind,
        "item": r.item.code,
        "location": r.location.code,
        "quantity": r.quantity,
        "work_order": r.work_order.number if r.work_order else None,
    },
    "parts/partials/records/movement.html",
)

STOCK_OUTS = Source(
    code=calc.STOCK_OUT_COUNT,
    dimension=Dimension.RESOURCES,
    unit=Unit.COUNT,
    higher_is_better=False,
    label=_("Stock-outs (count)"),
    short_label=_("Stock-outs"),
    definition=_(
        "Times in the period a part of the vendor ran out at a stock location: ledger rows (a use, a "
        "transfer out or a negative adjustment) that left the part's stock there at 0 on hand. A count: "
        "zero when nothing ran out."
    ),
    record_kind=RECORD_MOVEMENT,
    loader=LEDGER,
    compute=lambda facts, window: calc.stock_out_count(facts, window.period),
    uses=frozenset({SCHEME}),
    owner="parts",
)


def register() -> None:
    """Register the ledger loader, the movement records and the stock-out source (once, from `AppConfig.ready`)."""
    registry.register_loader(Loader(LEDGER, load_ledger, list))
    registry.register_record_kind(MOVEMENT_RECORDS)
    registry.register(STOCK_OUTS)
