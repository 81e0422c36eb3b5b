"""Forms of the contact-centre pages. They only parse input; contactcentre.services decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from oversight.contactcentre.importing import TARGETS
from oversight.contactcentre.models import IntervalFact, ServiceLevelVariant
from oversight.tenancy.selectors import vendor_list

OWN_LABELS = {
    "queue": _("Queue code"),
    "interval_start": _("Interval start (date and time)"),
    "interval_date": _("Interval date"),
    "interval_time": _("Interval time"),
}


def target_label(target: str):
    """The translated name of a field a column may be mapped to."""
    return OWN_LABELS.get(target) or IntervalFact._meta.get_field(target).verbose_name


class VendorChoiceMixin:
    def limit_vendors(self, user):
        vendors = vendor_list(user=user)
        if getattr(user, "vendor_id", None):
            vendors = vendors.filter(pk=user.vendor_id)
        self.fields["vendor"].queryset = vendors


class UploadForm(VendorChoiceMixin, forms.Form):
    vendor = forms.ModelChoiceField(label=_("Vendor"), queryset=None)
    file = forms.FileField(label=_("Export file (.csv or .xlsx)"))
    correction_reason = forms.CharField(
        label=_("Reason for the correction"),
        required=False,
        max_length=500,
        help_text=_("Only for a correction of a locked month (client administrators and supervisors)."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_vendors(user)


class MappingForm(VendorChoiceMixin, forms.Form):
    vendor = forms.ModelChoiceField(label=_("Vendor"), queryset=None)
    datetime_format = forms.CharField(label=_("Date and time format"), max_length=40, initial="%Y-%m-%d %H:%M")
    time_zone = forms.CharField(label=_("Time zone of the file"), max_length=64, initial="Asia/Shanghai")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_vendors(user)
        for target in TARGETS:
            self.fields[f"col_{target}"] = forms.CharField(label=target_label(target), required=False, max_length=120)

    def columns(self) -> dict:
        return {t: self.cleaned_data.get(f"col_{t}", "") for t in TARGETS if self.cleaned_data.get(f"col_{t}")}


class LockForm(VendorChoiceMixin, forms.Form):
    vendor = forms.ModelChoiceField(label=_("Vendor"), queryset=None)
    month = forms.DateField(label=_("Month"), widget=forms.DateInput(attrs={"type": "month"}), input_formats=["%Y-%m"])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_vendors(user)


class TermForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    variant = forms.ChoiceField(label=_("Service-level definition"), choices=ServiceLevelVariant.choices)
    threshold_seconds = forms.IntegerField(label=_("Answer within (seconds)"), min_value=1, max_value=3600)
    target_percent = forms.DecimalField(label=_("Service-level target (%)"), min_value=1, max_value=100)
    short_abandon_seconds = forms.IntegerField(label=_("Short abandon under (seconds)"), min_value=0, max_value=600)
    max_occupancy_percent = forms.DecimalField(label=_("Maximum occupancy (%)"), min_value=1, max_value=100)
    shrinkage_percent = forms.DecimalField(label=_("Shrinkage (%)"), min_value=0, max_value=99)
    abandonment_target_percent = forms.DecimalField(
        label=_("Abandonment target (%)"), min_value=0, max_value=100, required=False
    )
    asa_target_seconds = forms.IntegerField(label=_("ASA target (seconds)"), min_value=1, required=False)
    forecast_tolerance_percent = forms.DecimalField(
        label=_("Forecast tolerance (%)"), min_value=0, max_value=100, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from oversight.contactcentre.models import Channel

        self.fields["channel"].choices = [("", _("All channels")), *Channel.choices]
