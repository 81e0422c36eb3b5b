"""Forms of the parts pages: they parse input only; the services decide (and refuse with a clear message)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from oversight.parts import selectors
from oversight.parts.choices import RECORDABLE_KINDS, MovementKind
from oversight.tenancy.models import Site, Vendor
from oversight.tenancy.visibility import restrict


def _locations(user):
    return selectors.location_list(user=user).filter(is_active=True)


class MovementForm(forms.Form):
    """Record an order, a receipt, a use on a work order, a return or an adjustment of one part."""

    kind = forms.ChoiceField(label=_("Movement"), choices=[(k.value, k.label) for k in RECORDABLE_KINDS])
    location = forms.ModelChoiceField(label=_("Stock location"), queryset=None)
    quantity = forms.IntegerField(
        label=_("Quantity"), help_text=_("Units; for an adjustment a negative number removes stock.")
    )
    work_order = forms.CharField(
        label=_("Work order number"), max_length=30, required=False, help_text=_("For a use or a return.")
    )
    reference = forms.CharField(label=_("Reference"), max_length=100, required=False)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, kinds=RECORDABLE_KINDS, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = _locations(user)
        self.fields["kind"].choices = [(k.value, MovementKind(k).label) for k in kinds]


class ConsumeForm(forms.Form):
    """Use a part on the work order whose page this form is on."""

    item = forms.ModelChoiceField(label=_("Spare part"), queryset=None)
    location = forms.ModelChoiceField(label=_("Stock location"), queryset=None)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, initial=1)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = selectors.item_list(user=user).filter(is_active=True)
        self.fields["location"].queryset = _locations(user)


class TransferForm(forms.Form):
    """Move units of one part from one location to another."""

    source = forms.ModelChoiceField(label=_("From"), queryset=None)
    destination = forms.ModelChoiceField(label=_("To"), queryset=None)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1)
    reason = forms.CharField(label=_("Reason"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = _locations(user)
        self.fields["destination"].queryset = _locations(user)


class LevelForm(forms.Form):
    """Set the reorder point and the target stock of one part at one location."""

    location = forms.ModelChoiceField(label=_("Stock location"), queryset=None)
    reorder_point = forms.IntegerField(label=_("Reorder point"), min_value=0)
    target_stock = forms.IntegerField(label=_("Target stock"), min_value=0)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = _locations(user)


class ItemForm(forms.Form):
    """A new spare part."""

    code = forms.CharField(label=_("Part code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=20)
    unit_price = forms.DecimalField(label=_("Unit price"), max_digits=14, decimal_places=2, min_value=0)
    vendor = forms.ModelChoiceField(label=_("Vendor"), queryset=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vendor"].queryset = restrict(Vendor.objects.filter(is_active=True), user)


class LocationForm(forms.Form):
    """A new stock location."""

    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    site = forms.ModelChoiceField(label=_("Site"), queryset=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = restrict(Site.objects.all(), user)
