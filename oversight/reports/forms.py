"""Forms of the report schedule pages. They only parse input; reports.services decides what is allowed."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from oversight.catalog.selectors import calendar_list
from oversight.contracts.selectors import contract_list
from oversight.reports.schedule import MAX_WORKING_DAY, MIN_WORKING_DAY
from oversight.reports.selectors.schedules import recipient_candidates
from oversight.scorecards.choices import PeriodKind
from oversight.tenancy.selectors import vendor_list


class RecipientChoiceField(forms.ModelMultipleChoiceField):
    """People shown with their role (and vendor), so the vendor's own managers are easy to tell apart."""

    def label_from_instance(self, obj) -> str:
        if obj.vendor_id:
            return f"{obj} · {obj.get_role_display()} · {obj.vendor.name}"
        return f"{obj} · {obj.get_role_display()}"


class ScheduleForm(forms.Form):
    """What a schedule sends (vendor, optionally one contract), when (kind, working day, calendar), to whom."""

    vendor = forms.ModelChoiceField(label=_("Vendor"), queryset=None)
    contract = forms.ModelChoiceField(
        label=_("Contract"),
        queryset=None,
        required=False,
        help_text=_("Empty: the report covers all of the vendor's work."),
    )
    kind = forms.ChoiceField(label=_("Period"), choices=PeriodKind.choices, initial=PeriodKind.MONTHLY)
    working_day = forms.IntegerField(
        label=_("Working day"),
        min_value=MIN_WORKING_DAY,
        max_value=MAX_WORKING_DAY,
        initial=3,
        help_text=_("The report of the previous month or quarter is sent on this working day (1–10) of the next one."),
    )
    calendar = forms.ModelChoiceField(
        label=_("Calendar"),
        queryset=None,
        help_text=_("The client's business calendar that says which days are working days."),
    )
    recipients = RecipientChoiceField(
        label=_("Recipients"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The client side, and the managers of the chosen vendor only."),
    )

    def __init__(self, *args, user, fixed_vendor=None, **kwargs):
        super().__init__(*args, **kwargs)
        organisation = user.organisation
        self.fields["vendor"].queryset = vendor_list(user=user).filter(organisation=organisation).order_by("name")
        self.fields["contract"].queryset = (
            contract_list(user=user).filter(organisation=organisation).order_by("vendor__name", "number")
        )
        self.fields["calendar"].queryset = calendar_list(user=user).filter(organisation=organisation).order_by("name")
        self.fields["recipients"].queryset = recipient_candidates(organisation=organisation).order_by(
            "role", "username"
        )
        if fixed_vendor is not None:
            self.fields["vendor"].disabled = True
            self.fields["vendor"].initial = fixed_vendor.pk
            self.fields["contract"].queryset = self.fields["contract"].queryset.filter(vendor=fixed_vendor)
            self.fields["recipients"].queryset = recipient_candidates(
                organisation=organisation, vendor=fixed_vendor
            ).order_by("role", "username")


class SendForm(forms.Form):
    """Which ended period to send now (empty: the last ended one)."""

    period = forms.CharField(
        label=_("Period"),
        max_length=10,
        required=False,
        help_text=_("A month as 2026-10 or a quarter as 2026-Q3; empty: the last ended period."),
    )
