"""Money helpers: Decimal only, one rounding rule (ROUND_HALF_UP to the cent), one way to write an amount.

- :func:`format_money` is the one way an amount becomes text (pages, lists, statement lines, PDFs): thousands
  separators, two decimals and, when the currency is given, its symbol in the reader's language
  (¥466,585.00 for a Chinese reader, CN¥466,585.00 for an English one, as in CLDR).
- :func:`money_number_format` is the same for a spreadsheet cell: the cell keeps the exact number and Excel
  shows it with the separators and the symbol.
- :func:`rmb_in_words` writes an amount in Chinese capitals (大写金额) as the payment rules require on a
  statement, e.g. 人民币肆拾陆万陆仟伍佰捌拾伍元整.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import get_language

from oversight.core.rounding import round_money

# Symbols per language (CLDR's short symbols); a currency missing here is written with its ISO code.
_SYMBOLS = {
    "zh": {"CNY": "¥", "USD": "US$", "EUR": "€", "GBP": "£", "HKD": "HK$", "JPY": "JP¥", "TWD": "NT$", "MOP": "MOP$"},
    "en": {"CNY": "CN¥", "USD": "$", "EUR": "€", "GBP": "£", "HKD": "HK$", "JPY": "¥", "TWD": "NT$", "MOP": "MOP$"},
}


def currency_symbol(currency: str) -> str:
    """The symbol of an ISO 4217 currency for the active language ("¥" for CNY in Chinese), else the code itself."""
    language = "en" if (get_language() or "").startswith("en") else "zh"
    return _SYMBOLS[language].get((currency or "").upper(), (currency or "").upper())


def format_money(value: Decimal | str | int | None, currency: str = "") -> str:
    """An amount with thousands separators and two decimals, with the currency's symbol when one is given.

    ``format_money(Decimal("466585"), "CNY")`` is "¥466,585.00" for a Chinese reader and "CN¥466,585.00" for an
    English one; a currency without a symbol is written "CHF 1,234.50"; without a currency "466,585.00". An em
    dash for None or for text that is not a number. The same text on pages, PDFs, lists and statement lines.
    """
    if value is None or value == "":
        return "—"
    try:
        amount = round_money(Decimal(value))
    except (InvalidOperation, TypeError, ValueError):
        return "—"
    number = f"{abs(amount):,.2f}"
    sign = "-" if amount < 0 else ""
    if not currency:
        return sign + number
    symbol = currency_symbol(currency)
    if symbol.isalpha():  # an ISO code: separated by a space
        return f"{sign}{symbol} {number}"
    return f"{sign}{symbol}{number}"


def money_number_format(currency: str = "") -> str:
    """The Excel number format of an amount cell: separators, two decimals, the currency's symbol when given."""
    if not currency:
        return "#,##0.00"
    symbol = currency_symbol(currency).replace('"', "")
    prefix = f'"{symbol} "' if symbol.isalpha() else f'"{symbol}"'
    return f"{prefix}#,##0.00;-{prefix}#,##0.00"


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_PLACES = ("", "拾", "佰", "仟")
_GROUPS = ("", "万", "亿", "万亿")


def _group_words(group: int) -> str:
    """0 < group < 10000 in capitals, one 零 for each run of inner zeros, none at the end (e.g. 1009: 壹仟零玖)."""
    digits = f"{group:04d}"
    words = ""
    pending_zero = False
    for index, ch in enumerate(digits):
        if ch == "0":
            pending_zero = bool(words)
            continue
        if pending_zero:
            words += "零"
            pending_zero = False
        words += _DIGITS[int(ch)] + _PLACES[3 - index]
    return words


def rmb_in_words(value: Decimal | str | int) -> str:
    """An amount of renminbi in Chinese capitals (大写金额), following the rules for writing bills and vouchers.

    Rounded to the fen first. Examples: 466585 → 人民币肆拾陆万陆仟伍佰捌拾伍元整; 1409.50 → 人民币壹仟肆佰零玖元伍角;
    6007.14 → 人民币陆仟零柒元壹角肆分; 325.04 → 人民币叁佰贰拾伍元零肆分; 0.56 → 人民币伍角陆分; 16 → 人民币壹拾陆元整.
    "整" follows an amount that ends at 元 (after 角 it may be left out, and is); a zero jiao before fen is 零;
    each run of zeros inside the yuan is one 零, and a group (万, 亿) that starts with zeros after a higher group
    is preceded by 零 (100500 → 壹拾万零伍佰元整). A negative amount starts with 负.
    """
    amount = round_money(Decimal(value))
    sign = "负" if amount < 0 else ""
    fen_total = int(abs(amount) * 100)
    yuan, cents = divmod(fen_total, 100)
    jiao, fen = divmod(cents, 10)
    words = ""
    if yuan:
        groups = []
        rest = yuan
        while rest:
            rest, group = divmod(rest, 10000)
            groups.append(group)
        if len(groups) > len(_GROUPS):
            raise ValueError("amount too large to write in words")
        for index in range(len(groups) - 1, -1, -1):
            group = groups[index]
            if not group:
                continue
            if words and (group < 1000 or not groups[index + 1]):
                words += "零"
            words += _group_words(group) + _GROUPS[index]
        words += "元"
    if not cents:
        return f"人民币{sign}{words or '零元'}整"
    if jiao:
        words += _DIGITS[jiao] + "角"
    elif yuan:
        words += "零"
    if fen:
        words += _DIGITS[fen] + "分"
    return f"人民币{sign}{words}"
