"""One FilterSet for contract lists: the API list and the HTML list."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from oversight.contracts.choices import ContractStatus
from oversight.contracts.models import Contract
from oversight.core.listing import ListFilterSet
from oversight.tenancy.models import Vendor
from oversight.tenancy.selectors import vendor_list


class ContractFilter(ListFilterSet):
    """Filter contracts by vendor, status and a text (number or title); the vendor choices are the user's."""

    q = django_filters.CharFilter(label=_("Number or title"), method="filter_text")
    vendor = django_filters.ModelChoiceFilter(label=_("Vendor"), queryset=Vendor.objects.none())
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=ContractStatus.choices)

    class Meta:
        model = Contract
        fields = ["q", "vendor", "status"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        request = kwargs.get("request")
        user = user or getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self.filters["vendor"].queryset = vendor_list(user=user)

    def filter_text(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(Q(number__icontains=value) | Q(title__icontains=value))
