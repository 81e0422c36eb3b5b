"""One FilterSet for evaluation-period lists: the API list and the HTML list."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from oversight.contracts.models import Contract
from oversight.contracts.selectors import contract_list
from oversight.core.listing import ListFilterSet
from oversight.scorecards.choices import PeriodKind, PeriodStatus
from oversight.scorecards.models import EvaluationPeriod
from oversight.tenancy.models import Vendor
from oversight.tenancy.selectors import vendor_list


class PeriodFilter(ListFilterSet):
    """Filter periods by contract, vendor, kind, status and year; by default only current revisions."""

    contract = django_filters.ModelChoiceFilter(label=_("Contract"), queryset=Contract.objects.none())
    vendor = django_filters.ModelChoiceFilter(label=_("Vendor"), queryset=Vendor.objects.none())
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=PeriodKind.choices)
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=PeriodStatus.choices)
    year = django_filters.NumberFilter(label=_("Year"), field_name="starts_on", lookup_expr="year")
    all_revisions = django_filters.BooleanFilter(label=_("Include replaced revisions"), method="filter_revisions")

    class Meta:
        model = EvaluationPeriod
        fields = ["contract", "vendor", "kind", "status", "year", "all_revisions"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        request = kwargs.get("request")
        user = user or getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self.filters["vendor"].queryset = vendor_list(user=user)
            self.filters["contract"].queryset = contract_list(user=user)

    def filter_revisions(self, queryset, name, value):
        return queryset  # applied in `qs`: the default (no value) must hide replaced revisions too

    @property
    def qs(self):
        qs = super().qs
        if not getattr(self.form, "cleaned_data", {}).get("all_revisions"):
            qs = qs.filter(is_revised=False)
        return qs
