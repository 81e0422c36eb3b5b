"""Output serializers for the service catalog, business calendars and SLA policies (read-only over the API)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from oversight.catalog.models import (
    BusinessCalendar,
    CalendarDay,
    CalendarInterval,
    CalendarYear,
    Offering,
    Service,
    ServiceCategory,
    SLAPolicy,
    SLAPolicyVersion,
    SLATarget,
)
from oversight.catalog.selectors import calendar_years_missing
from oversight.core import clock
from oversight.core.api.serializers import ObjectRefSerializer
from oversight.core.zones import zone_of


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


class ServiceCategorySerializer(serializers.ModelSerializer):
    """A reporting category of services."""

    display_name = serializers.CharField(source="localized_name", read_only=True)

    class Meta:
        model = ServiceCategory
        fields = ["id", "organisation", "code", "name", "name_en", "display_name"]
        read_only_fields = fields


class ServiceSerializer(serializers.ModelSerializer):
    """A catalog service, run by one vendor under a default SLA policy."""

    display_name = serializers.CharField(source="localized_name", read_only=True)
    vendor = ObjectRefSerializer(read_only=True)
    category = ObjectRefSerializer(read_only=True)
    sla_policy = ObjectRefSerializer(read_only=True)

    class Meta:
        model = Service
        fields = [
            "id",
            "organisation",
            "code",
            "name",
            "name_en",
            "display_name",
            "category",
            "vendor",
            "sla_policy",
            "description",
            "is_critical",
            "is_active",
        ]
        read_only_fields = fields


class OfferingSerializer(serializers.ModelSerializer):
    """Something a requester can ask for under a service."""

    display_name = serializers.CharField(source="localized_name", read_only=True)

    class Meta:
        model = Offering
        fields = [
            "id",
            "service",
            "name",
            "name_en",
            "display_name",
            "kind",
            "requires_onsite",
            "sla_policy",
            "is_active",
        ]
        read_only_fields = fields


class CalendarIntervalSerializer(serializers.ModelSerializer):
    """One working interval of a weekday, in the calendar's local time."""

    weekday_label = serializers.CharField(source="get_weekday_display", read_only=True)
    start = serializers.SerializerMethodField()
    end = serializers.SerializerMethodField()

    class Meta:
        model = CalendarInterval
        fields = ["weekday", "weekday_label", "start_minute", "end_minute", "start", "end"]
        read_only_fields = fields

    def get_start(self, obj: CalendarInterval) -> str:
        return _hhmm(obj.start_minute)

    def get_end(self, obj: CalendarInterval) -> str:
        return _hhmm(obj.end_minute)


class CalendarDaySerializer(serializers.ModelSerializer):
    """A date overriding the weekly pattern: a holiday, or an adjusted working day (调休) with its hours."""

    intervals = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField(), min_length=2, max_length=2),
        read_only=True,
        help_text=_(
            "Working intervals as [start minute, end minute]; empty on a working day means the standard hours."
        ),
    )

    class Meta:
        model = CalendarDay
        fields = ["date", "is_working", "intervals", "name", "source"]
        read_only_fields = fields


class CalendarYearSerializer(serializers.ModelSerializer):
    """A year whose holiday data is known for the calendar."""

    class Meta:
        model = CalendarYear
        fields = ["year", "source", "confirmed_at"]
        read_only_fields = fields


class BusinessCalendarSerializer(serializers.ModelSerializer):
    """A business calendar with its weekly hours, overridden days, covered years and missing years."""

    intervals = CalendarIntervalSerializer(many=True, read_only=True)
    days = CalendarDaySerializer(many=True, read_only=True)
    covered_years = CalendarYearSerializer(source="years", many=True, read_only=True)
    missing_years = serializers.SerializerMethodField(
        help_text=_("This year and next year when their holiday data is missing: SLA clocks cannot run into them.")
    )
    warning = serializers.SerializerMethodField()

    class Meta:
        model = BusinessCalendar
        fields = [
            "id",
            "organisation",
            "name",
            "time_zone",
            "holiday_source",
            "revision",
            "intervals",
            "days",
            "covered_years",
            "missing_years",
            "warning",
        ]
        read_only_fields = fields

    def get_missing_years(self, obj: BusinessCalendar) -> list[int]:
        year = clock.now().astimezone(zone_of(obj)).year
        return calendar_years_missing(obj, [year, year + 1])

    def get_warning(self, obj: BusinessCalendar) -> str | None:
        missing = self.get_missing_years(obj)
        if not missing:
            return None
        return str(
            _("Holiday data is missing for %(years)s: load or confirm these years before clocks reach them.")
            % {"years": ", ".join(str(y) for y in missing)}
        )


class SLATargetSerializer(serializers.ModelSerializer):
    """The business minutes allowed for one metric at one priority, on a calendar."""

    calendar = ObjectRefSerializer(read_only=True)

    class Meta:
        model = SLATarget
        fields = ["priority", "metric", "target_minutes", "calendar"]
        read_only_fields = fields


class SLAPolicyVersionSerializer(serializers.ModelSerializer):
    """One immutable version of an SLA policy."""

    targets = SLATargetSerializer(many=True, read_only=True)
    pause_statuses = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        read_only=True,
        help_text=_("For each metric, the work-order statuses that pause its clock."),
    )

    class Meta:
        model = SLAPolicyVersion
        fields = ["id", "number", "created_at", "change_note", "warning_percent", "pause_statuses", "targets"]
        read_only_fields = fields


class SLAPolicySerializer(serializers.ModelSerializer):
    """An SLA policy with all its versions, newest first (the first one applies to new work orders)."""

    versions = SLAPolicyVersionSerializer(many=True, read_only=True)

    class Meta:
        model = SLAPolicy
        fields = ["id", "organisation", "name", "code", "versions"]
        read_only_fields = fields
