"""Read-only API of the catalog, calendars and SLA policies; administrators change them in the admin."""

from __future__ import annotations

import django_filters

from oversight.catalog import selectors
from oversight.catalog.api import serializers
from oversight.catalog.models import BusinessCalendar, Offering, Service, ServiceCategory, SLAPolicy
from oversight.core.api.viewsets import ScopedReadOnlyViewSet
from oversight.core.filters import FilterSet


class ServiceFilter(FilterSet):
    """Filter services by vendor, category (plain ids) and whether they are active."""

    vendor = django_filters.NumberFilter(field_name="vendor_id")
    category = django_filters.NumberFilter(field_name="category_id")
    is_active = django_filters.BooleanFilter()

    class Meta:
        model = Service
        fields = ["vendor", "category", "is_active"]


class ServiceViewSet(ScopedReadOnlyViewSet):
    """Catalog services the user may see."""

    serializer_class = serializers.ServiceSerializer
    schema_model = Service
    filterset_class = ServiceFilter

    def select(self, user):
        return selectors.service_list(user=user)


class OfferingFilter(FilterSet):
    """Filter offerings by service id."""

    service = django_filters.NumberFilter(field_name="service_id")

    class Meta:
        model = Offering
        fields = ["service"]


class OfferingViewSet(ScopedReadOnlyViewSet):
    """Offerings of the services the user may see."""

    serializer_class = serializers.OfferingSerializer
    schema_model = Offering
    filterset_class = OfferingFilter

    def select(self, user):
        return selectors.offering_list(user=user)


class ServiceCategoryViewSet(ScopedReadOnlyViewSet):
    """Service categories of the user's organisation."""

    serializer_class = serializers.ServiceCategorySerializer
    schema_model = ServiceCategory

    def select(self, user):
        return selectors.category_list(user=user)


class BusinessCalendarViewSet(ScopedReadOnlyViewSet):
    """Business calendars with intervals, overridden days, covered years and a warning for missing years."""

    serializer_class = serializers.BusinessCalendarSerializer
    schema_model = BusinessCalendar

    def select(self, user):
        return selectors.calendar_list(user=user).prefetch_related("days")


class SLAPolicyViewSet(ScopedReadOnlyViewSet):
    """SLA policies with every version and its targets."""

    serializer_class = serializers.SLAPolicySerializer
    schema_model = SLAPolicy

    def select(self, user):
        return selectors.sla_policy_list(user=user).prefetch_related("versions__targets__calendar")
