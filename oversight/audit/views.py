"""The audit trail page: read-only, for auditors and client administrators, filtered and paginated."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from oversight.audit.selectors import audit_entry_list
from oversight.core.views import HtmxTemplateMixin, RoleRequiredMixin, paginate
from oversight.tenancy.roles import AUDIT_READERS


class AuditFilterForm(forms.Form):
    """Narrow the trail by action, object, actor and date (dates in the reader's time zone)."""

    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=100,
        help_text=_("Beginning of the action, e.g. tickets.workorder"),
    )
    object_type = forms.CharField(label=_("Object type"), required=False, max_length=100)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    actor = forms.CharField(label=_("Actor"), required=False, max_length=150, help_text=_("User name"))
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

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
            qs = qs.filter(action__startswith=data["action"].strip())
        if data.get("object_type"):
            qs = qs.filter(object_type=data["object_type"].strip().lower())
        if data.get("object_id"):
            qs = qs.filter(object_id=data["object_id"].strip())
        if data.get("actor"):
            qs = qs.filter(actor_repr__iexact=data["actor"].strip())
        zone = timezone.get_current_timezone()
        if data.get("date_from"):
            qs = qs.filter(at__gte=dt.datetime.combine(data["date_from"], dt.time.min, tzinfo=zone))
        if data.get("date_to"):
            end = dt.datetime.combine(data["date_to"] + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
            qs = qs.filter(at__lt=end)
        return qs


class AuditListView(RoleRequiredMixin, HtmxTemplateMixin, TemplateView):
    """`/audit/`: every recorded change of the reader's organisation, newest first."""

    allowed_roles = AUDIT_READERS
    template_name = "audit/list.html"
    partial_template_name = "audit/partials/results.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = AuditFilterForm(self.request.GET or None)
        qs = audit_entry_list(user=self.request.user).order_by("-at", "-id")
        if form.is_bound:
            qs = form.apply(qs) if form.is_valid() else qs.none()
        context.update(form=form, page=paginate(qs, self.request))
        return context
