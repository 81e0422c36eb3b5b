"""Administration of organisations, sites, vendors, teams, users and the vendor staff roster.

The main rows are saved and deleted by the tenancy services (which audit); the admin only parses the forms.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import admin
from django.contrib.admin import RelatedOnlyFieldListFilter
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from oversight.core.errors import NotAllowed
from oversight.core.forms import changed_fields
from oversight.tenancy import services
from oversight.tenancy.admin_base import (
    AuditedModelAdmin,
    OrganisationConsistentFormMixin,
    OversightInlineMixin,
    OversightModelForm,
    mark_audited,
    today,
)
from oversight.tenancy.models import Certificate, Organisation, Site, StaffMember, Team, User, Vendor
from oversight.tenancy.roles import VENDOR_ROLES

EXPIRY_WARNING_DAYS = 30


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin):
    """Client organisations; only superusers create or delete them."""

    superuser_only_add = True
    superuser_only_delete = True
    list_display = ("name", "code", "time_zone", "work_order_prefix", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "code")

    def save_model(self, request, obj, form, change):
        services.organisation_save(actor=request.user, organisation=obj, fields=changed_fields(obj, form, change))
        mark_audited(obj)

    def delete_model(self, request, obj):
        services.organisation_delete(actor=request.user, organisation=obj)


class SiteForm(OversightModelForm):
    """A site may not be its own ancestor."""

    def clean(self):
        cleaned = super().clean()
        parent = cleaned.get("parent")
        seen = set()
        while parent is not None and parent.pk not in seen:
            if self.instance.pk and parent.pk == self.instance.pk:
                self.add_error("parent", _("A site cannot be placed inside itself."))
                break
            seen.add(parent.pk)
            parent = parent.parent
        return cleaned


@admin.register(Site)
class SiteAdmin(AuditedModelAdmin):
    """Campuses, buildings, departments and rooms."""

    form = SiteForm
    fixed_on_change = ("organisation",)
    list_display = ("name", "code", "kind", "parent", "organisation")
    list_filter = ("kind", ("organisation", RelatedOnlyFieldListFilter))
    list_select_related = ("parent", "organisation")
    search_fields = ("name", "code")

    def save_model(self, request, obj, form, change):
        services.site_save(actor=request.user, site=obj, fields=changed_fields(obj, form, change))
        mark_audited(obj)

    def delete_model(self, request, obj):
        services.site_delete(actor=request.user, site=obj)


@admin.register(Vendor)
class VendorAdmin(AuditedModelAdmin):
    """Vendors serving an organisation."""

    fixed_on_change = ("organisation",)
    list_display = ("name", "code", "tier", "organisation", "contact_email", "contact_phone", "is_active")
    list_filter = ("tier", "is_active", ("organisation", RelatedOnlyFieldListFilter))
    list_select_related = ("organisation",)
    search_fields = ("name", "code", "contact_email")

    def save_model(self, request, obj, form, change):
        services.vendor_save(actor=request.user, vendor=obj, fields=changed_fields(obj, form, change))
        mark_audited(obj)

    def delete_model(self, request, obj):
        services.vendor_delete(actor=request.user, vendor=obj)


@admin.register(Team)
class TeamAdmin(AuditedModelAdmin):
    """Dispatch teams of a vendor."""

    list_display = ("name", "vendor")
    list_filter = (("vendor", RelatedOnlyFieldListFilter),)
    list_select_related = ("vendor",)
    search_fields = ("name",)

    def save_model(self, request, obj, form, change):
        services.team_save(actor=request.user, team=obj, fields=changed_fields(obj, form, change))
        mark_audited(obj)

    def delete_model(self, request, obj):
        services.team_delete(actor=request.user, team=obj)


class UserRulesFormMixin(OrganisationConsistentFormMixin):
    """A user's role, vendor, organisation and teams must fit together (and be in one organisation)."""

    def clean(self):
        cleaned = super().clean()

        def value(name):
            return cleaned[name] if name in cleaned else getattr(self.instance, name, None)

        role, vendor, organisation = value("role"), value("vendor"), value("organisation")
        if role in VENDOR_ROLES and vendor is None:
            self.add_error("vendor" if "vendor" in self.fields else None, _("Vendor staff must belong to a vendor."))
        if role and role not in VENDOR_ROLES and vendor is not None:
            self.add_error(
                "vendor" if "vendor" in self.fields else None,
                _("Only vendor managers and vendor agents belong to a vendor."),
            )
        if organisation is None and not value("is_superuser"):
            self.add_error(
                "organisation" if "organisation" in self.fields else None, _("Choose the user's organisation.")
            )
        teams = cleaned.get("teams")
        if teams and (vendor is None or any(team.vendor_id != vendor.pk for team in teams)):
            self.add_error("teams", _("Teams must belong to the user's vendor."))
        return cleaned


class UserAdminChangeForm(UserRulesFormMixin, UserChangeForm):
    """Change form for users with the organisation and role rules."""

    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


class UserAdminCreationForm(UserRulesFormMixin, AdminUserCreationForm):
    """Creation form for users with the organisation and role rules."""

    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username",)


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):
    """Users: role, organisation, vendor, department, language, time zone, teams; audited without secrets.

    A client administrator cannot grant superuser status, group or permission rows, nor place anyone
    in another organisation (the choices only offer their own), and never sees superuser accounts.
    """

    form = UserAdminChangeForm
    add_form = UserAdminCreationForm
    audit_m2m = ("teams",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "display_name", "email", "phone")}),
        (
            _("Organisation and role"),
            {"fields": ("organisation", "role", "vendor", "department", "sees_department_work_orders", "teams")},
        ),
        (_("Preferences"), {"fields": ("language", "time_zone")}),
        (
            _("Access"),
            {"fields": ("is_active", "must_change_password", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "usable_password", "password1", "password2")}),
        (_("Personal info"), {"fields": ("display_name", "email", "phone")}),
        (_("Organisation and role"), {"fields": ("organisation", "role", "vendor", "department", "is_staff")}),
        (_("Preferences"), {"fields": ("language", "time_zone")}),
    )
    readonly_fields = ("last_login", "date_joined")
    actions = ("unlock_sign_in",)
    list_display = ("username", "display_name", "role", "organisation", "vendor", "department", "is_active", "is_staff")
    list_filter = (
        "role",
        "is_active",
        "is_staff",
        ("organisation", RelatedOnlyFieldListFilter),
        ("vendor", RelatedOnlyFieldListFilter),
    )
    list_select_related = ("organisation", "vendor", "department")
    search_fields = ("username", "first_name", "last_name", "display_name", "email", "phone")
    filter_horizontal = ("teams", "groups", "user_permissions")

    SUPERUSER_ONLY_FIELDS = ("is_superuser", "groups", "user_permissions")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in self.SUPERUSER_ONLY_FIELDS]})
            for name, options in fieldsets
        ]

    def save_model(self, request, obj, form, change):
        teams = form.cleaned_data["teams"] if "teams" in form.cleaned_data else None
        try:
            services.user_save(actor=request.user, user=obj, fields=changed_fields(obj, form, change), teams=teams)
        except NotAllowed as exc:
            # Defence in depth: the form never offers these, but a forged request must not slip through.
            raise PermissionDenied(exc.message) from exc
        mark_audited(obj)

    def delete_model(self, request, obj):
        services.user_delete(actor=request.user, user=obj)

    @admin.action(description=_("Unlock sign-in (clear failed sign-ins)"))
    def unlock_sign_in(self, request, queryset):
        """Lift the sign-in lockout of the chosen accounts (the queryset is already limited to this admin's)."""
        for user in queryset:
            services.user_unlock_sign_in(actor=request.user, user=user)
        count = len(queryset)
        self.message_user(
            request,
            ngettext("Sign-in unlocked for %(count)d user.", "Sign-in unlocked for %(count)d users.", count)
            % {"count": count},
        )

    def user_change_password(self, request, id, form_url=""):
        """Django's password form, plus an audit entry (never with the password or its hash)."""
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = self.get_object(request, unquote(id))
            if user is not None:
                services.user_password_changed(actor=request.user, user=user)
        return response


class CertificateInline(OversightInlineMixin, admin.TabularInline):
    """Certificates of a staff member, with expired and soon-expiring ones highlighted."""

    model = Certificate
    extra = 0
    fields = ("name", "number", "issued_on", "expires_on", "expiry_state")
    readonly_fields = ("expiry_state",)

    @admin.display(description=_("expiry"))
    def expiry_state(self, obj):
        return certificate_expiry_html(obj)


def certificate_expiry_html(obj: Certificate | None):
    """'expired' in red, 'expires in N days' (within 30 days) in orange, otherwise 'valid'."""
    if obj is None or obj.expires_on is None:
        return "—"
    days = (obj.expires_on - today()).days
    if days < 0:
        text = ngettext("expired %(days)s day ago", "expired %(days)s days ago", -days) % {"days": -days}
        return format_html('<strong class="expiry expired" style="color:#ba2121">{}</strong>', text)
    if days <= EXPIRY_WARNING_DAYS:
        text = ngettext("expires in %(days)s day", "expires in %(days)s days", days) % {"days": days}
        return format_html('<strong class="expiry expiring" style="color:#c56b00">{}</strong>', text)
    return _("valid")


class CertificateExpiryFilter(admin.SimpleListFilter):
    """Staff with expired or soon-expiring certificates."""

    title = _("certificates")
    parameter_name = "certificates"

    def lookups(self, request, model_admin):
        return [("expired", _("Expired")), ("expiring", _("Expiring within 30 days"))]

    def queryset(self, request, queryset):
        day = today()
        if self.value() == "expired":
            return queryset.filter(certificates__expires_on__lt=day).distinct()
        if self.value() == "expiring":
            return queryset.filter(
                certificates__expires_on__gte=day,
                certificates__expires_on__lte=day + dt.timedelta(days=EXPIRY_WARNING_DAYS),
            ).distinct()
        return queryset


class StaffMemberForm(OversightModelForm):
    """A roster entry's linked user must work for the same vendor."""

    def clean(self):
        cleaned = super().clean()
        user, vendor = cleaned.get("user"), cleaned.get("vendor")
        if user is not None and vendor is not None and user.vendor_id != vendor.pk:
            self.add_error("user", _("This user does not work for the chosen vendor."))
        return cleaned


@admin.register(StaffMember)
class StaffMemberAdmin(AuditedModelAdmin):
    """The vendor staff roster (人员) with certificates."""

    form = StaffMemberForm
    fixed_on_change = ("vendor",)
    inlines = [CertificateInline]
    list_display = ("name", "vendor", "position", "user", "is_active", "certificate_alerts")
    list_filter = ("position", "is_active", CertificateExpiryFilter, ("vendor", RelatedOnlyFieldListFilter))
    list_select_related = ("vendor", "user")
    search_fields = ("name", "skills")

    def save_model(self, request, obj, form, change):
        services.staff_member_save(actor=request.user, staff_member=obj, fields=changed_fields(obj, form, change))
        mark_audited(obj)

    def delete_model(self, request, obj):
        services.staff_member_delete(actor=request.user, staff_member=obj)

    def get_queryset(self, request):
        day = today()
        return (
            super()
            .get_queryset(request)
            .annotate(
                expired_certificates=Count("certificates", filter=Q(certificates__expires_on__lt=day)),
                expiring_certificates=Count(
                    "certificates",
                    filter=Q(
                        certificates__expires_on__gte=day,
                        certificates__expires_on__lte=day + dt.timedelta(days=EXPIRY_WARNING_DAYS),
                    ),
                ),
            )
        )

    @admin.display(description=_("certificates"))
    def certificate_alerts(self, obj):
        parts = []
        if getattr(obj, "expired_certificates", 0):
            parts.append(
                format_html(
                    '<strong style="color:#ba2121">{}</strong>',
                    ngettext("%(n)s expired", "%(n)s expired", obj.expired_certificates)
                    % {"n": obj.expired_certificates},
                )
            )
        if getattr(obj, "expiring_certificates", 0):
            parts.append(
                format_html(
                    '<strong style="color:#c56b00">{}</strong>',
                    ngettext("%(n)s expiring soon", "%(n)s expiring soon", obj.expiring_certificates)
                    % {"n": obj.expiring_certificates},
                )
            )
        if not parts:
            return "—"
        return format_html("{} {}", parts[0], parts[1]) if len(parts) == 2 else parts[0]
