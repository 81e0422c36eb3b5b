"""Forms of the sourcing pages. They only parse input; `sourcing.services` decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from oversight.sourcing.choices import OutcomeKpi, PricingBasis, ScenarioKind
from oversight.sourcing.selectors import contract_version_choices

TEXT = forms.Textarea(attrs={"rows": 3})


class VersionChoiceField(forms.ModelChoiceField):
    """A contract version shown as "<contract number> v<n> (<vendor>)"."""

    def label_from_instance(self, obj):
        return f"{obj.contract.number} v{obj.number} ({obj.contract.vendor})"


class ScenarioForm(forms.Form):
    """A scenario's name, proposal and drivers (percentages as 5 = 5 %)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("Name in English"), max_length=200, required=False)
    description = forms.CharField(label=_("Description"), widget=TEXT, required=False)
    kind = forms.ChoiceField(label=_("Proposal"), choices=ScenarioKind.choices)
    in_house_share = forms.DecimalField(label=_("In-house share in the proposal (%)"), max_digits=7, decimal_places=3)
    baseline_in_house_share = forms.DecimalField(
        label=_("In-house share today (%)"), max_digits=7, decimal_places=3, initial=0
    )
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="CNY")
    horizon_years = forms.IntegerField(label=_("Horizon (years)"), min_value=1, max_value=30, initial=5)
    discount_rate = forms.DecimalField(label=_("Discount rate (%)"), max_digits=7, decimal_places=3, initial=8)
    annual_contacts = forms.DecimalField(label=_("Contacts per year"), max_digits=14, decimal_places=2)
    volume_growth = forms.DecimalField(label=_("Volume growth per year (%)"), max_digits=7, decimal_places=3, initial=0)
    aht_seconds = forms.DecimalField(label=_("Average handle time (seconds)"), max_digits=14, decimal_places=2)
    service_level_target = forms.DecimalField(
        label=_("Service-level target (%)"), max_digits=7, decimal_places=3, initial=80
    )
    service_level_seconds = forms.IntegerField(label=_("Answered within (seconds)"), min_value=1, initial=20)
    required_fte = forms.DecimalField(
        label=_("Required productive FTE"),
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text=_("Productive FTE to handle the whole first-year volume in-house; blank: computed by Erlang C."),
    )
    open_hours_per_year = forms.DecimalField(
        label=_("Open hours per year"), max_digits=14, decimal_places=2, initial=5110, required=False
    )
    productive_hours_per_fte = forms.DecimalField(
        label=_("Productive hours per FTE-year"), max_digits=14, decimal_places=2, initial=1650, required=False
    )
    max_occupancy = forms.DecimalField(
        label=_("Maximum occupancy (%)"), max_digits=7, decimal_places=3, initial=85, required=False
    )
    shrinkage = forms.DecimalField(label=_("Shrinkage (%)"), max_digits=7, decimal_places=3, initial=30)
    annual_wage_per_fte = forms.DecimalField(label=_("Loaded wage per FTE-year"), max_digits=16, decimal_places=2)
    wage_growth = forms.DecimalField(label=_("Wage growth per year (%)"), max_digits=7, decimal_places=3, initial=0)
    seat_cost_per_fte = forms.DecimalField(
        label=_("Seat cost per FTE-year"), max_digits=16, decimal_places=2, initial=0
    )
    technology_cost = forms.DecimalField(
        label=_("Technology cost per year (in-house)"), max_digits=16, decimal_places=2, initial=0
    )
    price_per_contact = forms.DecimalField(label=_("Vendor price per contact"), max_digits=14, decimal_places=4)
    price_growth = forms.DecimalField(
        label=_("Vendor price growth per year (%)"), max_digits=7, decimal_places=3, initial=0
    )
    governance_cost = forms.DecimalField(
        label=_("Vendor management cost per year"), max_digits=16, decimal_places=2, initial=0
    )
    transition_cost = forms.DecimalField(label=_("One-off transition cost"), max_digits=16, decimal_places=2, initial=0)


class CommercialModelForm(forms.Form):
    """A contract version's pricing basis, rate and outcome term."""

    contract_version = VersionChoiceField(label=_("Contract version"), queryset=None)
    basis = forms.ChoiceField(label=_("Pricing basis"), choices=PricingBasis.choices)
    rate = forms.DecimalField(
        label=_("Rate"), max_digits=14, decimal_places=4, help_text=_("Amount per unit of the pricing basis.")
    )
    hours_per_fte_month = forms.DecimalField(
        label=_("Paid hours per FTE-month"), max_digits=14, decimal_places=2, initial=174
    )
    outcome_kpi = forms.ChoiceField(label=_("Outcome KPI"), choices=[("", "—"), *OutcomeKpi.choices], required=False)
    outcome_target = forms.DecimalField(
        label=_("Outcome target"),
        max_digits=14,
        decimal_places=4,
        required=False,
        help_text=_("Met when the KPI is at or below it (abandonment, ASA and AHT are better lower)."),
    )
    bonus_percent = forms.DecimalField(
        label=_("Bonus when met (%)"), max_digits=7, decimal_places=3, initial=0, required=False
    )
    malus_percent = forms.DecimalField(
        label=_("Malus when missed (%)"), max_digits=7, decimal_places=3, initial=0, required=False
    )
    note = forms.CharField(label=_("Note"), widget=TEXT, required=False)

    def __init__(self, *args, user, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["contract_version"]
        else:
            self.fields["contract_version"].queryset = contract_version_choices(user=user)
