"""One FilterSet for problem lists (the API list and the HTML list), one for known errors."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from oversight.catalog.choices import Priority
from oversight.catalog.models import Service
from oversight.catalog.selectors import service_list
from oversight.core.listing import ListFilterSet
from oversight.problems.choices import ProblemStatus
from oversight.problems.models import KnownError, Problem
from oversight.tenancy.models import Vendor
from oversight.tenancy.selectors import vendor_list


class ProblemFilter(ListFilterSet):
    """Filter problems by a text (number or title), status, priority, service and vendor (the user's own)."""

    q = django_filters.CharFilter(label=_("Number or title"), method="filter_text")
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=ProblemStatus.choices)
    priority = django_filters.MultipleChoiceFilter(label=_("Priority"), choices=Priority.choices)
    service = django_filters.ModelChoiceFilter(label=_("Service"), queryset=Service.objects.none())
    vendor = django_filters.ModelChoiceFilter(label=_("Vendor"), queryset=Vendor.objects.none())

    class Meta:
        model = Problem
        fields = ["q", "status", "priority", "service", "vendor"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        request = kwargs.get("request")
        user = user or getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self.filters["service"].queryset = service_list(user=user)
            self.filters["vendor"].queryset = vendor_list(user=user)

    def filter_text(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(Q(number__icontains=value) | Q(title__icontains=value))


class KnownErrorFilter(ListFilterSet):
    """Filter known errors by service and vendor (the text search ranks them instead: see the views)."""

    service = django_filters.ModelChoiceFilter(label=_("Service"), queryset=Service.objects.none())
    vendor = django_filters.ModelChoiceFilter(label=_("Vendor"), queryset=Vendor.objects.none())

    class Meta:
        model = KnownError
        fields = ["service", "vendor"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        request = kwargs.get("request")
        user = user or getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self.filters["service"].queryset = service_list(user=user)
            self.filters["vendor"].queryset = vendor_list(user=user)
