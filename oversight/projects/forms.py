"""Forms of the project pages. They only parse input; projects.services decides."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from oversight.catalog.selectors import calendar_list
from oversight.contracts.selectors import contract_list
from oversight.projects.choices import EvMethod, ProjectKind
from oversight.tenancy.selectors import user_list, vendor_list

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})
MONEY = {"max_digits": 14, "decimal_places": 2}


class ProjectForm(forms.Form):
    """A new project: name, kind, vendor, contract, owners, calendar, budget and traffic-light thresholds."""

    name = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=ProjectKind.choices)
    vendor = forms.ModelChoiceField(label=_("Vendor"), queryset=None)
    contract = forms.ModelChoiceField(label=_("Contract"), queryset=None, required=False)
    client_owner = forms.ModelChoiceField(label=_("Client owner"), queryset=None, required=False)
    vendor_owner = forms.ModelChoiceField(label=_("Vendor owner"), queryset=None, required=False)
    calendar = forms.ModelChoiceField(label=_("Business calendar"), queryset=None)
    bac = forms.DecimalField(label=_("Budget at completion (BAC)"), min_value=0, **MONEY)
    budget_hours = forms.DecimalField(label=_("Budget in hours"), min_value=0, required=False, decimal_places=1)
    red_deviation = forms.DecimalField(
        label=_("Red at a deviation of"), min_value=Decimal("0.0001"), max_value=1, initial=Decimal("0.10")
    )
    green_tolerance = forms.DecimalField(label=_("Green tolerance"), min_value=0, max_value=Decimal("0.5"), initial=0)
    description = forms.CharField(label=_("Description"), required=False, widget=TEXT)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vendor"].queryset = vendor_list(user=user).order_by("name")
        self.fields["contract"].queryset = contract_list(user=user).order_by("number")
        people = user_list(user=user).filter(organisation_id=user.organisation_id, is_active=True)
        self.fields["client_owner"].queryset = people.filter(vendor__isnull=True).order_by("username")
        self.fields["vendor_owner"].queryset = people.filter(vendor__isnull=False).order_by("username")
        self.fields["calendar"].queryset = calendar_list(user=user).order_by("name")


class WorkPackageForm(forms.Form):
    """A node of the work breakdown."""

    code = forms.CharField(label=_("WBS code"), max_length=30)
    name = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False)
    parent = forms.ModelChoiceField(label=_("Part of"), queryset=None, required=False)
    planned_start = forms.DateField(label=_("Planned start"), widget=DATE)
    planned_finish = forms.DateField(label=_("Planned finish"), widget=DATE)
    budget = forms.DecimalField(label=_("Budget"), min_value=0, initial=0, **MONEY)
    ev_method = forms.ChoiceField(label=_("Earned-value method"), choices=EvMethod.choices)
    units_total = forms.DecimalField(label=_("Units planned"), min_value=0, required=False, decimal_places=2)
    aggressive_days = forms.DecimalField(
        label=_("Aggressive duration (working days)"),
        min_value=Decimal("0.5"),
        required=False,
        decimal_places=1,
        help_text=_("Critical-chain mode: the estimate that holds half of the time."),
    )
    safe_days = forms.DecimalField(
        label=_("Safe duration (working days)"),
        min_value=Decimal("0.5"),
        required=False,
        decimal_places=1,
        help_text=_("Critical-chain mode: the estimate that holds nine times in ten."),
    )
    depends_on = forms.ModelMultipleChoiceField(label=_("Starts after"), queryset=None, required=False)

    def __init__(self, *args, packages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = packages
        self.fields["depends_on"].queryset = packages


class MilestoneForm(forms.Form):
    """A milestone of the plan."""

    name = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False)
    planned_date = forms.DateField(label=_("Planned date"), widget=DATE)
    weight = forms.DecimalField(label=_("Weight"), min_value=0, initial=1, decimal_places=2)
    work_package = forms.ModelChoiceField(label=_("Deliverable"), queryset=None, required=False)

    def __init__(self, *args, packages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work_package"].queryset = packages


class CostEntryForm(forms.Form):
    """An actual cost entered by hand."""

    incurred_on = forms.DateField(label=_("Incurred on"), widget=DATE)
    amount = forms.DecimalField(label=_("Amount"), **MONEY)
    description = forms.CharField(label=_("Description"), max_length=300)
    work_package = forms.ModelChoiceField(label=_("Work package"), queryset=None, required=False)

    def __init__(self, *args, packages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work_package"].queryset = packages


class SettlementLinkForm(forms.Form):
    """A share of an approved statement line of the project's vendor."""

    line = forms.ModelChoiceField(label=_("Statement line"), queryset=None)
    share = forms.DecimalField(label=_("Share (0–1)"), min_value=Decimal("0.0001"), max_value=1, initial=1)

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = lines
        self.fields["line"].label_from_instance = lambda line: (
            f"{line.statement.period.starts_on:%Y-%m}–{line.statement.period.ends_on:%Y-%m} · {line.label} · "
            f"{line.amount}"
        )


class BaselineRequestForm(forms.Form):
    """Why the project needs a new baseline."""

    reason = forms.CharField(label=_("Reason"), widget=TEXT)


def progress_form_fields(data, deliverables: list[dict], milestones) -> tuple[list[dict], dict]:
    """Parse the progress form's per-deliverable fields (``started_<id>``, ``finished_<id>``, ``percent_<id>``,
    ``units_<id>``, ``remaining_<id>``) and milestone checkboxes (``reached_<id>``); returns the lines and the
    milestones reached."""
    lines = []
    for d in deliverables:
        pk = d["id"]
        line = {
            "pk": pk,
            "started": data.get(f"started_{pk}") == "on",
            "finished": data.get(f"finished_{pk}") == "on",
            "percent_complete": (data.get(f"percent_{pk}") or "").strip() or None,
            "units_done": (data.get(f"units_{pk}") or "").strip() or None,
            "remaining_days": (data.get(f"remaining_{pk}") or "").strip() or None,
        }
        if any(line[k] for k in ("started", "finished", "percent_complete", "units_done", "remaining_days")):
            lines.append(line)
    reached = {m.pk: None for m in milestones if data.get(f"reached_{m.pk}") == "on" and m.reached_on is None}
    return lines, reached
