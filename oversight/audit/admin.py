"""The audit trail in the admin: searchable, and read-only for everyone (superusers included)."""

from __future__ import annotations

import json

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from oversight.audit.models import AuditEntry
from oversight.tenancy.admin_base import ReadOnlyModelAdmin


def _pretty(value) -> str:
    if value is None:
        return "—"
    return format_html("<pre>{}</pre>", json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True))


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyModelAdmin):
    """Append-only audit entries of the administrator's organisation (all of them for superusers)."""

    date_hierarchy = "at"
    list_display = ("at", "actor_repr", "action", "object_type", "object_id", "object_repr", "request_id")
    list_filter = ("object_type",)
    list_select_related = ("actor",)
    search_fields = ("action", "object_repr", "object_id", "actor_repr", "request_id")
    fields = (
        "at",
        "actor",
        "actor_repr",
        "request_id",
        "action",
        "organisation",
        "object_type",
        "object_id",
        "object_repr",
        "before_json",
        "after_json",
    )
    readonly_fields = fields

    @admin.display(description=_("before"))
    def before_json(self, obj):
        return _pretty(obj.before)

    @admin.display(description=_("after"))
    def after_json(self, obj):
        return _pretty(obj.after)
