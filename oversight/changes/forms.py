"""Forms of the change pages. They only parse input; changes.services decides (and its refusals become form
errors)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from oversight.catalog.selectors import calendar_list, service_list
from oversight.changes import selectors
from oversight.changes.choices import (
    RISK_QUESTIONS,
    ApprovalRule,
    CabDecision,
    ChangeType,
    ReviewOutcome,
    WindowKind,
)
from oversight.configuration.selectors import ci_list
from oversight.contracts.selectors import contract_list
from oversight.core.listing import adapt_filter_form
from oversight.tenancy.roles import CLIENT_ROLES, is_vendor
from oversight.tenancy.selectors import site_list, user_list, vendor_list
from oversight.tickets.forms import WorkOrderNumbersForm

TEXT = forms.Textarea(attrs={"rows": 4})
#: Date and time as the browser's picker sends it, read in the reader's zone (the active one).
WHEN_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


def when_field(label, *, required: bool = False) -> forms.DateTimeField:
    """A date-time field with the browser's picker, read in the reader's time zone."""
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=WHEN_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class ChangeDetailsForm(forms.Form):
    """What `change_update` may change: the text, plans, outage, window, contract, services and items."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=TEXT)
    services = forms.ModelMultipleChoiceField(label=_("Affected services"), queryset=None, required=False)
    cis = forms.ModelMultipleChoiceField(label=_("Affected configuration items"), queryset=None, required=False)
    implementation_plan = forms.CharField(label=_("Implementation plan"), required=False, widget=TEXT)
    backout_plan = forms.CharField(label=_("Backout plan"), required=False, widget=TEXT)
    test_plan = forms.CharField(label=_("Test plan"), required=False, widget=TEXT)
    expected_outage_minutes = forms.IntegerField(
        label=_("Expected outage (minutes)"), min_value=0, max_value=100_000, required=False
    )
    planned_start = when_field(_("Planned start"))
    planned_end = when_field(_("Planned end"))
    contract = forms.ModelChoiceField(label=_("Contract"), queryset=None, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["services"].queryset = service_list(user=user).order_by("name")
        self.fields["cis"].queryset = ci_list(user=user).exclude(status="retired").order_by("name")
        self.fields["contract"].queryset = contract_list(user=user).order_by("number")

    def details(self) -> dict:
        """The cleaned values as `change_update` keyword arguments (an empty outage is 0 minutes)."""
        data = dict(self.cleaned_data)
        if data.get("expected_outage_minutes") is None:
            data["expected_outage_minutes"] = 0
        return data


class ChangeRequestForm(ChangeDetailsForm):
    """A new change: its type (a standard one from a template of the catalogue) and implementing vendor first."""

    type = forms.ChoiceField(label=_("Type"), choices=ChangeType.choices, initial=ChangeType.NORMAL)
    template = forms.ModelChoiceField(
        label=_("Standard change template"),
        queryset=None,
        required=False,
        help_text=_("A standard change takes its plans and outage from the template unless you write your own."),
    )
    implementer = forms.ModelChoiceField(label=_("Implementer"), queryset=None)

    field_order = ["type", "template", "implementer", "title"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["template"].queryset = selectors.template_list(user=user, active_only=True).order_by("name")
        vendors = vendor_list(user=user).order_by("name")
        if is_vendor(user):
            vendors = vendors.filter(pk=user.vendor_id)
            self.fields["implementer"].initial = user.vendor_id
        self.fields["implementer"].queryset = vendors

    def details(self) -> dict:
        data = super().details()
        if data.get("type") == ChangeType.STANDARD and not self.data.get("expected_outage_minutes"):
            data["expected_outage_minutes"] = None  # the template's
        return data


class RiskForm(forms.Form):
    """The risk questionnaire: every question answered from least (0) to most (3) risky, or none."""

    def __init__(self, *args, change=None, **kwargs):
        if change is not None and not args and "initial" not in kwargs:
            kwargs["initial"] = {f"q_{code}": value for code, value in (change.risk_answers or {}).items()}
        super().__init__(*args, **kwargs)
        for code, (weight, question, answers) in RISK_QUESTIONS.items():
            self.fields[f"q_{code}"] = forms.TypedChoiceField(
                label=question,
                choices=[("", "—"), *enumerate(answers)],
                coerce=int,
                empty_value=None,
                required=False,
                help_text=_("Weight %(weight)s") % {"weight": weight},
            )

    def answers(self) -> dict:
        """The answers as `change_assess_risk` takes them (empty ones left out)."""
        return {
            code: self.cleaned_data[f"q_{code}"]
            for code in RISK_QUESTIONS
            if self.cleaned_data.get(f"q_{code}") is not None
        }


class VoteForm(forms.Form):
    """A vote on the open approval step, with a comment (needed for a rejection)."""

    approve = forms.TypedChoiceField(
        label=_("Vote"),
        choices=[("1", _("Approve")), ("0", _("Reject"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReviewForm(forms.Form):
    """The post-implementation review: the outcome and what was learnt."""

    outcome = forms.ChoiceField(label=_("Outcome"), choices=ReviewOutcome.choices)
    notes = forms.CharField(label=_("Review notes"), max_length=5000, required=False, widget=TEXT)


class ExceptionForm(forms.Form):
    """Why a change may go ahead in a soft blackout window."""

    note = forms.CharField(label=_("Reason for the exception"), max_length=2000)


class LinkForm(WorkOrderNumbersForm):
    """Incidents caused by the change, by work-order number (the box of `tickets.forms.WorkOrderNumbersForm`)."""


class TemplateForm(forms.Form):
    """A standard change of the catalogue: its name, plans, outage and scope."""

    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=TEXT)
    service = forms.ModelChoiceField(label=_("Service"), queryset=None, required=False)
    vendor = forms.ModelChoiceField(
        label=_("Vendor"), queryset=None, required=False, help_text=_("Empty: any vendor may use the template.")
    )
    implementation_plan = forms.CharField(label=_("Implementation plan"), widget=TEXT)
    backout_plan = forms.CharField(label=_("Backout plan"), widget=TEXT)
    test_plan = forms.CharField(label=_("Test plan"), required=False, widget=TEXT)
    expected_outage_minutes = forms.IntegerField(
        label=_("Expected outage (minutes)"), min_value=0, max_value=100_000, initial=0
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = service_list(user=user).order_by("name")
        self.fields["vendor"].queryset = vendor_list(user=user).order_by("name")


class CabMeetingForm(forms.Form):
    """A CAB meeting: its agenda is built from the changes awaiting authorisation."""

    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = when_field(_("Starts at"), required=True)
    location = forms.CharField(label=_("Location"), max_length=200, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)  # every meeting field is plain: the user chooses nothing from a list


class CabDecisionForm(forms.Form):
    """The CAB's decision on one change of the agenda."""

    decision = forms.ChoiceField(label=_("Decision"), choices=CabDecision.choices)
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)


class WindowForm(forms.Form):
    """A blackout or maintenance window of the change calendar, once or recurring, with its scope."""

    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=WindowKind.choices)
    hard = forms.BooleanField(
        label=_("Hard blackout"),
        required=False,
        initial=True,
        help_text=_("Hard: changes are refused. Soft: they need an exception."),
    )
    start = when_field(_("Start"), required=True)
    end = when_field(_("End"), required=True)
    rrule = forms.CharField(
        label=_("Repeats (RRULE)"),
        max_length=300,
        required=False,
        help_text=_("For example FREQ=WEEKLY;BYDAY=SU for every Sunday. Empty: once."),
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    services = forms.ModelMultipleChoiceField(label=_("Services"), queryset=None, required=False)
    vendors = forms.ModelMultipleChoiceField(label=_("Vendors"), queryset=None, required=False)
    sites = forms.ModelMultipleChoiceField(label=_("Sites"), queryset=None, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["services"].queryset = service_list(user=user).order_by("name")
        self.fields["vendors"].queryset = vendor_list(user=user).order_by("name")
        self.fields["sites"].queryset = site_list(user=user).order_by("name")


class CalendarFilterForm(forms.Form):
    """What the change calendar shows: month or week from a day, for a service, vendor or site."""

    view = forms.ChoiceField(label=_("View"), choices=[("month", _("Month")), ("week", _("Week"))], required=False)
    day = forms.DateField(label=_("Day"), required=False)
    service = forms.ModelChoiceField(label=_("Service"), queryset=None, required=False)
    vendor = forms.ModelChoiceField(label=_("Vendor"), queryset=None, required=False)
    site = forms.ModelChoiceField(label=_("Site"), queryset=None, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = service_list(user=user).order_by("name")
        self.fields["vendor"].queryset = vendor_list(user=user).order_by("name")
        self.fields["site"].queryset = site_list(user=user).order_by("name")
        adapt_filter_form(self)


#: How many steps, and approvers per step, the approval policy form offers.
POLICY_STEPS = 3
POLICY_MEMBERS = 6


class PolicyForm(forms.Form):
    """An approval policy's steps in order: name, rule (with n or p), deadline in business hours on a calendar,
    and approvers each with an optional substitute. A step without a name is left out."""

    def __init__(self, *args, user, policy_steps=(), **kwargs):
        if not args and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(policy_steps)
        super().__init__(*args, **kwargs)
        staff = (
            user_list(user=user)
            .filter(organisation_id=user.organisation_id, role__in=CLIENT_ROLES, is_active=True)
            .order_by("username")
        )
        calendars = calendar_list(user=user).order_by("name")
        for s in range(1, POLICY_STEPS + 1):
            self.fields[f"s{s}_name"] = forms.CharField(label=_("Step name"), max_length=120, required=False)
            self.fields[f"s{s}_rule"] = forms.ChoiceField(label=_("Rule"), choices=ApprovalRule.choices, required=False)
            self.fields[f"s{s}_quorum"] = forms.IntegerField(
                label=_("Approvals needed (n)"), min_value=1, max_value=POLICY_MEMBERS, required=False
            )
            self.fields[f"s{s}_percent"] = forms.IntegerField(
                label=_("Share needed (%)"), min_value=1, max_value=100, required=False
            )
            self.fields[f"s{s}_deadline_hours"] = forms.IntegerField(
                label=_("Deadline (business hours)"), min_value=1, max_value=1000, required=False
            )
            self.fields[f"s{s}_calendar"] = forms.ModelChoiceField(
                label=_("Business calendar"), queryset=calendars, required=False
            )
            for m in range(1, POLICY_MEMBERS + 1):
                self.fields[f"s{s}_m{m}_approver"] = forms.ModelChoiceField(
                    label=_("Approver"), queryset=staff, required=False
                )
                self.fields[f"s{s}_m{m}_substitute"] = forms.ModelChoiceField(
                    label=_("Substitute"), queryset=staff, required=False
                )

    @staticmethod
    def initial_from(policy_steps) -> dict:
        initial = {}
        for s, step in enumerate(policy_steps, start=1):
            for name in ("name", "rule", "quorum", "percent", "deadline_hours"):
                initial[f"s{s}_{name}"] = getattr(step, name)
            initial[f"s{s}_calendar"] = step.calendar_id
            for m, member in enumerate(step.members.all(), start=1):
                initial[f"s{s}_m{m}_approver"] = member.approver_id
                initial[f"s{s}_m{m}_substitute"] = member.substitute_id
        return initial

    def step_rows(self) -> list[dict]:
        """Each step's fields, for the template."""
        return [
            {
                "number": s,
                "fields": [
                    self[f"s{s}_{n}"] for n in ("name", "rule", "quorum", "percent", "deadline_hours", "calendar")
                ],
                "members": [
                    (self[f"s{s}_m{m}_approver"], self[f"s{s}_m{m}_substitute"]) for m in range(1, POLICY_MEMBERS + 1)
                ],
            }
            for s in range(1, POLICY_STEPS + 1)
        ]

    def steps(self) -> list[dict]:
        """The named steps as `approval_policy_set` takes them."""
        data = self.cleaned_data
        out = []
        for s in range(1, POLICY_STEPS + 1):
            name = (data.get(f"s{s}_name") or "").strip()
            if not name:
                continue
            members = [
                (data[f"s{s}_m{m}_approver"], data.get(f"s{s}_m{m}_substitute"))
                for m in range(1, POLICY_MEMBERS + 1)
                if data.get(f"s{s}_m{m}_approver") is not None
            ]
            out.append(
                {
                    "name": name,
                    "rule": data.get(f"s{s}_rule"),
                    "quorum": data.get(f"s{s}_quorum"),
                    "percent": data.get(f"s{s}_percent"),
                    "deadline_hours": data.get(f"s{s}_deadline_hours"),
                    "calendar": data.get(f"s{s}_calendar"),
                    "members": members,
                }
            )
        return out


class TemplateEditForm(TemplateForm):
    """A template's fields and whether it is still offered (a retired one stays for the record)."""

    active = forms.BooleanField(label=_("Active"), required=False)
