"""Manual entries (a value entered with its evidence files) and the evidence download."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils.translation import gettext_lazy as _
from django.views import View

from oversight.scorecards import selectors, services
from oversight.scorecards.api.views import evidence_response
from oversight.scorecards.forms import ManualEntryForm
from oversight.scorecards.views.periods import PeriodActionView


class ManualEntryView(PeriodActionView):
    """Enter the value of a manual indicator with its evidence files; the period is recomputed."""

    def build_form(self, request, period):
        code = request.POST.get("code", "")
        return ManualEntryForm(request.POST, request.FILES, prefix=f"manual-{code}")

    def key(self, form) -> str:
        return form.prefix

    def perform(self, request, period, form):
        services.manual_entry_create(
            period=period,
            actor=request.user,
            indicator_code=form.cleaned_data["indicator"],
            value=form.cleaned_data["value"],
            note=form.cleaned_data["note"],
            files=form.cleaned_data["files"],
        )
        return _("The value was saved and the evaluation recomputed."), period.pk


class EvidenceDownloadView(LoginRequiredMixin, View):
    """Send an evidence file only after the visibility check; always as a download."""

    def get(self, request, pk):
        return evidence_response(selectors.evidence_get(user=request.user, pk=pk))
