"""The pure stock arithmetic: to order, low stock, ledger balance, what a receipt settles."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from oversight.parts import calc


def test_to_order_fills_up_to_the_target():
    # target 10, 3 on hand, 2 on order: 10 - 3 - 2 = 5.
    assert calc.to_order(target=10, on_hand=3, on_order=2) == 5


def test_to_order_is_never_negative():
    assert calc.to_order(target=4, on_hand=3, on_order=2) == 0
    assert calc.to_order(target=0, on_hand=0, on_order=0) == 0


@given(st.integers(0, 10_000), st.integers(0, 10_000), st.integers(0, 10_000))
def test_to_order_with_what_is_ordered_reaches_at_least_the_target(target, on_hand, on_order):
    wanted = calc.to_order(target=target, on_hand=on_hand, on_order=on_order)
    assert wanted >= 0
    assert on_hand + on_order + wanted >= target
    assert wanted == 0 or on_hand + on_order + wanted == target


def test_low_at_or_below_the_reorder_point_only_when_one_is_set():
    assert calc.is_low(on_hand=2, reorder_point=2)
    assert calc.is_low(on_hand=0, reorder_point=1)
    assert not calc.is_low(on_hand=3, reorder_point=2)
    assert not calc.is_low(on_hand=0, reorder_point=0)


def test_ledger_balance_sums_both_columns():
    # receive 5 (settling 3 ordered), use 2, order 4: on hand 3, on order 3 - 3 + 4 = 4.
    assert calc.ledger_balance([(0, 3), (5, -3), (-2, 0), (0, 4)]) == (3, 4)
    assert calc.ledger_balance([]) == (0, 0)


def test_a_receipt_settles_at_most_what_is_on_order():
    assert calc.receipt_settles(received=5, on_order=3) == 3
    assert calc.receipt_settles(received=2, on_order=3) == 2
    assert calc.receipt_settles(received=2, on_order=0) == 0
