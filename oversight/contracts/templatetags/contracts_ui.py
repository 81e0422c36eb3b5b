"""Template helpers of the contract pages."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


def plain_decimal(value: Decimal) -> Decimal:
    """A Decimal without trailing zeros and never in exponent form (100.0000 -> 100, 0.5000 -> 0.5)."""
    return Decimal(format(value.normalize(), "f"))


@register.filter
def plain(value):
    """Show a number without trailing zeros (95.0000 -> 95, 0.5000 -> 0.5); anything else unchanged."""
    if isinstance(value, Decimal) and value.is_finite():
        return format(plain_decimal(value), "f")
    return value
