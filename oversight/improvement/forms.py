"""Forms of the improvement pages. They only parse input; improvement.services decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from oversight.catalog.selectors import service_list
from oversight.contracts.selectors import contract_list
from oversight.improvement import measurement
from oversight.improvement.choices import Priority, Size, SourceKind
from oversight.tenancy.roles import CLIENT_OPERATORS, is_vendor
from oversight.tenancy.selectors import user_list, vendor_list

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})
VALUE = {"max_digits": 20, "decimal_places": 6}
#: What an item's owner changes (improvement.services.OWNER_FIELDS).
CONTENT_FIELDS = ("title", "title_en", "description", "justification", "target_date")


def people(user):
    """Active people of the user's organisation who may own or approve items (client operators, vendor staff)."""
    return (
        user_list(user=user)
        .filter(organisation_id=user.organisation_id, is_active=True)
        .exclude(role="requester")
        .order_by("username")
    )


class ItemForm(forms.Form):
    """An improvement: what, why, size, priority, owner, approver, target date, scope, indicator, source."""

    title = forms.CharField(label=_("Title"), max_length=200)
    title_en = forms.CharField(label=_("Title in English"), max_length=200, required=False)
    description = forms.CharField(label=_("Description"), widget=TEXT)
    justification = forms.CharField(label=_("Justification"), widget=TEXT, required=False)
    size = forms.ChoiceField(label=_("Size"), choices=Size.choices, initial=Size.M)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.MEDIUM)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None)
    approver = forms.ModelChoiceField(label=_("Approver"), queryset=None, required=False)
    target_date = forms.DateField(label=_("Target date"), widget=DATE, required=False)
    vendor = forms.ModelChoiceField(label=_("Vendor"), queryset=None, required=False)
    contract = forms.ModelChoiceField(label=_("Contract"), queryset=None, required=False)
    service = forms.ModelChoiceField(label=_("Service"), queryset=None, required=False)
    indicator = forms.ChoiceField(label=_("Indicator it should move"), required=False)
    baseline = forms.DecimalField(label=_("Baseline"), required=False, **VALUE)
    target = forms.DecimalField(label=_("Target"), required=False, **VALUE)
    source_kind = forms.ChoiceField(label=_("Source"), choices=SourceKind.choices, initial=SourceKind.MANUAL)
    source_id = forms.IntegerField(label=_("Source object"), required=False, min_value=1, widget=forms.HiddenInput)
    source_note = forms.CharField(label=_("Source reference"), max_length=300, required=False)

    def __init__(self, *args, user, editing: bool = False, content_only: bool = False, **kwargs):
        """``editing`` leaves out the source (fixed when raised); ``content_only`` keeps what an owner may change;
        vendor staff name no approver (they see no list of the client's people)."""
        super().__init__(*args, **kwargs)
        everyone = people(user)
        self.fields["owner"].queryset = everyone
        self.fields["approver"].queryset = everyone.filter(role__in=CLIENT_OPERATORS)
        self.fields["vendor"].queryset = vendor_list(user=user).order_by("name")
        self.fields["contract"].queryset = contract_list(user=user).order_by("number")
        self.fields["service"].queryset = service_list(user=user).order_by("code")
        self.fields["indicator"].choices = [("", _("None")), *measurement.indicator_choices()]
        if editing:
            for name in ("source_kind", "source_id", "source_note"):
                del self.fields[name]
        if content_only:
            for name in set(self.fields) - set(CONTENT_FIELDS):
                del self.fields[name]
        elif is_vendor(user):
            del self.fields["approver"]


class TransitionForm(forms.Form):
    """A step along the states: the action, a note, the implementation date (for "implementation done")."""

    action = forms.CharField(max_length=20)
    note = forms.CharField(max_length=1000, required=False)
    implemented_on = forms.DateField(required=False, widget=DATE)
    version = forms.IntegerField(required=False)


class MeasureForm(forms.Form):
    """How many days before and after the implementation date to compare."""

    days = forms.IntegerField(label=_("Days before and after"), min_value=1, max_value=366, required=False)


class BenefitForm(forms.Form):
    """The benefit realised: text and an optional amount."""

    benefits = forms.CharField(label=_("Benefits realised"), widget=TEXT)
    benefit_amount = forms.DecimalField(
        label=_("Benefit amount"), required=False, min_value=0, max_digits=16, decimal_places=2
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
