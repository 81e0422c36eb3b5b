"""The one rounding rule for money (ROUND_HALF_UP to the cent), pure: the fee calculation (``oversight.fees``)
uses it and must import no framework, so it does not live beside the language-aware formatting in ``core.money``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def round_money(value: Decimal) -> Decimal:
    """Round a Decimal amount to cents, half up (the documented rule for every money figure)."""
    if not isinstance(value, Decimal):
        raise TypeError("money must be Decimal, never float")
    return value.quantize(CENT, rounding=ROUND_HALF_UP)
