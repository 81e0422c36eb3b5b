"""One FilterSet for change lists: type, status, implementing vendor, affected service, risk, the planned start
between two dates (in the reader's zone) and a text searched in the number and the title."""

from __future__ import annotations

import datetime as dt

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oversight.catalog.models import Service
from oversight.catalog.selectors import service_list
from oversight.changes.choices import ChangeStatus, ChangeType, RiskLevel
from oversight.changes.models import Change
from oversight.core.listing import ListFilterSet
from oversight.tenancy.models import Vendor
from oversight.tenancy.selectors import vendor_list


def _day_start(day: dt.date) -> dt.datetime:
    """Midnight of the day in the reader's zone (the active one)."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


class ChangeFilter(ListFilterSet):
    """Filter changes by text (number or title), type, status, vendor, service, risk and planned start."""

    q = django_filters.CharFilter(label=_("Number or title"), method="filter_text")
    type = django_filters.MultipleChoiceFilter(label=_("Type"), choices=ChangeType.choices)
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=ChangeStatus.choices)
    implementer = django_filters.ModelChoiceFilter(label=_("Vendor"), queryset=Vendor.objects.none())
    service = django_filters.ModelChoiceFilter(
        label=_("Service"), queryset=Service.objects.none(), field_name="services", distinct=True
    )
    risk = django_filters.MultipleChoiceFilter(label=_("Risk"), choices=RiskLevel.choices, field_name="risk_level")
    planned_from = django_filters.DateFilter(label=_("Planned start from"), method="filter_from")
    planned_to = django_filters.DateFilter(label=_("Planned start until"), method="filter_to")

    class Meta:
        model = Change
        fields = ["q", "type", "status", "implementer", "service", "risk", "planned_from", "planned_to"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        request = kwargs.get("request")
        user = user or getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self.filters["service"].queryset = service_list(user=user)
            self.filters["implementer"].queryset = vendor_list(user=user)

    def filter_text(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(Q(number__icontains=value) | Q(title__icontains=value))

    def filter_from(self, queryset, name, value):
        return queryset.filter(planned_start__gte=_day_start(value))

    def filter_to(self, queryset, name, value):
        if value >= dt.date.max:
            return queryset.filter(planned_start__isnull=False)  # "until the end of time"
        return queryset.filter(planned_start__lt=_day_start(value + dt.timedelta(days=1)))
