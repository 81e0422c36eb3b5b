"""Shared Django-admin base classes: access limited to client administrators, rows limited to their
organisation through the visibility gate (``tenancy.visibility``, action "administer"), and every
add/change/delete written to the audit trail with before/after snapshots.

It lives in tenancy, not core, because it needs the gate and the audit trail (core imports neither).

The admin is one more door into the data, so it follows the same rules as the rest of the product:
a client administrator sees and edits only their own organisation (superusers see all), writes with
a service go through that service, and everything else is audited here.
"""

from __future__ import annotations

import zoneinfo
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import audit_row_saved, row_delete, row_snapshot, stored_row_snapshot
from oversight.core import clock
from oversight.core.admin_site import may_use_admin
from oversight.tenancy.visibility import ADMINISTER, organisation_of, organisation_path, restrict


def scope_queryset(qs: models.QuerySet, user) -> models.QuerySet:
    """Limit an admin queryset through the visibility gate's "administer" action: superusers see everything,
    a client administrator every row of their organisation (by each model's declaration), others nothing."""
    qs = restrict(qs, user, ADMINISTER)
    if qs.model._meta.label_lower == "tenancy.user" and not user.is_superuser:
        # A client administrator never touches a superuser account.
        qs = qs.filter(is_superuser=False)
    return qs


def validate_time_zone(value: str) -> None:
    """Reject time zone names the IANA database does not know."""
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(_("Unknown time zone: %(zone)s"), params={"zone": value}) from exc


def today():
    """Today's date in the active (user's) time zone, read through the project clock."""
    return timezone.localdate(clock.now())


def _check_same_organisation(form: forms.BaseForm, organisation, skip: str | None = None) -> None:
    """Add a field error for every chosen object that belongs to another organisation."""
    if organisation is None:
        return
    for name, value in list(form.cleaned_data.items()):
        if name == skip:
            continue
        values = list(value) if isinstance(value, models.QuerySet | list | tuple) else [value]
        for item in values:
            if not isinstance(item, models.Model) or organisation_path(type(item)) in (None, "pk"):
                continue
            owner = organisation_of(item)
            if owner is not None and owner.pk != organisation.pk:
                form.add_error(name, _("This belongs to another organisation."))
                break


def form_organisation(form: forms.BaseForm):
    """The organisation a top-level admin form writes into, from its cleaned data or its instance."""
    model = form._meta.model
    lookup = organisation_path(model)
    if lookup is None or lookup == "pk":
        return None
    first = lookup.split("__")[0]
    value = form.cleaned_data.get(first) if first in form.cleaned_data else getattr(form.instance, first, None)
    if value is None:
        return None
    if first == "organisation":
        return value
    return organisation_of(value)


class OrganisationConsistentFormMixin:
    """Form mixin: everything an admin form links to must belong to the same organisation."""

    def clean(self):
        cleaned = super().clean()
        lookup = organisation_path(self._meta.model)
        if lookup and lookup != "pk":
            _check_same_organisation(self, form_organisation(self), skip=lookup.split("__")[0])
        for name in ("time_zone",):
            if cleaned.get(name):
                try:
                    validate_time_zone(cleaned[name])
                except ValidationError as exc:
                    self.add_error(name, exc)
        return cleaned


class OversightModelForm(OrganisationConsistentFormMixin, forms.ModelForm):
    """The default admin form: organisation consistency and time zone validation."""


class ScopedInlineFormSet(BaseInlineFormSet):
    """Inline formset whose rows may only link to objects of the parent's organisation."""

    def clean(self):
        super().clean()
        organisation = organisation_of(self.instance)
        fk_name = self.fk.name
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            _check_same_organisation(form, organisation, skip=fk_name)


def mark_audited(obj: models.Model) -> None:
    """Tell the admin base that a service already audited this save (so it is not written twice)."""
    obj._oversight_audited = True


class AccessMixin:
    """Admin access: client administrators with staff access and superusers; nobody else."""

    # Set to False on admins whose rows are never added / changed / deleted through the admin.
    allow_add = True
    allow_change = True
    allow_delete = True
    # Set to True where only superusers may add / delete (e.g. organisations).
    superuser_only_add = False
    superuser_only_delete = False

    def has_module_permission(self, request) -> bool:
        return may_use_admin(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return may_use_admin(request.user)

    def has_add_permission(self, request, *args) -> bool:
        if self.superuser_only_add and not request.user.is_superuser:
            return False
        return self.allow_add and may_use_admin(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return self.allow_change and may_use_admin(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        if self.superuser_only_delete and not request.user.is_superuser:
            return False
        return self.allow_delete and may_use_admin(request.user)

    def get_queryset(self, request):
        return scope_queryset(super().get_queryset(request), request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            related = db_field.remote_field.model
            qs = self.get_field_queryset(None, db_field, request)
            kwargs["queryset"] = scope_queryset(qs if qs is not None else related._default_manager.all(), request.user)
            if related._meta.label_lower == "tenancy.organisation" and not request.user.is_superuser:
                kwargs.setdefault("initial", request.user.organisation_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            related = db_field.remote_field.model
            qs = self.get_field_queryset(None, db_field, request)
            kwargs["queryset"] = scope_queryset(qs if qs is not None else related._default_manager.all(), request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class OversightModelAdmin(AccessMixin, admin.ModelAdmin):
    """Scoped, access-limited ModelAdmin; subclass `AuditedModelAdmin` for anything editable."""

    form = OversightModelForm
    show_full_result_count = False


class AuditedModelAdmin(OversightModelAdmin):
    """Every add, change and delete made here is written to the audit trail with before/after.

    Subclasses whose writes go through a service override `save_model` / `delete_model`, call the
    service (which audits) and `mark_audited(obj)`.
    """

    audit_m2m: tuple[str, ...] = ()
    # Fields set once on creation and read-only afterwards (nothing moves to another organisation).
    fixed_on_change: tuple[str, ...] = ()

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            readonly += [f for f in self.fixed_on_change if f not in readonly]
        return readonly

    # --- the main object ---------------------------------------------------------------------
    def save_model(self, request, obj, form, change):
        if not change:
            obj._audit_before = None
            obj.save()
            return
        obj._audit_before = stored_row_snapshot(obj, self.audit_m2m)
        concrete = {f.name for f in obj._meta.concrete_fields}
        fields = [name for name in form.changed_data if name in concrete]
        if fields:
            obj.save(update_fields=fields)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        if getattr(obj, "_oversight_audited", False):
            return
        self.audit_saved(request, obj, before=getattr(obj, "_audit_before", None), change=change)

    def audit_saved(self, request, obj, *, before: dict | None, change: bool) -> None:
        """Write the created/changed entry for the main object (only the fields that changed)."""
        # A change always diffs, even against nothing stored; only an add is recorded as created.
        audit_row_saved(
            actor=request.user,
            obj=obj,
            before=(before or {}) if change else None,
            after=row_snapshot(obj, self.audit_m2m),
            organisation=organisation_of(obj),
        )

    def delete_model(self, request, obj):
        audit_deleted(request.user, obj, self.audit_m2m)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    # --- inline rows ---------------------------------------------------------------------------
    def save_formset(self, request, form, formset, change):
        """Save inline rows one by one so each creation, change and deletion is audited."""
        formset.save(commit=False)
        for obj in formset.deleted_objects:
            audit_deleted(request.user, obj)
        for obj in formset.new_objects:
            obj.save()
            audit_row_saved(
                actor=request.user, obj=obj, before=None, after=row_snapshot(obj), organisation=organisation_of(obj)
            )
        for obj, _changed in formset.changed_objects:
            before = stored_row_snapshot(obj) or {}
            obj.save()
            audit_row_saved(
                actor=request.user, obj=obj, before=before, after=row_snapshot(obj), organisation=organisation_of(obj)
            )
        formset.save_m2m()


def audit_deleted(actor, obj: models.Model, m2m: tuple[str, ...] = ()) -> None:
    """Delete one object and record what it was."""
    organisation = organisation_of(obj)
    if organisation is obj:  # an organisation's own deletion cannot point at the deleted row
        organisation = None
    row_delete(actor=actor, obj=obj, organisation=organisation, m2m=m2m)


class ReadOnlyModelAdmin(OversightModelAdmin):
    """Rows shown but never added, changed or deleted through the admin (they change through services)."""

    allow_add = False
    allow_change = False
    allow_delete = False


class OversightInlineMixin(AccessMixin):
    """Inline rows follow the same access and organisation rules as their parent."""

    formset = ScopedInlineFormSet


class ReadOnlyInlineMixin(OversightInlineMixin):
    """An inline that only lists rows."""

    allow_add = False
    allow_change = False
    allow_delete = False
    extra = 0
    can_delete = False
    show_change_link = False


def describe(value: Any) -> str:
    """Stringify a value for read-only display ('—' when empty)."""
    if value in (None, "", [], {}):
        return "—"
    return str(value)
