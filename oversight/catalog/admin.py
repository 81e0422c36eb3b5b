"""Administration of the service catalog, business calendars, SLA policies and the priority matrix.

Every main row (categories, services, calendars with their hours, date overrides and covered years, SLA
policies and their versions, the priority matrix) is written through the catalog services, which bump the
calendar revision where needed and audit; the admin only parses the forms. Inline offerings of a service are
saved and audited by the admin base.
"""

from __future__ import annotations

import functools

from django.contrib import admin, messages
from django.contrib.admin import RelatedOnlyFieldListFilter, helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from oversight.businesstime.china import china_year_data
from oversight.businesstime.engine import CalendarDataMissing
from oversight.catalog import services
from oversight.catalog.admin_forms import (
    CalendarDayForm,
    CalendarDayFormSet,
    CalendarIntervalForm,
    CalendarIntervalFormSet,
    ConfirmYearForm,
    SLAPolicyVersionForm,
)
from oversight.catalog.choices import HolidaySource, Level, Priority, SLAMetric, Status
from oversight.catalog.models import (
    BusinessCalendar,
    CalendarDay,
    CalendarInterval,
    Offering,
    PriorityRule,
    Service,
    ServiceCategory,
    SLAPolicy,
    SLAPolicyVersion,
)
from oversight.catalog.selectors import calendar_years_missing
from oversight.catalog.services import (
    calendar_confirm_year,
    calendar_create,
    calendar_load_china_year,
    calendar_set_day,
    calendar_set_weekly_intervals,
    priority_for,
    sla_policy_create,
)
from oversight.core.errors import ApplicationError
from oversight.core.forms import changed_fields
from oversight.tenancy.admin_base import (
    AuditedModelAdmin,
    OversightInlineMixin,
    ReadOnlyInlineMixin,
    mark_audited,
    scope_queryset,
    today,
)
from oversight.tenancy.models import Organisation

# --------------------------------------------------------------------------------------------------
# Catalog
# --------------------------------------------------------------------------------------------------


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(AuditedModelAdmin):
    """Reporting categories of services."""

    fixed_on_change = ("organisation",)
    list_display = ("code", "name", "name_en", "organisation")
    list_filter = (("organisation", RelatedOnlyFieldListFilter),)
    search_fields = ("code", "name", "name_en")

    def save_model(self, request, obj, form, change):
        services.service_category_save(actor=request.user, category=obj, fields=changed_fields(obj, form, change))
        mark_audited(obj)

    def delete_model(self, request, obj):
        services.service_category_delete(actor=request.user, category=obj)


class OfferingInline(OversightInlineMixin, admin.TabularInline):
    """What a requester can ask for under the service."""

    model = Offering
    extra = 0
    fields = ("name", "name_en", "kind", "requires_onsite", "sla_policy", "is_active")


@admin.register(Service)
class ServiceAdmin(AuditedModelAdmin):
    """Services, each run by one vendor under a default SLA policy, with their offerings."""

    fixed_on_change = ("organisation",)
    inlines = [OfferingInline]
    list_display = ("code", "name", "category", "vendor", "sla_policy", "is_critical", "is_active")
    list_filter = (
        "is_active",
        "is_critical",
        ("category", RelatedOnlyFieldListFilter),
        ("vendor", RelatedOnlyFieldListFilter),
        ("organisation", RelatedOnlyFieldListFilter),
    )
    list_select_related = ("category", "vendor", "sla_policy")
    search_fields = ("code", "name", "name_en", "description")

    def save_model(self, request, obj, form, change):
        services.service_save(actor=request.user, service=obj, fields=changed_fields(obj, form, change))
        mark_audited(obj)

    def delete_model(self, request, obj):
        services.service_delete(actor=request.user, service=obj)


# --------------------------------------------------------------------------------------------------
# Business calendars
# --------------------------------------------------------------------------------------------------


class CalendarIntervalInline(OversightInlineMixin, admin.TabularInline):
    """Weekly working hours: several intervals per weekday (e.g. 08:00–12:00 and 13:30–17:30)."""

    model = CalendarInterval
    form = CalendarIntervalForm
    formset = CalendarIntervalFormSet
    extra = 0
    fields = ("weekday", "start", "end")
    verbose_name = _("weekly working interval")
    verbose_name_plural = _("weekly working hours")


class CalendarDayInline(OversightInlineMixin, admin.TabularInline):
    """Holidays and adjusted working days, loaded from the library or entered by hand."""

    model = CalendarDay
    form = CalendarDayForm
    formset = CalendarDayFormSet
    extra = 0
    fields = ("date", "is_working", "hours", "name", "source")
    readonly_fields = ("source",)
    verbose_name = _("date override")
    verbose_name_plural = _("holidays and adjusted working days")


@functools.lru_cache(maxsize=64)
def library_has_year(year: int) -> bool:
    """Whether the maintained holiday library knows this year (it changes only with a new release)."""
    try:
        china_year_data(year)
    except CalendarDataMissing:
        return False
    return True


def calendar_warnings(calendars) -> list[str]:
    """A warning for each calendar lacking holiday data for this year or next year."""
    year = today().year
    warnings = []
    for calendar in calendars:
        for missing in calendar_years_missing(calendar, [year, year + 1]):
            params = {"calendar": calendar.name, "year": missing}
            if calendar.holiday_source == HolidaySource.CHINA and library_has_year(missing):
                text = _(
                    "%(calendar)s — %(year)s: no holiday data — run the action “Load China holidays for "
                    "%(year)s”, or enter the holidays and adjusted working days by hand, then confirm the year."
                )
            else:
                text = _(
                    "%(calendar)s — %(year)s: no holiday data — enter the holidays and adjusted working days "
                    "by hand, then confirm the year."
                )
            warnings.append(text % params)
    return warnings


def _load_china_action(year: int):
    def action(modeladmin, request, queryset):
        return modeladmin.load_china_year(request, queryset, year)

    action.__name__ = f"load_china_{year}"
    return action


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(AuditedModelAdmin):
    """Business calendars: weekly hours, date overrides, covered years, China's holidays by year."""

    fixed_on_change = ("organisation",)
    inlines = [CalendarIntervalInline, CalendarDayInline]
    fields = ("organisation", "name", "time_zone", "holiday_source", "revision", "covered_years")
    readonly_fields = ("revision", "covered_years")
    list_display = ("name", "organisation", "time_zone", "holiday_source", "covered_years", "revision")
    list_filter = ("holiday_source", ("organisation", RelatedOnlyFieldListFilter))
    search_fields = ("name",)
    actions = ["confirm_year"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation").prefetch_related("years")

    @admin.display(description=_("covered years"))
    def covered_years(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        if obj.holiday_source == HolidaySource.NONE:
            return _("every year (no public holidays)")
        years = sorted(obj.years.all(), key=lambda y: y.year)
        if not years:
            return _("none yet")
        return format_html_join(", ", "{} ({})", ((y.year, y.get_source_display()) for y in years))

    # --- warnings -----------------------------------------------------------------------------
    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "calendar_warnings": calendar_warnings(self.get_queryset(request))}
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        warnings = calendar_warnings([obj]) if obj is not None else []
        extra_context = {**(extra_context or {}), "calendar_warnings": warnings}
        return super().change_view(request, object_id, form_url, extra_context)

    # --- writes through the catalog services ----------------------------------------------------
    def save_model(self, request, obj, form, change):
        if not change:
            created = calendar_create(
                actor=request.user,
                organisation=obj.organisation,
                name=obj.name,
                time_zone=obj.time_zone,
                holiday_source=obj.holiday_source,
                weekly={},
            )
            obj.pk, obj.revision = created.pk, created.revision
            obj._state.adding, obj._state.db = False, created._state.db
            mark_audited(obj)
            return
        fields = [name for name in form.changed_data if name in {"name", "time_zone", "holiday_source"}]
        services.calendar_update(actor=request.user, calendar=obj, fields=fields)
        mark_audited(obj)

    def delete_model(self, request, obj):
        services.calendar_delete(actor=request.user, calendar=obj)

    def save_formset(self, request, form, formset, change):
        calendar = form.instance
        if isinstance(formset, CalendarIntervalFormSet):
            if formset.has_changed():
                calendar_set_weekly_intervals(actor=request.user, calendar=calendar, weekly=formset.weekly())
        elif isinstance(formset, CalendarDayFormSet):
            self._save_days(request, calendar, formset)
        else:
            super().save_formset(request, form, formset, change)
            return
        # Rows were written by services; the admin's change message needs these attributes.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def _save_days(self, request, calendar, formset):
        for form in formset.forms:
            cleaned = getattr(form, "cleaned_data", None)
            if not cleaned:
                continue
            if formset._should_delete_form(form):
                if form.instance.pk:
                    services.calendar_day_delete(actor=request.user, calendar=calendar, day_id=form.instance.pk)
                continue
            if not form.has_changed():
                continue
            if form.instance.pk and form.initial.get("date") != cleaned["date"]:
                # Moving an override to another date: the old date returns to the weekly pattern.
                services.calendar_day_delete(actor=request.user, calendar=calendar, day_id=form.instance.pk)
            # The form already applied the service's rules, so the service accepts the row.
            calendar_set_day(
                actor=request.user,
                calendar=calendar,
                date=cleaned["date"],
                is_working=cleaned["is_working"],
                intervals=cleaned.get("hours") or [],
                name=cleaned.get("name", ""),
            )

    # --- actions --------------------------------------------------------------------------------
    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self.has_change_permission(request):
            return actions
        year = today().year
        for y in (year, year + 1):
            func = _load_china_action(y)
            actions[func.__name__] = (func, func.__name__, _("Load China holidays for %(year)s") % {"year": y})
        return actions

    def load_china_year(self, request, queryset, year: int):
        """Load a year from the maintained library into each selected calendar; show refusals as errors."""
        loaded = []
        for calendar in queryset:
            try:
                calendar_load_china_year(actor=request.user, calendar=calendar, year=year)
            except ApplicationError as exc:
                self.message_user(
                    request,
                    _("%(calendar)s: %(message)s") % {"calendar": calendar.name, "message": exc.message},
                    messages.ERROR,
                )
            else:
                loaded.append(calendar.name)
        if loaded:
            self.message_user(
                request,
                _("China's public holidays and adjusted working days for %(year)s were loaded into: %(calendars)s.")
                % {"year": year, "calendars": ", ".join(loaded)},
                messages.SUCCESS,
            )

    @admin.action(description=_("Confirm a year as complete (holidays entered by hand)"))
    def confirm_year(self, request, queryset):
        """Intermediate page asking for the year; then `calendar_confirm_year` for each calendar."""
        if "apply" in request.POST:
            form = ConfirmYearForm(request.POST)
            if form.is_valid():
                year = form.cleaned_data["year"]
                for calendar in queryset:
                    calendar_confirm_year(actor=request.user, calendar=calendar, year=year)
                self.message_user(
                    request,
                    _("%(year)s was confirmed as complete for: %(calendars)s.")
                    % {"year": year, "calendars": ", ".join(c.name for c in queryset)},
                    messages.SUCCESS,
                )
                return None
        else:
            form = ConfirmYearForm(initial={"year": today().year + 1})
        context = {
            **self.admin_site.each_context(request),
            "title": _("Confirm a year as complete"),
            "opts": self.opts,
            "form": form,
            "queryset": queryset,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        return TemplateResponse(request, "admin/catalog/businesscalendar/confirm_year.html", context)


# --------------------------------------------------------------------------------------------------
# SLA policies
# --------------------------------------------------------------------------------------------------


class SLAPolicyVersionInline(ReadOnlyInlineMixin, admin.TabularInline):
    """The policy's versions, newest first; never editable (a change is a new version)."""

    model = SLAPolicyVersion
    fields = ("number", "created_at", "created_by", "warning_percent", "pauses", "targets_table", "change_note")
    readonly_fields = fields
    ordering = ("-number",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by").prefetch_related("targets__calendar")

    @admin.display(description=_("pauses"))
    def pauses(self, obj):
        labels = dict(Status.choices)
        metric_labels = dict(SLAMetric.choices)
        rows = [
            (metric_labels.get(metric, metric), ", ".join(str(labels.get(s, s)) for s in statuses) or "—")
            for metric, statuses in (obj.pause_statuses or {}).items()
        ]
        return format_html_join(mark_safe("<br>"), "{}: {}", rows) if rows else "—"

    @admin.display(description=_("targets (business minutes)"))
    def targets_table(self, obj):
        cells = {(t.priority, t.metric): t for t in obj.targets.all()}
        if not cells:
            return "—"
        header = format_html_join("", '<th scope="col">{}</th>', ((m.label,) for m in SLAMetric))
        rows = format_html_join(
            "",
            '<tr><th scope="row">{}</th>{}</tr>',
            (
                (
                    priority.value,
                    format_html_join(
                        "",
                        "<td>{}</td>",
                        (
                            (
                                format_html(
                                    "{} ({})", cells[(priority, m)].target_minutes, cells[(priority, m)].calendar
                                )
                                if (priority, m) in cells
                                else "—",
                            )
                            for m in SLAMetric
                        ),
                    ),
                )
                for priority in Priority
            ),
        )
        return format_html('<table class="sla-targets"><tr><th></th>{}</tr>{}</table>', header, rows)


@admin.register(SLAPolicy)
class SLAPolicyAdmin(AuditedModelAdmin):
    """SLA policies; their terms change only by publishing a new immutable version."""

    allow_delete = False
    fixed_on_change = ("organisation",)
    fields = ("organisation", "name", "code")
    inlines = [SLAPolicyVersionInline]
    list_display = ("name", "code", "organisation", "current_version_number")
    list_filter = (("organisation", RelatedOnlyFieldListFilter),)
    search_fields = ("name", "code")

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    @admin.display(description=_("current version"))
    def current_version_number(self, obj):
        version = obj.current_version()
        return version.number if version else "—"

    def save_model(self, request, obj, form, change):
        if change:
            services.sla_policy_update(actor=request.user, policy=obj, fields=changed_fields(obj, form, change))
            mark_audited(obj)
            return
        created = sla_policy_create(actor=request.user, organisation=obj.organisation, name=obj.name, code=obj.code)
        obj.pk = created.pk
        obj._state.adding, obj._state.db = False, created._state.db
        mark_audited(obj)

    def response_add(self, request, obj, post_url_continue=None):
        self.message_user(request, _("Now publish the policy's first version with its targets."), messages.INFO)
        return HttpResponseRedirect(reverse("admin:catalog_slapolicy_new_version", args=[obj.pk]))

    def get_urls(self):
        return [
            path(
                "<path:object_id>/new-version/",
                self.admin_site.admin_view(self.new_version_view),
                name="catalog_slapolicy_new_version",
            ),
            *super().get_urls(),
        ]

    def new_version_view(self, request, object_id):
        """Publish a new version of the policy through `sla_policy_version_create`."""
        policy = self.get_object(request, unquote(object_id))
        if policy is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, policy):
            raise PermissionDenied
        calendars = BusinessCalendar.objects.filter(organisation_id=policy.organisation_id).order_by("name")
        current = policy.current_version()
        if request.method == "POST":
            form = SLAPolicyVersionForm(request.POST, calendars=calendars, current=current)
            if form.is_valid():
                try:
                    version = form.publish(actor=request.user, policy=policy)
                except ApplicationError as exc:
                    form.add_error(None, exc.message)
                else:
                    self.message_user(request, form.published_message(version), messages.SUCCESS)
                    return HttpResponseRedirect(reverse("admin:catalog_slapolicy_change", args=[policy.pk]))
        else:
            form = SLAPolicyVersionForm(calendars=calendars, current=current)
        context = {
            **self.admin_site.each_context(request),
            "title": _("New version of %(policy)s") % {"policy": policy.name},
            "opts": self.opts,
            "original": policy,
            "current": current,
            "form": form,
            "metrics": [m.label for m in SLAMetric],
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/catalog/slapolicy/new_version.html", context)


# --------------------------------------------------------------------------------------------------
# Priority matrix
# --------------------------------------------------------------------------------------------------


@admin.register(PriorityRule)
class PriorityRuleAdmin(AuditedModelAdmin):
    """Cells of the impact × urgency → priority matrix (unset cells use the ITIL default)."""

    list_display = ("organisation", "impact", "urgency", "priority")
    list_editable = ("priority",)
    list_filter = ("priority", ("organisation", RelatedOnlyFieldListFilter))
    list_select_related = ("organisation",)

    def save_model(self, request, obj, form, change):
        services.priority_rule_save(actor=request.user, rule=obj, fields=changed_fields(obj, form, change))
        mark_audited(obj)

    def delete_model(self, request, obj):
        services.priority_rule_delete(actor=request.user, rule=obj)

    def changelist_view(self, request, extra_context=None):
        organisations = scope_queryset(Organisation.objects.all(), request.user)
        matrices = [
            {
                "organisation": organisation,
                "rows": [
                    (
                        impact.label,
                        [priority_for(organisation=organisation, impact=impact, urgency=u) for u in Level.values],
                    )
                    for impact in Level
                ],
            }
            for organisation in organisations[:20]
        ]
        extra_context = {**(extra_context or {}), "matrices": matrices, "urgencies": [u.label for u in Level]}
        return super().changelist_view(request, extra_context)
