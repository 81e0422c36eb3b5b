"""Template helpers of the contract pages."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import gettext

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


@register.filter
def score_range(upper, lower=None) -> str:
    """A score band in words, never interval notation: "from 80 to under 90 points" / "80 分及以上、不足 90 分".

    ``{{ band.upper|score_range:band.lower }}``; a band without a lower edge (or from 0) is "under 80 points"."""
    upper_text = format(plain_decimal(Decimal(str(upper))), "f")
    if lower is None or Decimal(str(lower)) == 0:
        return gettext("under %(upper)s points") % {"upper": upper_text}
    lower_text = format(plain_decimal(Decimal(str(lower))), "f")
    return gettext("from %(lower)s to under %(upper)s points") % {"lower": lower_text, "upper": upper_text}
