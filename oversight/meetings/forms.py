"""Forms of the meeting pages. They only parse input; meetings.services decides."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from oversight.catalog.selectors import calendar_list
from oversight.contracts.selectors import contract_list
from oversight.meetings.choices import ActionAction, Channel, Frequency, SeriesKind
from oversight.tenancy.roles import CLIENT_ROLES
from oversight.tenancy.selectors import user_list, vendor_list

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TEXT = forms.Textarea(attrs={"rows": 3})


def people_of(*, user, organisation_id, vendor_id):
    """The people who can take part in a vendor's meeting: the client's staff and that vendor's staff."""
    people = user_list(user=user).filter(organisation_id=organisation_id, is_active=True)
    return people.filter(vendor_id=vendor_id) | people.filter(vendor__isnull=True, role__in=CLIENT_ROLES)


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    """People shown by their full name (or user name)."""

    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


class PersonChoiceField(forms.ModelChoiceField):
    """A person shown by their full name (or user name)."""

    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


class PlanForm(forms.Form):
    """A new communication plan: vendor, contract, calendar, the deadlines in working days."""

    name = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False)
    vendor = forms.ModelChoiceField(label=_("Vendor"), queryset=None)
    contract = forms.ModelChoiceField(label=_("Contract"), queryset=None, required=False)
    calendar = forms.ModelChoiceField(label=_("Business calendar"), queryset=None)
    minutes_due_days = forms.IntegerField(
        label=_("Minutes signed within (working days)"), min_value=0, max_value=60, initial=3
    )
    action_due_days = forms.IntegerField(
        label=_("Action items due within (working days)"), min_value=0, max_value=250, initial=5
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        vendors = vendor_list(user=user).order_by("name").values_list("pk", "name")
        self.fields["vendor"].choices = [("", "—"), *vendors]
        self.fields["contract"].queryset = contract_list(user=user).order_by("number")
        self.fields["calendar"].queryset = calendar_list(user=user).order_by("name")


class PlanRowForm(forms.Form):
    """A row of a plan."""

    stakeholder = forms.CharField(label=_("Stakeholder"), max_length=200)
    topic = forms.CharField(label=_("Topic"), max_length=200)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    frequency = forms.ChoiceField(label=_("Frequency"), choices=Frequency.choices)
    owner = PersonChoiceField(label=_("Owner"), queryset=None)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people


class SeriesForm(forms.Form):
    """A meeting series of a plan."""

    kind = forms.ChoiceField(label=_("Kind"), choices=SeriesKind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False)
    rule = forms.CharField(
        label=_("Recurrence rule"),
        max_length=300,
        required=False,
        help_text=_("Empty: the kind's rule (weekly on Monday, monthly on the 5th, quarterly on the 15th)."),
    )
    starts_on = forms.DateField(label=_("First date"), widget=DATE)
    ends_on = forms.DateField(label=_("Last date"), widget=DATE, required=False)
    start_time = forms.TimeField(label=_("Start time"), widget=TIME, initial=dt.time(10, 0))
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=1, max_value=720, initial=60)
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    online_link = forms.URLField(label=_("Online meeting link"), required=False, assume_scheme="https")
    minutes_due_days = forms.IntegerField(
        label=_("Minutes signed within (working days)"),
        min_value=0,
        max_value=60,
        required=False,
        help_text=_("Empty: the plan's setting."),
    )
    participants = PeopleChoiceField(label=_("Standing participants"), queryset=None, required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = people


class MeetingForm(forms.Form):
    """A meeting outside a series."""

    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DATETIME)
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=1, max_value=720, initial=60)
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    online_link = forms.URLField(label=_("Online meeting link"), required=False, assume_scheme="https")
    participants = PeopleChoiceField(label=_("Participants"), queryset=None, required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = people


class AgendaItemForm(forms.Form):
    """A typed agenda line."""

    title = forms.CharField(label=_("Agenda item"), max_length=300)
    detail = forms.CharField(label=_("Detail"), max_length=300, required=False)


class MinutesForm(forms.Form):
    """The minutes text."""

    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 8}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DecisionForm(forms.Form):
    """A decision."""

    text = forms.CharField(label=_("Decision"), widget=TEXT)


class ParticipantsForm(forms.Form):
    """More people to invite."""

    people = PeopleChoiceField(label=_("Invite"), queryset=None)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people


class ActionItemForm(forms.Form):
    """An action item given by a meeting."""

    title = forms.CharField(label=_("Action"), max_length=300)
    owner = PersonChoiceField(label=_("Owner"), queryset=None)
    due_days = forms.IntegerField(
        label=_("Due after (working days)"),
        min_value=0,
        max_value=250,
        required=False,
        help_text=_("Empty: the plan's setting."),
    )
    description = forms.CharField(label=_("Description"), widget=TEXT, required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people


class ActionTransitionForm(forms.Form):
    """Move an action item along."""

    action = forms.ChoiceField(label=_("Action"), choices=ActionAction.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ActionFilterForm(forms.Form):
    """Filters of the action-item list."""

    vendor = forms.TypedChoiceField(label=_("Vendor"), choices=(), coerce=int, required=False, empty_value=None)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    open = forms.BooleanField(label=_("Open only"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        vendors = vendor_list(user=user).order_by("name").values_list("pk", "name")
        self.fields["vendor"].choices = [("", "—"), *vendors]
