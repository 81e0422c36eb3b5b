"""Money helpers: Decimal only, one rounding rule (ROUND_HALF_UP to the cent), one way to write an amount."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def round_money(value: Decimal) -> Decimal:
    """Round a Decimal amount to cents, half up (the documented rule for every money figure)."""
    if not isinstance(value, Decimal):
        raise TypeError("money must be Decimal, never float")
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def format_money(value: Decimal | str | None) -> str:
    """An amount with thousands separators and two decimals (e.g. 120,000.00); an em dash for None.

    The same text on pages, PDFs and spreadsheets of statements, reports and the dashboard.
    """
    if value is None:
        return "—"
    return f"{Decimal(value):,.2f}"
