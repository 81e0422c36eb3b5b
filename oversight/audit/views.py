"""The audit trail page and its exports: read-only, for auditors and client administrators, filtered by pickers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django import forms
from django.db.models import Q
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from oversight.audit.actions import action_text, object_type_label
from oversight.audit.presentation import readable_entries
from oversight.audit.selectors import audit_entry_list
from oversight.core import exports
from oversight.core.listing import adapt_filter_form
from oversight.core.views import HtmxTemplateMixin, RoleRequiredMixin, paginate
from oversight.tenancy.models import User
from oversight.tenancy.roles import AUDIT_READERS

SYSTEM = "system"
EXPORT_CHUNK = 500
XLSX_MAX_ENTRIES = 100_000


class AuditFilterForm(forms.Form):
    """Narrow the trail by people, actions, object types and dates (in the reader's zone), with the shared list
    controls (`core.listing`): several choices as checkboxes, "All" when none is ticked, native date inputs."""

    actor = forms.MultipleChoiceField(label=_("Person"), required=False)
    action = forms.MultipleChoiceField(label=_("Action"), required=False)
    object_type = forms.MultipleChoiceField(label=_("Object type"), required=False)
    date_from = forms.DateField(label=_("From"), required=False)
    date_to = forms.DateField(label=_("To"), required=False)
    # Set by links from an object's page ("its history"), not a picker of its own (kept by the form, not shown).
    object_id = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        base = entries.order_by()
        actions = base.values_list("action", flat=True).distinct()
        self.fields["action"].choices = sorted(((a, action_text(a)) for a in actions), key=lambda c: c[1])
        types = base.exclude(object_type="").values_list("object_type", flat=True).distinct()
        self.fields["object_type"].choices = sorted(((t, object_type_label(t)) for t in types), key=lambda c: c[1])
        people = User.objects.filter(pk__in=base.exclude(actor=None).values("actor_id"))
        self.fields["actor"].choices = [
            (SYSTEM, _("System")),
            *sorted(((str(u.pk), str(u)) for u in people), key=lambda c: c[1]),
        ]
        adapt_filter_form(self)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return cleaned

    def apply(self, qs):
        """The entries matching the filters (call after is_valid())."""
        data = self.cleaned_data
        if data.get("action"):
            qs = qs.filter(action__in=data["action"])
        if data.get("object_type"):
            qs = qs.filter(object_type__in=data["object_type"])
        if data.get("object_id"):
            qs = qs.filter(object_id=data["object_id"].strip())
        if data.get("actor"):
            people = [int(value) for value in data["actor"] if value != SYSTEM]
            chosen = Q(actor_id__in=people)
            if SYSTEM in data["actor"]:
                chosen |= Q(actor=None)
            qs = qs.filter(chosen)
        zone = timezone.get_current_timezone()
        if data.get("date_from"):
            qs = qs.filter(at__gte=dt.datetime.combine(data["date_from"], dt.time.min, tzinfo=zone))
        if data.get("date_to"):
            end = dt.datetime.combine(data["date_to"] + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
            qs = qs.filter(at__lt=end)
        return qs


def filtered_entries(request):
    """(form, entries) for the request's filters; invalid filters give no entries (and the form's errors)."""
    entries = audit_entry_list(user=request.user)
    form = AuditFilterForm(request.GET or None, entries=entries)
    qs = entries.order_by("-at", "-id")
    if form.is_bound:
        qs = form.apply(qs) if form.is_valid() else qs.none()
    return form, qs


class AuditListView(RoleRequiredMixin, HtmxTemplateMixin, TemplateView):
    """`/audit/`: every recorded change of the reader's organisation, newest first, as the reader reads it."""

    allowed_roles = AUDIT_READERS
    template_name = "audit/list.html"
    partial_template_name = "audit/partials/results.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, qs = filtered_entries(self.request)
        page = paginate(qs, self.request)
        page.items = readable_entries(page.items, user=self.request.user)
        context.update(
            form=form,
            keep={"object_id": self.request.GET.get("object_id", "")},
            page=page,
            zone_name=timezone.get_current_timezone_name(),
            export_query=self.request.GET.urlencode(),
        )
        return context


def export_columns() -> list[str]:
    """The header of the audit exports."""
    return [
        str(label)
        for label in (
            _("When"),
            _("Person"),
            _("Action"),
            _("Object type"),
            _("Object"),
            _("Object id"),
            _("Changes"),
            _("Request"),
        )
    ]


def export_rows(qs, *, user, limit: int | None = None) -> Iterator[list]:
    """The header, then one row per entry (local times), read in chunks so any number of entries streams."""
    yield export_columns()
    chunk = []
    for index, entry in enumerate(qs.iterator(chunk_size=EXPORT_CHUNK)):
        if limit is not None and index >= limit:
            break
        chunk.append(entry)
        if len(chunk) == EXPORT_CHUNK:
            yield from _rows(chunk, user)
            chunk = []
    yield from _rows(chunk, user)


def _rows(chunk, user) -> Iterator[list]:
    for item in readable_entries(chunk, user=user):
        yield [
            item.entry.at,
            item.actor_name,
            item.action_label,
            item.object_type_label,
            item.object_label,
            item.entry.object_id,
            item.changes_text,
            item.entry.request_id,
        ]


class AuditExportView(RoleRequiredMixin, View):
    """CSV (streamed) or XLSX (bounded) of the filtered trail, in the reader's language and zone."""

    allowed_roles = AUDIT_READERS

    def get(self, request, fmt):
        form, qs = filtered_entries(request)
        if form.is_bound and not form.is_valid():
            return HttpResponse(
                _("Invalid filters; correct them on the audit trail first."),
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        qs = qs.select_related("actor")
        filename = f"audit-trail-{exports.local_stamp()}.{fmt}"
        user = request.user
        if fmt == "xlsx":
            rows = export_rows(qs, user=user, limit=XLSX_MAX_ENTRIES)
            return exports.xlsx_response(rows, title=str(_("Audit trail")), filename=filename)
        return exports.csv_response(lambda: export_rows(qs, user=user), filename=filename)
