"""Stock arithmetic with plain numbers (no Django): what to order, when stock is low, and the balance of a
ledger. The services keep a balance row per item × location; :func:`ledger_balance` is the specification it
must always equal (tests rebuild the balances from the ledger and compare)."""

from __future__ import annotations

from collections.abc import Iterable


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
