"""What every list page shares: sortable column headers over an allowlist of keys, and real filter controls.

Sorting: a list declares its keys (`{"number": ("number",), "vendor": ("vendor__name",)}`) and a default order;
`sort_list` reads `?sort=key` or `?sort=-key`, ignores anything else (an unknown key is the default order, never
an error) and always ends with the primary key, so pages never repeat or skip a row. `{% sort_header %}`
(`oversight_ui`) draws the header link with `aria-sort`. A list computed in Python (rows that are not a queryset)
sorts the same way with `sort_rows`, whose keys are functions of a row.

Filters: a FilterSet built on `ListFilterSet` gets a form whose multiple choices are checkboxes in a
disclosure (`ChoiceDropdown`, pure HTML, no script), whose single choices offer "All" instead of "---------",
whose yes/no filters read All/Yes/No and whose times are native date-time inputs. The template
`includes/list_filters.html` renders any such form the same way on every list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from oversight.core.filters import FilterSet

SORT_PARAM = "sort"
ALL_LABEL = _("All")


@dataclass(frozen=True)
class Sorting:
    """The order a list is shown in: the chosen key (None for the list's default) and its direction."""

    key: str | None = None
    descending: bool = False

    @property
    def value(self) -> str:
        """The `?sort=` value that reproduces this order ("" for the default)."""
        if self.key is None:
            return ""
        return f"-{self.key}" if self.descending else self.key


def parse_sort(raw: str | None, keys: Mapping[str, Sequence[str]]) -> Sorting:
    """The requested order when its key is allowed, else the default (never an error)."""
    raw = (raw or "").strip()
    descending = raw.startswith("-")
    key = raw[1:] if descending else raw
    if key not in keys:
        return Sorting()
    return Sorting(key=key, descending=descending)


def sort_list(queryset, request, *, keys: Mapping[str, Sequence[str]], default: Sequence) -> tuple:
    """Order `queryset` by `?sort=` (allowed keys only, empty values last, then the primary key) or `default`."""
    sorting = parse_sort(request.GET.get(SORT_PARAM), keys)
    if sorting.key is None:
        return queryset.order_by(*default), sorting
    order = [
        F(name).desc(nulls_last=True) if sorting.descending else F(name).asc(nulls_last=True)
        for name in keys[sorting.key]
    ]
    order.append("-pk" if sorting.descending else "pk")
    return queryset.order_by(*order), sorting


def sort_rows(rows: Iterable, request, *, keys: Mapping[str, Callable]) -> tuple[list, Sorting]:
    """Rows computed in Python ordered by `?sort=` (allowed keys only; a key's function reads the value of a row,
    rows without a value (None) last both ways, ties in their given order), or in their given order."""
    rows = list(rows)
    sorting = parse_sort(request.GET.get(SORT_PARAM), keys)
    if sorting.key is None:
        return rows, sorting
    value = keys[sorting.key]
    present = [row for row in rows if value(row) is not None]
    missing = [row for row in rows if value(row) is None]
    present.sort(key=value, reverse=sorting.descending)  # stable both ways
    return present + missing, sorting


class ChoiceDropdown(forms.CheckboxSelectMultiple):
    """Several choices as checkboxes inside a disclosure whose summary names what is chosen, or "All"."""

    template_name = "core/widgets/choice_dropdown.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = [
            str(option["label"])
            for _group, options, _index in context["widget"]["optgroups"]
            for option in options
            if option["selected"]
        ]
        context["widget"]["summary"] = ", ".join(chosen) if chosen else str(ALL_LABEL)
        context["widget"]["chosen_count"] = len(chosen)
        return context


class AnyYesNoWidget(django_filters.widgets.BooleanWidget):
    """All / yes / no (django-filter's default calls "no filter" "Unknown", which reads as a value of its own)."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", ALL_LABEL), ("true", _("Yes")), ("false", _("No"))]


def adapt_filter_field(field: forms.Field) -> None:
    """Give one filter field the shared control for its kind (see the module docstring)."""
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        widget = ChoiceDropdown(attrs=field.widget.attrs)
        widget.choices = field.choices
        field.widget = widget
    elif isinstance(field, forms.ModelChoiceField) or hasattr(field, "empty_label"):
        field.empty_label = ALL_LABEL  # the choice iterators read it lazily;
        field.widget.choices = field.choices  # the widget's copy still points at the declared field
    elif isinstance(field, forms.NullBooleanField):
        field.widget = AnyYesNoWidget()
    elif isinstance(field, forms.DateTimeField):
        field.widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    elif isinstance(field, forms.DateField):
        field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def adapt_filter_form(form: forms.BaseForm) -> forms.BaseForm:
    """Every field of a filter form with the shared control (for filter forms that are not FilterSets)."""
    for field in form.fields.values():
        adapt_filter_field(field)
    return form


class ListFilterSet(FilterSet):
    """The core FilterSet (64-bit whole numbers) whose HTML form uses the shared list controls."""

    @property
    def form(self):
        if not hasattr(self, "_form"):
            adapt_filter_form(super().form)
        return self._form
