"""Forms of the KRI and vendor-state pages. They only parse input; `risks.triggers` and `risks.vendor_states`
decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from oversight.catalog.selectors import calendar_list, service_list
from oversight.contracts.selectors import contract_list
from oversight.risks.choices_triggers import KriRule, KriWindow
from oversight.risks.indicators import source_choices
from oversight.risks.selectors import risk_list
from oversight.tenancy.selectors import vendor_list

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FIGURE = {"max_digits": 20, "decimal_places": 6}
DIRECTIONS = (("1", _("Higher is worse")), ("0", _("Lower is worse")))


class KriForm(forms.Form):
    """A KRI: what it reads, its scope, thresholds, window, persistence and the risks a breach raises."""

    name = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    source = forms.ChoiceField(label=_("Indicator source"), required=False)
    rule = forms.ChoiceField(label=_("Data rule"), choices=[("", "—"), *KriRule.choices], required=False)
    vendor = forms.ModelChoiceField(label=_("Vendor"), queryset=None)
    contract = forms.ModelChoiceField(label=_("Contract"), queryset=None, required=False)
    service = forms.ModelChoiceField(label=_("Service"), queryset=None, required=False)
    higher_is_worse = forms.TypedChoiceField(
        label=_("Direction"), choices=DIRECTIONS, coerce=lambda v: v == "1", initial="1"
    )
    amber_threshold = forms.DecimalField(
        label=_("Amber threshold"), help_text=_("The last value that is still green."), **FIGURE
    )
    red_threshold = forms.DecimalField(
        label=_("Red threshold"), help_text=_("The last value that is still amber; beyond it is red."), **FIGURE
    )
    window = forms.ChoiceField(label=_("Evaluation window"), choices=KriWindow.choices, initial=KriWindow.MONTH)
    window_days = forms.IntegerField(label=_("Working days per window"), min_value=1, max_value=60, initial=1)
    calendar = forms.ModelChoiceField(label=_("Business calendar"), queryset=None, required=False)
    persistence = forms.IntegerField(
        label=_("Persistence (periods)"),
        min_value=1,
        max_value=24,
        initial=1,
        help_text=_("How many red periods in a row make a breach."),
    )
    rule_days = forms.IntegerField(
        label=_("Days looked at by the rule"),
        min_value=1,
        max_value=365,
        initial=30,
        help_text=_("Certificates: expiries within this many days count as one cluster."),
    )
    starts_on = forms.DateField(label=_("Judged from"), widget=DATE)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    risks = forms.ModelMultipleChoiceField(label=_("Linked risks"), queryset=None, required=False)
    raise_levels = forms.IntegerField(
        label=_("Probability levels a breach raises"),
        min_value=0,
        max_value=6,
        initial=1,
        help_text=_("Applied to each linked risk's current rating, at most to the matrix's top level."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [("", "—"), *source_choices()]
        self.fields["vendor"].queryset = vendor_list(user=user).order_by("name")
        self.fields["contract"].queryset = contract_list(user=user).order_by("number")
        self.fields["service"].queryset = service_list(user=user).order_by("name")
        self.fields["calendar"].queryset = calendar_list(user=user).order_by("name")
        self.fields["risks"].queryset = risk_list(user=user).order_by("number")

    def clean(self):
        data = super().clean()
        if bool(data.get("source")) == bool(data.get("rule")):
            raise forms.ValidationError(_("Choose either an indicator source or a data rule."))
        return data

    def values(self) -> tuple[dict, list[tuple]]:
        """The KRI's fields for `kri_save` and its links as (risk, levels raised)."""
        data = dict(self.cleaned_data)
        risks = data.pop("risks")
        levels = data.pop("raise_levels")
        return data, [(risk, levels) for risk in risks]


class VendorStateSettingsForm(forms.Form):
    """The rule of a vendor's monthly state and the prior of the chain (a 5 × 5 matrix, one row a line)."""

    watch_below = forms.DecimalField(label=_("Watch below score"), max_digits=5, decimal_places=2)
    warning_below = forms.DecimalField(label=_("Warning below score"), max_digits=5, decimal_places=2)
    remediation_below = forms.DecimalField(label=_("Remediation below score"), max_digits=5, decimal_places=2)
    warning_missed = forms.IntegerField(label=_("Warning from commitments missed"), min_value=1, max_value=99)
    remediation_missed = forms.IntegerField(label=_("Remediation from commitments missed"), min_value=1, max_value=99)
    watch_breaches = forms.IntegerField(label=_("Watch from SLA breaches in the month"), min_value=1, max_value=9999)
    prior = forms.CharField(
        label=_("Prior transition matrix"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Five rows (normal, watch, warning, remediation, exit), five probabilities each, separated by spaces."
        ),
    )
    prior_strength = forms.DecimalField(label=_("Prior strength (months)"), min_value=0, max_digits=6, decimal_places=2)
    min_observations = forms.IntegerField(
        label=_("Observed months before a row is estimated"), min_value=0, max_value=120
    )

    @staticmethod
    def prior_text(prior) -> str:
        return "\n".join(" ".join(f"{p:g}" for p in row) for row in prior)

    def clean_prior(self):
        text = self.cleaned_data["prior"]
        try:
            rows = [
                [float(p) for p in line.replace(",", " ").split()] for line in text.strip().splitlines() if line.strip()
            ]
        except ValueError as exc:
            raise forms.ValidationError(_("Write numbers only, such as 0.85.")) from exc
        return rows
