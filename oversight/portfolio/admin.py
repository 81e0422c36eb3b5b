"""Service qualifications and portfolio settings in the administration, scoped to the administrator's organisation.

Every write goes through portfolio.services (which check the rules and audit): a qualification is added with
``qualification_add`` and removed with ``qualification_remove`` (also for the bulk delete action; a
qualification is never edited - remove it and add the corrected one); settings are saved with
``portfolio_settings_update``. The forms run the services' checks first, so a refused value is shown as a
field error.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin import RelatedOnlyFieldListFilter

from oversight.core.errors import ApplicationError
from oversight.portfolio import services
from oversight.portfolio.models import PortfolioSettings, ServiceQualification
from oversight.tenancy.admin_base import AuditedModelAdmin, OversightModelForm, mark_audited


def _adopt(obj, saved) -> None:
    """Make the admin's unsaved object stand for the row the service wrote (and audited)."""
    obj.pk = saved.pk
    obj._state.adding, obj._state.db = False, saved._state.db
    mark_audited(obj)


def _add_error(form, exc: ApplicationError) -> None:
    field = exc.extra.get("field")
    form.add_error(field if field in form.fields else None, exc.message)


class QualificationAdminForm(OversightModelForm):
    """Runs ``services.qualification_check`` on the chosen service, vendor, role and dates."""

    def clean(self):
        cleaned = super().clean()
        service, vendor, valid_from = cleaned.get("service"), cleaned.get("vendor"), cleaned.get("valid_from")
        if self.errors or service is None or vendor is None or valid_from is None:
            return cleaned
        try:
            services.qualification_check(
                service=service,
                vendor=vendor,
                valid_from=valid_from,
                valid_to=cleaned.get("valid_to"),
                role=cleaned.get("role"),
            )
        except ApplicationError as exc:
            _add_error(self, exc)
        return cleaned

    def validate_unique(self):
        """The overlap rule of the service covers the unique constraint (and says it more clearly)."""


@admin.register(ServiceQualification)
class ServiceQualificationAdmin(AuditedModelAdmin):
    """Which vendors are qualified for which services (added and removed, never edited)."""

    form = QualificationAdminForm
    allow_change = False
    fields = ("service", "vendor", "role", "valid_from", "valid_to")
    list_display = ("service", "vendor", "role", "valid_from", "valid_to")
    list_filter = ("role", ("service", RelatedOnlyFieldListFilter), ("vendor", RelatedOnlyFieldListFilter))
    list_select_related = ("service", "vendor")
    search_fields = ("service__name", "vendor__name")

    def save_model(self, request, obj, form, change):
        created = services.qualification_add(
            actor=request.user,
            service=obj.service,
            vendor=obj.vendor,
            valid_from=obj.valid_from,
            valid_to=obj.valid_to,
            role=obj.role,
        )
        _adopt(obj, created)

    def delete_model(self, request, obj):
        services.qualification_remove(actor=request.user, qualification=obj)


class SettingsAdminForm(OversightModelForm):
    """Runs ``services.portfolio_settings_check`` on the minimum and the target cost."""

    def clean(self):
        cleaned = super().clean()
        if "min_critical_vendors" not in cleaned or "target_cost_per_work_order" not in cleaned:
            return cleaned
        try:
            services.portfolio_settings_check(
                min_critical_vendors=cleaned["min_critical_vendors"],
                target_cost_per_work_order=cleaned["target_cost_per_work_order"],
            )
        except ApplicationError as exc:
            _add_error(self, exc)
        return cleaned


@admin.register(PortfolioSettings)
class PortfolioSettingsAdmin(AuditedModelAdmin):
    """One organisation's portfolio settings (without a row the defaults apply: minimum 2, no target cost)."""

    form = SettingsAdminForm
    allow_delete = False
    fixed_on_change = ("organisation",)
    fields = ("organisation", "min_critical_vendors", "target_cost_per_work_order")
    list_display = ("organisation", "min_critical_vendors", "target_cost_per_work_order")
    list_select_related = ("organisation",)

    def save_model(self, request, obj, form, change):
        saved = services.portfolio_settings_update(
            actor=request.user,
            organisation=obj.organisation,
            min_critical_vendors=obj.min_critical_vendors,
            target_cost_per_work_order=obj.target_cost_per_work_order,
        )
        _adopt(obj, saved)
