"""Forms of the client administrator's people pages (invite a person, change a role, filter the list), of
the user's API token page, and the password-reset request.

They only parse input; the rules (who may manage whom, vendor staff belong to a vendor) are the tenancy
services' (`user_invite`, `user_change_role`, `user_set_active`)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from oversight.tenancy.choices import Role
from oversight.tenancy.models import Site, User, Vendor
from oversight.tenancy.roles import VENDOR_ROLES
from oversight.tenancy.services import API_TOKEN_DEFAULT_DAYS, API_TOKEN_MAX_DAYS


class RoleForm(forms.Form):
    """A role, and the vendor when the role is a vendor's."""

    role = forms.ChoiceField(label=_("role"), choices=Role.choices)
    vendor = forms.ModelChoiceField(
        label=_("vendor"),
        queryset=Vendor.objects.none(),
        required=False,
        empty_label=_("— none (client staff or requester) —"),
        help_text=_("Only for vendor managers and agents."),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vendor"].queryset = Vendor.objects.filter(organisation=organisation).order_by("name")

    def clean(self):
        cleaned = super().clean()
        role, vendor = cleaned.get("role"), cleaned.get("vendor")
        if role in VENDOR_ROLES and vendor is None:
            self.add_error("vendor", _("Vendor staff must belong to a vendor."))
        elif role and role not in VENDOR_ROLES and vendor is not None:
            self.add_error("vendor", _("Only vendor staff belong to a vendor."))
        return cleaned


class InviteForm(RoleForm):
    """A new person: who they are, how to reach them, their role; they set their own password by e-mail."""

    username = forms.CharField(
        label=_("user name"), max_length=150, validators=[UnicodeUsernameValidator()], help_text=_("Used to sign in.")
    )
    display_name = forms.CharField(label=_("display name"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("e-mail"), help_text=_("The invitation with the link to set a password goes here.")
    )
    department = forms.ModelChoiceField(
        label=_("department"), queryset=Site.objects.none(), required=False, empty_label=_("— none —")
    )
    language = forms.ChoiceField(label=_("language"), choices=settings.LANGUAGES, initial="zh-hans")

    field_order = ["username", "display_name", "email", "role", "vendor", "department", "language"]

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, organisation=organisation, **kwargs)
        self.fields["department"].queryset = Site.objects.filter(organisation=organisation).order_by("name")
        self.fields["role"].initial = Role.REQUESTER

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This user name is taken."), code="unique")
        return username


class PeopleFilterForm(forms.Form):
    """The list's filters: text, role, active or not."""

    STATUS = (("active", _("active")), ("inactive", _("deactivated")), ("all", _("all")))

    q = forms.CharField(label=_("search"), required=False, max_length=100)
    role = forms.ChoiceField(label=_("role"), required=False, choices=[("", _("all roles")), *Role.choices])
    status = forms.ChoiceField(label=_("status"), required=False, choices=STATUS)


class ApiTokenForm(forms.Form):
    """A new API token: a name to recognise it by and how many days it lives."""

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What will use it, e.g. “nightly export script”."),
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=API_TOKEN_MAX_DAYS,
        initial=API_TOKEN_DEFAULT_DAYS,
        help_text=_("At most %(max)s days; create a new token before it expires.") % {"max": API_TOKEN_MAX_DAYS},
    )


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset request, with each e-mail written in its recipient's language (not the requester's)."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        language = getattr(context.get("user"), "language", None) or translation.get_language()
        with translation.override(language):
            super().send_mail(subject_template_name, email_template_name, context, from_email, to_email, **kwargs)
