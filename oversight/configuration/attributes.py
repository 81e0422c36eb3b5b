"""The one check of a configuration item's typed attributes against its class's definitions.

A class defines attributes (code, type, required, choices); a CI stores its values as JSON. Values arrive as
typed Python values (the API) or as text (forms, imports); :func:`clean_attributes` turns them into the
stored JSON form — text, integers, decimals as strings (exact), dates as ISO strings, booleans, one of the
choices — or raises `AttributeErrors` naming every attribute that is wrong, and refuses codes the class does
not define.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _

from oversight.configuration.choices import AttributeType

TRUE_WORDS = frozenset({"true", "yes", "y", "1", "是", "on"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "否", "off"})


@dataclass(frozen=True)
class AttributeSpec:
    """What one attribute accepts (built from a `CIAttributeDefinition` row, or by hand in tests)."""

    code: str
    type: str
    required: bool = False
    choices: tuple[str, ...] = ()


class AttributeErrors(ValueError):
    """Some attribute values are wrong: ``errors`` maps each attribute code to its message."""

    def __init__(self, errors: Mapping[str, Any]):
        super().__init__("; ".join(f"{code}: {message}" for code, message in errors.items()))
        self.errors = dict(errors)


def _empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def clean_value(spec: AttributeSpec, value):
    """One value in its stored JSON form; raises ValueError with a readable message when it does not fit."""
    if spec.type == AttributeType.TEXT:
        return str(value).strip()
    if spec.type == AttributeType.INTEGER:
        if isinstance(value, bool):
            raise ValueError(_("Enter a whole number."))
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation as exc:
            raise ValueError(_("Enter a whole number.")) from exc
        if number != number.to_integral_value():
            raise ValueError(_("Enter a whole number."))
        return int(number)
    if spec.type == AttributeType.DECIMAL:
        if isinstance(value, bool):
            raise ValueError(_("Enter a number."))
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation as exc:
            raise ValueError(_("Enter a number.")) from exc
        if not number.is_finite():
            raise ValueError(_("Enter a number."))
        return str(number)
    if spec.type == AttributeType.DATE:
        if isinstance(value, dt.datetime):
            raise ValueError(_("Enter a date as YYYY-MM-DD."))
        if isinstance(value, dt.date):
            return value.isoformat()
        try:
            return dt.date.fromisoformat(str(value).strip()).isoformat()
        except ValueError as exc:
            raise ValueError(_("Enter a date as YYYY-MM-DD.")) from exc
    if spec.type == AttributeType.BOOLEAN:
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValueError(_("Enter yes or no."))
    if spec.type == AttributeType.CHOICE:
        text = str(value).strip()
        if text not in spec.choices:
            raise ValueError(_("Choose one of: %(choices)s.") % {"choices": ", ".join(spec.choices)})
        return text
    raise ValueError(_("Unknown attribute type."))


def clean_attributes(specs: Iterable[AttributeSpec], values: Mapping[str, Any] | None) -> dict:
    """The values in their stored form, only the defined codes, empty ones dropped; raises `AttributeErrors`."""
    by_code = {spec.code: spec for spec in specs}
    values = dict(values or {})
    errors: dict[str, Any] = {}
    cleaned: dict[str, Any] = {}
    for code in values:
        if code not in by_code:
            errors[code] = _("This class has no such attribute.")
    for code, spec in by_code.items():
        value = values.get(code)
        if _empty(value):
            if spec.required:
                errors[code] = _("This attribute is required.")
            continue
        try:
            cleaned[code] = clean_value(spec, value)
        except ValueError as exc:
            errors[code] = exc.args[0] if exc.args else _("Invalid value.")
    if errors:
        raise AttributeErrors(errors)
    return cleaned
