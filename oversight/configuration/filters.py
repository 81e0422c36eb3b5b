"""One FilterSet for configuration-item lists: the API list and the HTML list."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from oversight.configuration.choices import CIStatus
from oversight.configuration.models import CIClass, ConfigurationItem
from oversight.core.listing import ListFilterSet
from oversight.tenancy.models import Site, Vendor
from oversight.tenancy.selectors import vendor_list
from oversight.tenancy.visibility import restrict


class CIFilter(ListFilterSet):
    """Filter CIs by class, vendor, site and status, and search name, host name, serial and asset tag."""

    q = django_filters.CharFilter(label=_("Name, host, serial or asset tag"), method="filter_text")
    ci_class = django_filters.ModelChoiceFilter(label=_("Class"), queryset=CIClass.objects.none())
    vendor = django_filters.ModelChoiceFilter(label=_("Vendor"), queryset=Vendor.objects.none())
    site = django_filters.ModelChoiceFilter(label=_("Site"), queryset=Site.objects.none())
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=CIStatus.choices)

    class Meta:
        model = ConfigurationItem
        fields = ["q", "ci_class", "vendor", "site", "status"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        request = kwargs.get("request")
        user = user or getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self.filters["ci_class"].queryset = restrict(CIClass.objects.all(), user)
            self.filters["vendor"].queryset = vendor_list(user=user)
            self.filters["site"].queryset = restrict(Site.objects.all(), user)

    def filter_text(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(name_en__icontains=value)
            | Q(host_name__icontains=value)
            | Q(serial__icontains=value)
            | Q(asset_tag__icontains=value)
        )
