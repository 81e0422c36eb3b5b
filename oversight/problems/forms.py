"""Forms of the problem pages. They only parse input; problems.services decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from oversight.catalog.choices import Level
from oversight.catalog.selectors import calendar_list, service_list
from oversight.changes.selectors import change_list
from oversight.configuration.selectors import ci_list
from oversight.contracts.selectors import contract_list
from oversight.problems.choices import WHY_COUNT, FishboneCategory, RootCauseCategory, WorkaroundEffect
from oversight.tenancy.choices import Role
from oversight.tenancy.selectors import user_list, vendor_list
from oversight.tickets.forms import WorkOrderNumbersForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})


class ProblemForm(forms.Form):
    """A problem's details: title, description, service, impact × urgency, owner and vendor attribution."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    service = forms.ModelChoiceField(label=_("Service"), queryset=None, required=False)
    impact = forms.TypedChoiceField(label=_("Impact"), choices=Level.choices, coerce=int, initial=Level.MEDIUM)
    urgency = forms.TypedChoiceField(label=_("Urgency"), choices=Level.choices, coerce=int, initial=Level.MEDIUM)
    owner = forms.ModelChoiceField(label=_("Problem owner"), queryset=None, required=False)
    vendor = forms.ModelChoiceField(label=_("Attributable to vendor"), queryset=None, required=False)
    contract = forms.ModelChoiceField(label=_("Contract"), queryset=None, required=False)
    attribution_note = forms.CharField(label=_("Contract clause"), max_length=300, required=False)
    configuration_items = forms.ModelMultipleChoiceField(label=_("Configuration items"), queryset=None, required=False)
    caused_by_change = forms.ModelChoiceField(label=_("Caused by change"), queryset=None, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = service_list(user=user).order_by("name")
        self.fields["owner"].queryset = (
            user_list(user=user)
            .filter(organisation_id=user.organisation_id, role__in=(Role.CLIENT_ADMIN, Role.CLIENT_SUPERVISOR))
            .order_by("username")
        )
        self.fields["vendor"].queryset = vendor_list(user=user).order_by("name")
        self.fields["contract"].queryset = contract_list(user=user).order_by("number")
        self.fields["configuration_items"].queryset = ci_list(user=user).order_by("name")
        self.fields["caused_by_change"].queryset = change_list(user=user).order_by("-pk")


class AnalysisForm(forms.Form):
    """The root-cause analysis: category, cause, 5 whys, fishbone (one cause a line), workaround, permanent fix."""

    root_cause_category = forms.ChoiceField(
        label=_("Root-cause category"), choices=[("", "—"), *RootCauseCategory.choices], required=False
    )
    root_cause = forms.CharField(label=_("Root cause"), required=False, widget=TEXT)
    workaround = forms.CharField(label=_("Workaround"), required=False, widget=TEXT)
    workaround_effect = forms.ChoiceField(label=_("Does the workaround work?"), choices=WorkaroundEffect.choices)
    permanent_fix = forms.CharField(label=_("Permanent fix"), required=False, widget=TEXT)

    def __init__(self, *args, problem=None, **kwargs):
        if problem is not None and not args and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(problem)
        super().__init__(*args, **kwargs)
        for n in range(1, WHY_COUNT + 1):
            self.fields[f"why_{n}"] = forms.CharField(
                label=_("Why? (%(n)s)") % {"n": n}, max_length=500, required=False
            )
            self.fields[f"answer_{n}"] = forms.CharField(
                label=_("Because (%(n)s)") % {"n": n}, max_length=500, required=False
            )
        for code, label in FishboneCategory.choices:
            self.fields[f"fishbone_{code}"] = forms.CharField(
                label=label,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("One cause per line."),
            )

    @staticmethod
    def initial_from(problem) -> dict:
        initial = {
            "root_cause_category": problem.root_cause_category,
            "root_cause": problem.root_cause,
            "workaround": problem.workaround,
            "workaround_effect": problem.workaround_effect,
            "permanent_fix": problem.permanent_fix,
        }
        for n, pair in enumerate(problem.five_whys or [], start=1):
            initial[f"why_{n}"] = pair.get("why", "")
            initial[f"answer_{n}"] = pair.get("answer", "")
        for code, causes in (problem.fishbone or {}).items():
            initial[f"fishbone_{code}"] = "\n".join(causes)
        return initial

    def why_rows(self) -> list[tuple]:
        return [(self[f"why_{n}"], self[f"answer_{n}"]) for n in range(1, WHY_COUNT + 1)]

    def fishbone_fields(self) -> list:
        return [self[f"fishbone_{code}"] for code in FishboneCategory.values]

    def analysis(self) -> dict:
        """The cleaned values as `problem_update_analysis` keyword arguments."""
        data = self.cleaned_data
        return {
            "root_cause_category": data["root_cause_category"],
            "root_cause": data["root_cause"],
            "workaround": data["workaround"],
            "workaround_effect": data["workaround_effect"],
            "permanent_fix": data["permanent_fix"],
            "five_whys": [{"why": data[f"why_{n}"], "answer": data[f"answer_{n}"]} for n in range(1, WHY_COUNT + 1)],
            "fishbone": {code: data[f"fishbone_{code}"].splitlines() for code in FishboneCategory.values},
        }


class LinkForm(WorkOrderNumbersForm):
    """Work orders to link to the problem, by number (the box of `tickets.forms.WorkOrderNumbersForm`)."""


class KnownErrorForm(forms.Form):
    """A known error's text, service, vendor and expiry."""

    title = forms.CharField(label=_("Title"), max_length=200)
    symptom = forms.CharField(label=_("Symptom"), widget=TEXT)
    root_cause = forms.CharField(label=_("Root cause"), required=False, widget=TEXT)
    workaround = forms.CharField(label=_("Workaround"), required=False, widget=TEXT)
    solution = forms.CharField(label=_("Solution"), required=False, widget=TEXT)
    service = forms.ModelChoiceField(label=_("Service"), queryset=None, required=False)
    vendor = forms.ModelChoiceField(label=_("Vendor"), queryset=None, required=False)
    expires_on = forms.DateField(label=_("Valid until"), required=False, widget=DATE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = service_list(user=user).order_by("name")
        self.fields["vendor"].queryset = vendor_list(user=user).order_by("name")


class SettingsForm(forms.Form):
    """The suggestion rule: k incidents within W business days on a calendar (empty: the defaults)."""

    min_incidents = forms.IntegerField(
        label=_("Incidents that suggest a problem (k)"),
        min_value=2,
        max_value=100,
        required=False,
        help_text=_("This many incidents of one service, category or configuration item suggest a problem. Empty: 3."),
    )
    window_days = forms.IntegerField(
        label=_("Within business days (W)"),
        min_value=1,
        max_value=30,
        required=False,
        help_text=_("Counted on the business calendar: today's working day and the ones before it. Empty: 5."),
    )
    calendar = forms.ModelChoiceField(
        label=_("Business calendar"),
        queryset=None,
        required=False,
        help_text=_("Empty: the calendar of the new incident's resolution target."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["calendar"].queryset = calendar_list(user=user).order_by("name")
