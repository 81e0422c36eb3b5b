"""Stock arithmetic with plain numbers (no Django): what to order, when stock is low, and the balance of a
ledger. The services keep a balance row per item × location; :func:`ledger_balance` is the specification it
must always equal (tests rebuild the balances from the ledger and compare). :func:`stock_out_count` is the
formula of the stock-out indicator (registered in ``parts.kpis``); :func:`consumption` sums what a vendor's work
orders used, per part and unit price, for the service report and the settlement's unit-rate charges."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from oversight.kpi import IndicatorResult, Period


def to_order(*, target: int, on_hand: int, on_order: int) -> int:
    """How many to order to reach the target stock: max(0, target − on hand − on order)."""
    return max(0, target - on_hand - on_order)


def is_low(*, on_hand: int, reorder_point: int) -> bool:
    """Stock is low when a reorder point is set (above 0) and on hand has fallen to it or below."""
    return reorder_point > 0 and on_hand <= reorder_point


def ledger_balance(changes: Iterable[tuple[int, int]]) -> tuple[int, int]:
    """(on hand, on order) of one item × location: the sums of the on-hand and on-order changes of its rows."""
    on_hand = on_order = 0
    for hand, order in changes:
        on_hand += hand
        on_order += order
    return on_hand, on_order


def receipt_settles(*, received: int, on_order: int) -> int:
    """How much of what is on order a receipt of ``received`` units settles (never more than is on order)."""
    return min(received, max(on_order, 0))


@dataclass(frozen=True, slots=True)
class LedgerRow:
    """One stock ledger row as the stock-out count reads it (in ledger order: ascending ``id``)."""

    id: int
    item_id: int
    location_id: int
    at: datetime
    quantity: int


STOCK_OUT_COUNT = "stock_out_count"


def stock_out_count(rows: Iterable[LedgerRow], period: Period) -> IndicatorResult:
    """Stock-outs (缺货次数) = ledger rows in the period that took stock (quantity < 0: a use, a transfer out or a
    negative adjustment) and left their item × location with 0 on hand.

    ``rows`` are every row of the vendor's parts up to the period's end, so the balance before the period is
    known; on hand after a row is the sum of its item × location's quantities up to and including it, in ledger
    order. A count: 0 when nothing ran out, never None. Records: the rows that emptied the stock."""
    balances: dict[tuple[int, int], int] = {}
    ids = []
    for row in sorted(rows, key=lambda r: r.id):
        key = (row.item_id, row.location_id)
        balances[key] = balances.get(key, 0) + row.quantity
        if row.quantity < 0 and balances[key] == 0 and period.contains(row.at):
            ids.append(row.id)
    n = Decimal(len(ids))
    return IndicatorResult(STOCK_OUT_COUNT, "count", n, None, n, tuple(ids), ())


@dataclass(frozen=True, slots=True)
class UseRow:
    """A use (quantity < 0) or a return (quantity > 0) of a part on a work order, as the consumption reads it."""

    item_id: int
    code: str
    unit_price: Decimal
    quantity: int
    work_order: str


@dataclass(frozen=True, slots=True)
class Consumption:
    """What the work orders used of one part at one unit price: net units, the unit price, the total and the work
    orders (by number, sorted)."""

    item_id: int
    code: str
    unit_price: Decimal
    units: int
    work_orders: tuple[str, ...]

    @property
    def total(self) -> Decimal:
        """units × unit price (exact: prices have two decimal places and units are whole)."""
        return self.unit_price * self.units


def consumption(rows: Iterable[UseRow]) -> list[Consumption]:
    """Net use per part and unit price: units = −(sum of the rows' on-hand changes), so a return cancels a use of
    the same part at the same price. Parts whose uses were all returned (units ≤ 0) are left out; a work order is
    named when it has a row of that part and price. Sorted by part code, then unit price."""
    units: dict[tuple[int, str, Decimal], int] = {}
    orders: dict[tuple[int, str, Decimal], set[str]] = {}
    for row in rows:
        key = (row.item_id, row.code, Decimal(row.unit_price))
        units[key] = units.get(key, 0) - row.quantity
        orders.setdefault(key, set()).add(row.work_order)
    return [
        Consumption(item_id, code, price, n, tuple(sorted(orders[(item_id, code, price)])))
        for (item_id, code, price), n in sorted(units.items(), key=lambda kv: (kv[0][1], kv[0][2], kv[0][0]))
        if n > 0
    ]
