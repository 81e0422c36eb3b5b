"""One FilterSet for the risk register (the HTML list, the export and the API list) and one for mitigations."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from oversight.core.listing import ListFilterSet
from oversight.risks import selectors
from oversight.risks.choices import MitigationStatus, RiskCategory, RiskLevel, RiskStatus, Treatment
from oversight.risks.models import Mitigation, Risk
from oversight.risks.register_forms import client_people
from oversight.tenancy.models import User, Vendor
from oversight.tenancy.selectors import vendor_list

OVERDUE_CHOICES = (
    ("any", _("Review or mitigation overdue")),
    ("review", _("Review overdue")),
    ("mitigation", _("Mitigation overdue")),
)


class RiskFilter(ListFilterSet):
    """Filter risks by text, owner, vendor, category, level, treatment, status and what is overdue."""

    q = django_filters.CharFilter(label=_("Number or title"), method="filter_text")
    owner = django_filters.ModelChoiceFilter(label=_("Risk owner"), queryset=User.objects.none())
    vendor = django_filters.ModelChoiceFilter(label=_("Vendor"), queryset=Vendor.objects.none())
    category = django_filters.MultipleChoiceFilter(label=_("Category"), choices=RiskCategory.choices)
    level = django_filters.MultipleChoiceFilter(label=_("Level"), choices=RiskLevel.choices)
    treatment = django_filters.MultipleChoiceFilter(label=_("Treatment"), choices=Treatment.choices)
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=RiskStatus.choices)
    overdue = django_filters.ChoiceFilter(label=_("Overdue"), choices=OVERDUE_CHOICES, method="filter_overdue")

    class Meta:
        model = Risk
        fields = ["q", "owner", "vendor", "category", "level", "treatment", "status", "overdue"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        request = kwargs.get("request")
        self.user = user or getattr(request, "user", None)
        if self.user is not None and self.user.is_authenticated:
            self.filters["owner"].queryset = client_people(self.user)
            self.filters["vendor"].queryset = vendor_list(user=self.user).order_by("name")

    def filter_text(self, queryset, name, value):
        return selectors.risk_filter(queryset, user=self.user, filters={"q": value})

    def filter_overdue(self, queryset, name, value):
        return selectors.risk_filter(queryset, user=self.user, filters={"overdue": value})


class MitigationFilter(ListFilterSet):
    """Filter mitigations by status, owner and whether they are overdue."""

    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=MitigationStatus.choices)
    owner = django_filters.ModelChoiceFilter(label=_("Owner"), queryset=User.objects.none())
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")

    class Meta:
        model = Mitigation
        fields = ["status", "owner", "overdue"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        request = kwargs.get("request")
        self.user = user or getattr(request, "user", None)
        if self.user is not None and self.user.is_authenticated:
            self.filters["owner"].queryset = client_people(self.user)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = selectors.mitigations_overdue(user=self.user).values("pk")
        return queryset.filter(pk__in=late) if value else queryset.exclude(pk__in=late)
