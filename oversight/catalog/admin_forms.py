"""Forms of the catalog admin: weekly hours and date overrides as HH:MM, the year to confirm, and the
terms of a new SLA policy version (warning threshold, pauses per clock, a priority × metric grid)."""

from __future__ import annotations

import re
from collections import defaultdict

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from oversight.catalog.choices import OPEN_STATUSES, Priority, SLAMetric, Status
from oversight.catalog.models import CalendarDay, CalendarInterval, SLAPolicyVersion
from oversight.catalog.services import DEFAULT_PAUSE_STATUSES, sla_policy_version_create
from oversight.tenancy.admin_base import ScopedInlineFormSet

_HHMM = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")


def parse_hhmm(text: str) -> int:
    """'08:30' -> 510 minutes after midnight; '24:00' is the end of the day."""
    match = _HHMM.match(text or "")
    if not match:
        raise ValidationError(_("Enter a time as HH:MM, e.g. 08:30."), code="invalid")
    hours, minutes = int(match.group(1)), int(match.group(2))
    if minutes >= 60 or hours > 24 or (hours == 24 and minutes):
        raise ValidationError(_("Enter a time between 00:00 and 24:00."), code="invalid")
    return hours * 60 + minutes


def format_minutes(value: int) -> str:
    """510 -> '08:30'."""
    return f"{value // 60:02d}:{value % 60:02d}"


def parse_intervals(text: str) -> list[tuple[int, int]]:
    """'08:00-12:00, 13:30-17:30' -> [(480, 720), (810, 1050)] (validated, sorted, disjoint)."""
    intervals = []
    for part in [p for p in re.split(r"[,;，；]", text or "") if p.strip()]:
        bounds = re.split(r"\s*[-–~]\s*", part.strip())
        if len(bounds) != 2:
            raise ValidationError(_("Write hours as 08:00-12:00, 13:30-17:30."), code="invalid")
        start, end = parse_hhmm(bounds[0]), parse_hhmm(bounds[1])
        if start >= end:
            raise ValidationError(_("Each interval must start before it ends, within one day."), code="invalid")
        intervals.append((start, end))
    intervals.sort()
    for (_s1, e1), (s2, _e2) in zip(intervals, intervals[1:]):
        if s2 < e1:
            raise ValidationError(_("Working intervals of one day must not overlap."), code="overlap")
    return intervals


def format_intervals(intervals) -> str:
    """[(480, 720), (810, 1050)] -> '08:00-12:00, 13:30-17:30'."""
    return ", ".join(f"{format_minutes(s)}-{format_minutes(e)}" for s, e in intervals)


class TimeOfDayInput(forms.TextInput):
    """Shows minutes after midnight as HH:MM."""

    def format_value(self, value):
        if isinstance(value, int):
            return format_minutes(value)
        return super().format_value(value)


class TimeOfDayField(forms.Field):
    """An HH:MM field whose value is minutes after midnight (24:00 allowed as the end of the day)."""

    widget = TimeOfDayInput

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "HH:MM")
        super().__init__(**kwargs)
        self.widget.attrs.update({"size": 5, "maxlength": 5, "placeholder": "08:00"})

    def to_python(self, value):
        if isinstance(value, int) or value is None:
            return value
        value = str(value).strip()
        return None if value in self.empty_values else parse_hhmm(value)


class CalendarIntervalForm(forms.ModelForm):
    """One weekly working interval, entered as HH:MM to HH:MM."""

    start = TimeOfDayField(label=_("from"))
    end = TimeOfDayField(label=_("until"))

    class Meta:
        model = CalendarInterval
        fields = ["weekday"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("start", self.instance.start_minute)
            self.initial.setdefault("end", self.instance.end_minute)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start is not None and end is not None and start >= end:
            self.add_error("end", _("Each interval must start before it ends, within one day."))
        return cleaned


class CalendarIntervalFormSet(ScopedInlineFormSet):
    """The whole weekly pattern; saved at once through `calendar_set_weekly_intervals`."""

    def _rows(self):
        for form in self.forms:
            cleaned = getattr(form, "cleaned_data", None)
            if not cleaned or self._should_delete_form(form):
                continue
            if cleaned.get("weekday") is None or cleaned.get("start") is None or cleaned.get("end") is None:
                continue
            yield int(cleaned["weekday"]), cleaned["start"], cleaned["end"]

    def clean(self):
        super().clean()
        by_day: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for weekday, start, end in self._rows():
            by_day[weekday].append((start, end))
        for weekday, intervals in by_day.items():
            intervals.sort()
            for (_s1, e1), (s2, _e2) in zip(intervals, intervals[1:]):
                if s2 < e1:
                    raise ValidationError(
                        _("The working intervals of %(day)s overlap."),
                        params={"day": dict(CalendarInterval._meta.get_field("weekday").choices)[weekday]},
                    )

    def weekly(self) -> dict[int, list[tuple[int, int]]]:
        """Weekday -> [(start, end)] for every weekday (empty = not a working day)."""
        weekly: dict[int, list[tuple[int, int]]] = {d: [] for d in range(7)}
        for weekday, start, end in self._rows():
            weekly[weekday].append((start, end))
        return {d: sorted(v) for d, v in weekly.items()}


class CalendarDayForm(forms.ModelForm):
    """A date override: a holiday, or a working day (调休) with its hours."""

    hours = forms.CharField(
        label=_("working hours"),
        required=False,
        help_text=_("e.g. 08:00-12:00, 13:30-17:30; empty = the calendar's usual Monday hours."),
    )

    class Meta:
        model = CalendarDay
        fields = ["date", "is_working", "name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("hours", format_intervals(self.instance.intervals))

    def clean_hours(self):
        return parse_intervals(self.cleaned_data.get("hours", ""))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("hours") and not cleaned.get("is_working"):
            self.add_error("hours", _("A non-working day cannot have working intervals."))
        return cleaned


class CalendarDayFormSet(ScopedInlineFormSet):
    """Date overrides; each saved through `calendar_set_day`."""

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            cleaned = getattr(form, "cleaned_data", None)
            if not cleaned or self._should_delete_form(form) or not cleaned.get("date"):
                continue
            if cleaned["date"] in seen:
                raise ValidationError(_("%(date)s is listed twice."), params={"date": cleaned["date"]})
            seen.add(cleaned["date"])


class ConfirmYearForm(forms.Form):
    """The year an administrator confirms as complete."""

    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)


def target_field(priority: str, metric: str, what: str) -> str:
    return f"{what}_{priority}_{metric}"


class SLAPolicyVersionForm(forms.Form):
    """The terms of a new policy version: warning threshold, pauses per clock, a priority × metric grid."""

    warning_percent = forms.IntegerField(
        # xgettext:no-python-format
        label=_("Warning at (% of target)"),
        min_value=1,
        max_value=99,
        initial=75,
        help_text=_("Escalate when this share of the target has elapsed."),
    )
    change_note = forms.CharField(label=_("What changed"), max_length=500, required=False)

    def __init__(self, *args, calendars, current: SLAPolicyVersion | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for metric in SLAMetric:
            self.fields[f"pause_{metric.value}"] = forms.MultipleChoiceField(
                label=metric.label,
                choices=[(s.value, s.label) for s in Status if s in OPEN_STATUSES],
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )
        for priority in Priority:
            for metric in SLAMetric:
                self.fields[target_field(priority, metric, "minutes")] = forms.IntegerField(
                    label=_("%(priority)s %(metric)s (business minutes)")
                    % {"priority": priority.label, "metric": metric.label},
                    min_value=1,
                    required=False,
                    widget=forms.NumberInput(attrs={"size": 6, "style": "width:6em"}),
                )
                self.fields[target_field(priority, metric, "calendar")] = forms.ModelChoiceField(
                    label=_("%(priority)s %(metric)s calendar") % {"priority": priority.label, "metric": metric.label},
                    queryset=calendars,
                    required=False,
                )
        for field in self.fields.values():
            if not isinstance(field.widget, forms.CheckboxSelectMultiple):
                field.widget.attrs.setdefault("aria-label", str(field.label))
        if not self.is_bound:
            self._set_initial(current)

    def _set_initial(self, current: SLAPolicyVersion | None) -> None:
        pauses = current.pause_statuses if current else DEFAULT_PAUSE_STATUSES
        for metric in SLAMetric:
            self.initial[f"pause_{metric.value}"] = list(pauses.get(metric.value, []))
        if current is None:
            return
        self.initial["warning_percent"] = current.warning_percent
        for target in current.targets.all():
            self.initial[target_field(target.priority, target.metric, "minutes")] = target.target_minutes
            self.initial[target_field(target.priority, target.metric, "calendar")] = target.calendar_id

    def clean(self):
        cleaned = super().clean()
        targets = []
        for priority in Priority:
            for metric in SLAMetric:
                minutes = cleaned.get(target_field(priority, metric, "minutes"))
                calendar = cleaned.get(target_field(priority, metric, "calendar"))
                if minutes is None:
                    continue
                if calendar is None:
                    self.add_error(
                        target_field(priority, metric, "calendar"), _("Choose the calendar this target is counted on.")
                    )
                    continue
                targets.append(
                    {
                        "priority": priority.value,
                        "metric": metric.value,
                        "target_minutes": minutes,
                        "calendar": calendar,
                    }
                )
        if not targets and not self.errors:
            raise ValidationError(_("Set at least one target."))
        cleaned["targets"] = targets
        cleaned["pause_statuses"] = {m.value: list(cleaned.get(f"pause_{m.value}") or []) for m in SLAMetric}
        return cleaned

    def publish(self, *, actor, policy) -> SLAPolicyVersion:
        """Publish the valid form's terms as the policy's next version (`sla_policy_version_create`)."""
        return sla_policy_version_create(
            actor=actor,
            policy=policy,
            targets=self.cleaned_data["targets"],
            warning_percent=self.cleaned_data["warning_percent"],
            pause_statuses=self.cleaned_data["pause_statuses"],
            change_note=self.cleaned_data["change_note"],
        )

    @staticmethod
    def published_message(version: SLAPolicyVersion) -> str:
        """What the administrator is told once a version is published."""
        return _(
            "Version %(number)s of %(policy)s is published; new work orders use it, existing ones "
            "keep the version they had."
        ) % {"number": version.number, "policy": version.policy.name}

    def pause_fields(self):
        """The pause checkboxes, one group per clock."""
        return [self[f"pause_{metric.value}"] for metric in SLAMetric]

    def grid(self):
        """Rows of the target grid: (priority label, [(minutes field, calendar field) per metric])."""
        return [
            (
                priority.label,
                [
                    (self[target_field(priority, m, "minutes")], self[target_field(priority, m, "calendar")])
                    for m in SLAMetric
                ],
            )
            for priority in Priority
        ]
