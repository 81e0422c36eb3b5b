"""One FilterSet for escalations (the HTML list and the API list) and one for hotline reports."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from oversight.core.listing import ListFilterSet
from oversight.liaisons.choices import EscalationStatus, HotlineStatus, Trigger
from oversight.liaisons.models import Escalation, HotlineReport
from oversight.tenancy.models import Vendor
from oversight.tenancy.selectors import vendor_list


class EscalationFilter(ListFilterSet):
    """Filter escalations by status, trigger, vendor and start date."""

    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=EscalationStatus.choices)
    trigger = django_filters.MultipleChoiceFilter(label=_("Trigger"), choices=Trigger.choices)
    vendor = django_filters.ModelChoiceFilter(label=_("Vendor"), queryset=Vendor.objects.none())
    since = django_filters.DateFilter(label=_("Started from"), field_name="started_at", lookup_expr="date__gte")
    until = django_filters.DateFilter(label=_("Started until"), field_name="started_at", lookup_expr="date__lte")

    class Meta:
        model = Escalation
        fields = ["status", "trigger", "vendor", "since", "until"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        request = kwargs.get("request")
        self.user = user or getattr(request, "user", None)
        if self.user is not None and self.user.is_authenticated:
            self.filters["vendor"].queryset = vendor_list(user=self.user).order_by("name")


class HotlineReportFilter(ListFilterSet):
    """Filter hotline reports by status."""

    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=HotlineStatus.choices)

    class Meta:
        model = HotlineReport
        fields = ["status"]
