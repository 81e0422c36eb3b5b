"""Forms of the liaisons pages. They only parse input (choices limited to what the user may see); the services
decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from oversight.catalog.choices import Priority
from oversight.catalog.selectors import calendar_list, service_list
from oversight.liaisons.choices import Delivery, LiaisonRole, Trigger
from oversight.liaisons.services.hotline import CONTACT_MAX, DESCRIPTION_MAX
from oversight.liaisons.services.liaisons import MAX_DEPUTIES
from oversight.notifications.channels.selectors import channel_list
from oversight.tenancy.roles import is_vendor
from oversight.tenancy.selectors import user_list, vendor_list
from oversight.tickets.selectors import work_order_list

DEPUTY_FIELDS = ("name", "phone", "email")


class LiaisonForm(forms.Form):
    """A liaison: vendor (empty for the client), role, person, working hours, hotline listing, deputies."""

    vendor = forms.ModelChoiceField(
        label=_("Vendor"), queryset=None, required=False, empty_label=_("Client organisation")
    )
    role = forms.ChoiceField(label=_("Role"), choices=LiaisonRole.choices)
    user = forms.ModelChoiceField(label=_("User"), queryset=None, required=False)
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    calendar = forms.ModelChoiceField(label=_("Working hours"), queryset=None, required=False)
    on_hotline = forms.BooleanField(label=_("Listed on the supervision hotline"), required=False)
    position = forms.IntegerField(label=_("Order"), min_value=0, max_value=99, initial=0)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        vendors = vendor_list(user=user).order_by("name")
        if is_vendor(user):
            vendors = vendors.filter(pk=user.vendor_id)
            self.fields["vendor"].required = True
            self.fields["vendor"].empty_label = None
        self.fields["vendor"].queryset = vendors
        self.fields["user"].queryset = user_list(user=user).filter(is_active=True).order_by("username")
        self.fields["calendar"].queryset = calendar_list(user=user).order_by("name")
        for index in range(1, MAX_DEPUTIES + 1):
            self.fields[f"deputy_{index}_user"] = forms.ModelChoiceField(
                label=_("Deputy %(n)d: user") % {"n": index}, queryset=self.fields["user"].queryset, required=False
            )
            self.fields[f"deputy_{index}_name"] = forms.CharField(
                label=_("Deputy %(n)d: name") % {"n": index}, max_length=100, required=False
            )
            self.fields[f"deputy_{index}_phone"] = forms.CharField(
                label=_("Deputy %(n)d: phone") % {"n": index}, max_length=40, required=False
            )
            self.fields[f"deputy_{index}_email"] = forms.EmailField(
                label=_("Deputy %(n)d: e-mail") % {"n": index}, required=False
            )

    @staticmethod
    def initial_for(liaison) -> dict:
        """The form's initial values for an existing liaison."""
        initial = {
            "vendor": liaison.vendor_id,
            "role": liaison.role,
            "user": liaison.user_id,
            "name": liaison.name,
            "phone": liaison.phone,
            "email": liaison.email,
            "calendar": liaison.calendar_id,
            "on_hotline": liaison.on_hotline,
            "position": liaison.position,
        }
        for index, deputy in enumerate(liaison.deputies.all(), start=1):
            initial[f"deputy_{index}_user"] = deputy.user_id
            for name in DEPUTY_FIELDS:
                initial[f"deputy_{index}_{name}"] = getattr(deputy, name)
        return initial

    def values(self) -> tuple[dict, list[dict]]:
        """The liaison's fields and its deputies, in order, for `liaison_save`."""
        data = self.cleaned_data
        values = {name: data[name] for name in ("vendor", "role", "user", "name", "phone", "email", "calendar")}
        values["on_hotline"] = bool(data["on_hotline"])
        values["position"] = data["position"] or 0
        deputies = [
            {"user": data[f"deputy_{i}_user"], **{name: data[f"deputy_{i}_{name}"] for name in DEPUTY_FIELDS}}
            for i in range(1, MAX_DEPUTIES + 1)
        ]
        return values, deputies


class MatrixForm(forms.Form):
    """A new escalation matrix: the organisation's (no vendor) or a vendor's override, on a calendar."""

    vendor = forms.ModelChoiceField(
        label=_("Vendor"), queryset=None, required=False, empty_label=_("Whole organisation")
    )
    calendar = forms.ModelChoiceField(label=_("Business calendar"), queryset=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vendor"].queryset = vendor_list(user=user).order_by("name")
        self.fields["calendar"].queryset = calendar_list(user=user).order_by("name")


class RuleForm(forms.Form):
    """One row of a matrix: trigger, priority, level, wait in business hours, recipients, delivery."""

    trigger = forms.ChoiceField(label=_("Trigger"), choices=Trigger.choices)
    priority = forms.ChoiceField(
        label=_("Priority"), choices=[("", _("Every priority")), *Priority.choices], required=False
    )
    level = forms.IntegerField(label=_("Level"), min_value=1, max_value=9, initial=1)
    wait_hours = forms.DecimalField(
        label=_("Wait (business hours)"), min_value=0, max_value=10000, max_digits=7, decimal_places=2, initial=0
    )
    roles = forms.MultipleChoiceField(
        label=_("Liaison roles"), choices=LiaisonRole.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    users = forms.ModelMultipleChoiceField(label=_("People"), queryset=None, required=False)
    delivery = forms.ChoiceField(label=_("Delivery"), choices=Delivery.choices)
    channel = forms.ModelChoiceField(label=_("Group chat"), queryset=None, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = channel_list(user=user).order_by("name")
        self.fields["users"].queryset = (
            user_list(user=user).filter(is_active=True, organisation_id=user.organisation_id).order_by("username")
        )


class HotlinePageForm(forms.Form):
    """The hotline page's texts and contacts."""

    title = forms.CharField(label=_("Title"), max_length=200)
    title_en = forms.CharField(label=_("Title in English"), max_length=200, required=False)
    intro = forms.CharField(label=_("Introduction"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    intro_en = forms.CharField(
        label=_("Introduction in English"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    phone = forms.CharField(label=_("Hotline phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("Hotline e-mail"), required=False)
    is_active = forms.BooleanField(label=_("Open to the public"), required=False, initial=True)


class HotlineAreaForm(forms.Form):
    """A service area of the hotline page."""

    name = forms.CharField(label=_("Name"), max_length=100)
    name_en = forms.CharField(label=_("Name in English"), max_length=100, required=False)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    text_en = forms.CharField(label=_("Text in English"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    vendor = forms.ModelChoiceField(label=_("Vendor"), queryset=None, required=False)
    position = forms.IntegerField(label=_("Order"), min_value=0, max_value=99, initial=0)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vendor"].queryset = vendor_list(user=user).order_by("name")


class HotlineReportForm(forms.Form):
    """The public form: what happened, the service area, and an optional contact (no personal data required)."""

    area = forms.ChoiceField(label=_("Service area"), required=False)
    description = forms.CharField(
        label=_("What happened"), max_length=DESCRIPTION_MAX, widget=forms.Textarea(attrs={"rows": 6})
    )
    contact = forms.CharField(
        label=_("Contact (optional)"),
        max_length=CONTACT_MAX,
        required=False,
        help_text=_("Leave a phone or e-mail only if you want us to call you back."),
    )

    def __init__(self, *args, page, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", _("Not sure")), *((a.pk, a.localized_name) for a in page.areas.all())]


class ConvertForm(forms.Form):
    """Pass a report on: a complaint about a work order, or a new work order of a service."""

    summary = forms.CharField(label=_("Summary"), max_length=200, required=False)
    work_order = forms.ModelChoiceField(label=_("Complaint about work order"), queryset=None, required=False)
    service = forms.ModelChoiceField(label=_("Or a new work order of the service"), queryset=None, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work_order"].queryset = work_order_list(user=user).order_by("-created_at")
        self.fields["work_order"].to_field_name = "number"
        self.fields["work_order"].widget = forms.TextInput(attrs={"placeholder": _("Work order number")})
        self.fields["service"].queryset = service_list(user=user).order_by("code")


class DismissForm(forms.Form):
    """Dismiss a report, with the reason."""

    note = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
