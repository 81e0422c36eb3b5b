"""One FilterSet per list: complaints (the API list and the complaint page) and ratings (the API list)."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from oversight.core.listing import ListFilterSet
from oversight.feedback.choices import OPEN_COMPLAINT_STATUSES, ComplaintSource, ComplaintStatus, RatingChannel
from oversight.feedback.models import Complaint, Rating
from oversight.tenancy.models import Vendor
from oversight.tenancy.selectors import vendor_list


class ComplaintFilter(ListFilterSet):
    """Filters for complaint lists; the vendor choices are narrowed to what the user may see."""

    status = django_filters.MultipleChoiceFilter(
        label=_("Status"),
        choices=[("active", _("Open or investigating")), *ComplaintStatus.choices],
        method="filter_status",
    )
    source = django_filters.MultipleChoiceFilter(label=_("Source"), choices=ComplaintSource.choices)
    vendor = django_filters.ModelChoiceFilter(label=_("Vendor"), queryset=Vendor.objects.none())
    handler = django_filters.ChoiceFilter(
        label=_("Handled by"), choices=[("me", _("Me")), ("none", _("Nobody yet"))], method="filter_handler"
    )
    work_order = django_filters.CharFilter(label=_("Work order number"), field_name="work_order__number")
    opened_after = django_filters.IsoDateTimeFilter(label=_("Opened after"), field_name="opened_at", lookup_expr="gte")
    opened_before = django_filters.IsoDateTimeFilter(label=_("Opened before"), field_name="opened_at", lookup_expr="lt")

    class Meta:
        model = Complaint
        fields = ["status", "source", "vendor", "handler", "work_order", "opened_after", "opened_before"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user if user is not None else getattr(self.request, "user", None)
        if self.user is not None:
            self.filters["vendor"].queryset = vendor_list(user=self.user)

    def filter_status(self, queryset, name, value):
        wanted = set(value)
        if "active" in wanted:
            wanted = (wanted - {"active"}) | set(OPEN_COMPLAINT_STATUSES)
        return queryset.filter(status__in=sorted(wanted)) if wanted else queryset

    def filter_handler(self, queryset, name, value):
        if value == "me" and self.user is not None:
            return queryset.filter(assignee_id=self.user.pk)
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        return queryset


class RatingFilter(ListFilterSet):
    """Filters for rating lists."""

    stars = django_filters.MultipleChoiceFilter(label=_("Stars"), choices=[(i, str(i)) for i in range(1, 6)])
    channel = django_filters.MultipleChoiceFilter(label=_("Channel"), choices=RatingChannel.choices)
    vendor = django_filters.ModelChoiceFilter(label=_("Vendor"), queryset=Vendor.objects.none())
    work_order = django_filters.CharFilter(label=_("Work order number"), field_name="work_order__number")
    with_comment = django_filters.BooleanFilter(label=_("With a comment"), method="filter_with_comment")
    created_after = django_filters.IsoDateTimeFilter(label=_("Rated after"), field_name="created_at", lookup_expr="gte")
    created_before = django_filters.IsoDateTimeFilter(
        label=_("Rated before"), field_name="created_at", lookup_expr="lt"
    )

    class Meta:
        model = Rating
        fields = ["stars", "channel", "vendor", "work_order", "with_comment", "created_after", "created_before"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        user = user if user is not None else getattr(self.request, "user", None)
        if user is not None:
            self.filters["vendor"].queryset = vendor_list(user=user)

    def filter_with_comment(self, queryset, name, value):
        if value is None:
            return queryset
        empty = Q(comment="")
        return queryset.exclude(empty) if value else queryset.filter(empty)
