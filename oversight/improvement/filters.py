"""One FilterSet for the improvement register (the HTML list, the export and the API list)."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from oversight.core.listing import ListFilterSet
from oversight.improvement.choices import ItemStatus, Priority, SourceKind
from oversight.improvement.forms import people
from oversight.improvement.models import ImprovementItem
from oversight.tenancy.models import User, Vendor
from oversight.tenancy.selectors import vendor_list


class ItemFilter(ListFilterSet):
    """Filter items by text, state, vendor, source, owner and priority."""

    q = django_filters.CharFilter(label=_("Number or title"), method="filter_text")
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=ItemStatus.choices)
    vendor = django_filters.ModelChoiceFilter(label=_("Vendor"), queryset=Vendor.objects.none())
    source_kind = django_filters.MultipleChoiceFilter(label=_("Source"), choices=SourceKind.choices)
    owner = django_filters.ModelChoiceFilter(label=_("Owner"), queryset=User.objects.none())
    priority = django_filters.MultipleChoiceFilter(label=_("Priority"), choices=Priority.choices)

    class Meta:
        model = ImprovementItem
        fields = ["q", "status", "vendor", "source_kind", "owner", "priority"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        request = kwargs.get("request")
        self.user = user or getattr(request, "user", None)
        if self.user is not None and self.user.is_authenticated:
            self.filters["owner"].queryset = people(self.user)
            self.filters["vendor"].queryset = vendor_list(user=self.user).order_by("name")

    def filter_text(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(Q(number__icontains=value) | Q(title__icontains=value) | Q(title_en__icontains=value))
