"""Forms of the client administrator's catalog pages: services, business calendars (weekly hours, one day,
a year of holiday data), SLA policies and their versions with targets in hours and minutes, and the deadline
preview. They only parse input; the rules are the catalog services' (the Django admin calls the same ones)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from oversight.catalog.admin_forms import SLAPolicyVersionForm, format_intervals, parse_intervals, target_field
from oversight.catalog.choices import Priority, SLAMetric, Weekday
from oversight.catalog.models import BusinessCalendar, Service, ServiceCategory, SLAPolicy
from oversight.catalog.services import CALENDAR_YEARS, MAX_TARGET_MINUTES
from oversight.core.forms import time_zone_choices
from oversight.tenancy.models import Vendor


class OrganisationScopedForm(forms.ModelForm):
    """A model form for one organisation's row: its `code` must be unused in that organisation."""

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.instance.organisation = organisation

    def clean_code(self):
        code = self.cleaned_data["code"]
        taken = type(self.instance).objects.filter(organisation=self.organisation, code=code)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("This code is already used in your organisation."), code="unique")
        return code


class ServiceForm(OrganisationScopedForm):
    """A service of the catalog: who runs it, under which default SLA policy."""

    class Meta:
        model = Service
        fields = ["code", "name", "name_en", "category", "vendor", "sla_policy", "description", "is_critical"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, organisation=organisation, **kwargs)
        self.fields["category"].queryset = ServiceCategory.objects.filter(organisation=organisation)
        self.fields["vendor"].queryset = Vendor.objects.filter(organisation=organisation)
        self.fields["sla_policy"].queryset = SLAPolicy.objects.filter(organisation=organisation)
        for name in ("category", "vendor", "sla_policy"):
            self.fields[name].empty_label = _("Choose…")
        self.fields["code"].help_text = _("Letters, digits, - and _; unique in your organisation.")


class SLAPolicyForm(OrganisationScopedForm):
    """The name and code of a policy (its terms are versions)."""

    class Meta:
        model = SLAPolicy
        fields = ["name", "code"]


def weekday_field(day: Weekday) -> str:
    return f"hours_{day.value}"


class WeeklyHoursForm(forms.Form):
    """A calendar's working hours, one line per weekday ("08:00-12:00, 13:30-17:30"; empty = day off)."""

    def __init__(self, *args, weekly: dict[int, list[tuple[int, int]]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for day in Weekday:
            self.fields[weekday_field(day)] = forms.CharField(
                label=day.label,
                required=False,
                max_length=200,
                widget=forms.TextInput(attrs={"placeholder": "08:00-12:00, 13:30-17:30", "inputmode": "numeric"}),
            )
            if weekly is not None:
                self.initial[weekday_field(day)] = format_intervals(weekly.get(day.value, []))
        self.hours_help = _("Write each day's hours as 08:00-12:00, 13:30-17:30; leave a day empty when it is off.")

    def clean(self):
        cleaned = super().clean()
        weekly = {}
        for day in Weekday:
            name = weekday_field(day)
            if name in self.errors:
                continue
            try:
                weekly[day.value] = parse_intervals(cleaned.get(name, ""))
            except forms.ValidationError as exc:
                self.add_error(name, exc)
        cleaned["weekly"] = weekly
        return cleaned

    def hour_fields(self):
        return [self[weekday_field(day)] for day in Weekday]


class CalendarForm(forms.ModelForm):
    """A calendar's name, time zone and holiday source."""

    time_zone = forms.ChoiceField(label=_("time zone"), choices=time_zone_choices)

    class Meta:
        model = BusinessCalendar
        fields = ["name", "time_zone", "holiday_source"]

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.instance.organisation = organisation

    def clean_name(self):
        name = self.cleaned_data["name"]
        taken = BusinessCalendar.objects.filter(organisation=self.organisation, name=name)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Your organisation already has a calendar of this name."), code="unique")
        return name


DAY_KINDS = (
    ("holiday", _("Holiday (not worked)")),
    ("working", _("Adjusted working day")),
    ("normal", _("Back to the weekly pattern")),
)


class CalendarDayForm(forms.Form):
    """What one date becomes: a holiday, an adjusted working day, or back to the weekly pattern."""

    date = forms.DateField(label=_("date"))
    kind = forms.ChoiceField(label=_("make it"), choices=DAY_KINDS)
    name = forms.CharField(label=_("name"), max_length=200, required=False)

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date.year not in CALENDAR_YEARS:
            raise forms.ValidationError(_("Choose a date between the years 2000 and 2100."), code="range")
        return date


class CalendarYearForm(forms.Form):
    """A year to load from the holiday library, or to confirm as entered by hand."""

    ACTIONS = (("load", _("Load from the library")), ("confirm", _("Confirm as complete")))

    year = forms.IntegerField(label=_("year"), min_value=CALENDAR_YEARS.start, max_value=CALENDAR_YEARS.stop - 1)
    action = forms.ChoiceField(choices=ACTIONS)


MAX_TARGET_HOURS = MAX_TARGET_MINUTES // 60


class TargetsForm(SLAPolicyVersionForm):
    """A new policy version with each target entered as hours and minutes instead of raw minutes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for priority in Priority:
            for metric in SLAMetric:
                minutes_name = target_field(priority, metric, "minutes")
                del self.fields[minutes_name]
                label = {"priority": priority.value, "metric": metric.label}
                self.fields[target_field(priority, metric, "hours")] = forms.IntegerField(
                    label=_("%(priority)s %(metric)s: hours") % label,
                    min_value=0,
                    max_value=MAX_TARGET_HOURS,
                    required=False,
                    widget=forms.NumberInput(attrs={"class": "num-input", "inputmode": "numeric"}),
                )
                self.fields[target_field(priority, metric, "mins")] = forms.IntegerField(
                    label=_("%(priority)s %(metric)s: minutes") % label,
                    min_value=0,
                    max_value=59,
                    required=False,
                    widget=forms.NumberInput(attrs={"class": "num-input", "inputmode": "numeric"}),
                )
                self.fields[target_field(priority, metric, "calendar")].empty_label = _("Choose…")
                minutes = self.initial.pop(minutes_name, None)
                if minutes is not None:
                    self.initial[target_field(priority, metric, "hours")] = minutes // 60
                    self.initial[target_field(priority, metric, "mins")] = minutes % 60
        for field in self.fields.values():
            if not isinstance(field.widget, forms.CheckboxSelectMultiple):
                field.widget.attrs["aria-label"] = str(field.label)

    def clean(self):
        for priority in Priority:
            for metric in SLAMetric:
                hours = self.cleaned_data.get(target_field(priority, metric, "hours"))
                mins = self.cleaned_data.get(target_field(priority, metric, "mins"))
                name = target_field(priority, metric, "minutes")
                if hours is None and mins is None:
                    self.cleaned_data[name] = None
                    continue
                total = (hours or 0) * 60 + (mins or 0)
                if total <= 0:
                    self.add_error(target_field(priority, metric, "hours"), _("A target must be longer than zero."))
                    self.cleaned_data[name] = None
                elif total > MAX_TARGET_MINUTES:
                    self.add_error(target_field(priority, metric, "hours"), _("A target cannot be longer than a year."))
                    self.cleaned_data[name] = None
                else:
                    self.cleaned_data[name] = total
        return super().clean()

    def grid(self):
        """Rows of the target grid: (priority, [(metric label, hours, minutes, calendar fields)])."""
        return [
            (
                priority,
                [
                    (
                        metric.label,
                        self[target_field(priority, metric, "hours")],
                        self[target_field(priority, metric, "mins")],
                        self[target_field(priority, metric, "calendar")],
                    )
                    for metric in SLAMetric
                ],
            )
            for priority in Priority
        ]


class DeadlinePreviewForm(forms.Form):
    """A sample arrival time (in the reader's zone) and a priority, to show when each target falls due."""

    priority = forms.ChoiceField(label=_("priority"), choices=Priority.choices, initial=Priority.P2)
    start = forms.DateTimeField(
        label=_("received at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )

    def clean_start(self):
        start = self.cleaned_data["start"]
        if not dt.datetime(2000, 1, 1, tzinfo=dt.UTC) <= start <= dt.datetime(2100, 1, 1, tzinfo=dt.UTC):
            raise forms.ValidationError(_("Choose a time between the years 2000 and 2100."), code="range")
        return start
