"""Forms of the portfolio pages: they only parse input; the rules live in portfolio.services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from oversight.portfolio.choices import QualificationRole
from oversight.tenancy.models import Vendor


class QualificationForm(forms.Form):
    """Qualify a vendor of the organisation for one critical service."""

    vendor = forms.ModelChoiceField(label=_("Vendor"), queryset=Vendor.objects.none())
    role = forms.ChoiceField(
        label=_("Role"),
        choices=QualificationRole.choices,
        initial=QualificationRole.BACKUP,
        help_text=_("The vendor that owns the service is its primary vendor; any other is a backup."),
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(
        label=_("Valid to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: without end."),
    )

    def __init__(self, *args, vendors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vendor"].queryset = vendors


class PortfolioSettingsForm(forms.Form):
    """The organisation's portfolio settings."""

    min_critical_vendors = forms.IntegerField(
        label=_("Minimum qualified vendors per critical service"),
        help_text=_("The primary vendor counts; below this the coverage page warns."),
    )
    target_cost_per_work_order = forms.DecimalField(
        label=_("Target cost per resolved work order"),
        required=False,
        max_digits=14,
        decimal_places=2,
        help_text=_("At or below this cost per resolved work order the cost score is 100; empty: not computed."),
    )
