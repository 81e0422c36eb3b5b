"""The base of every FilterSet: whole numbers within the database's 64-bit integer range.

django-filter's ``NumberFilter`` parses a ``Decimal``: ``?vendor=99999999999999999999`` or ``?vendor=1e99`` reached
the database and SQLite raised ``OverflowError`` (a 500). Every FilterSet derives from :class:`FilterSet` below,
which parses each number filter on an integer column with :class:`Int64Field`, so such input is a 400 that says
what is wrong (and ``1.5`` is no longer silently read as 1). A filter that takes several objects by id
(``?vendor=1&vendor=2``) refuses an id past 64 bits the same way, before it reaches the database.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django_filters.fields import ModelMultipleChoiceField
from django_filters.utils import get_model_field

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1


class Int64Field(forms.IntegerField):
    """A whole number that fits a signed 64-bit database integer."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", INT64_MIN)
        kwargs.setdefault("max_value", INT64_MAX)
        super().__init__(**kwargs)


class IntegerFilter(django_filters.NumberFilter):
    """A filter on an integer column (ids, years): a whole number within 64 bits."""

    field_class = Int64Field


class Int64ModelMultipleChoiceField(ModelMultipleChoiceField):
    """Several objects chosen by id, where an id that is not a 64-bit whole number is an invalid choice."""

    def _check_values(self, value):
        if not self.to_field_name and isinstance(self.queryset.model._meta.pk, models.IntegerField):
            for pk in value if isinstance(value, list | tuple) else ():
                if parse_id(pk) is None and pk != self.null_value:
                    raise forms.ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                    )
        return super()._check_values(value)


def _is_decimal(model, filter_: django_filters.Filter) -> bool:
    """Whether a number filter compares a decimal or float column (the only ones that may keep decimals)."""
    if filter_.lookup_expr not in ("exact", "gt", "gte", "lt", "lte", "in", "range"):
        return False  # a transform such as __year yields an integer
    try:
        field = get_model_field(model, filter_.field_name)
    except FieldDoesNotExist:
        return False
    return isinstance(field, models.DecimalField | models.FloatField)


class FilterSet(django_filters.FilterSet):
    """The FilterSet every list uses: number filters on integer columns become :class:`IntegerFilter` fields, and
    filters choosing several objects by id read only ids within 64 bits."""

    @classmethod
    def get_filters(cls):
        filters = super().get_filters()
        model = cls._meta.model
        for filter_ in filters.values():
            if type(filter_) is django_filters.NumberFilter and not (model and _is_decimal(model, filter_)):
                filter_.field_class = Int64Field
            elif type(filter_) is django_filters.ModelMultipleChoiceFilter:
                filter_.field_class = Int64ModelMultipleChoiceField
        return filters


def parse_id(value) -> int | None:
    """An object id read from request input: ASCII digits naming 1 … 2**63-1, else None.

    ``str.isdigit()`` alone let "²" (int() fails) and ids past 64 bits (a foreign-key filter overflows SQLite)
    through to a 500."""
    text = str(value if value is not None else "").strip()
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 1 <= number <= INT64_MAX else None
