"""Disputes on a period: the vendor opens one against an indicator, the client accepts or rejects it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views import View

from oversight.core.errors import ApplicationError
from oversight.scorecards import selectors, services
from oversight.scorecards.forms import DecisionForm, DisputeForm
from oversight.scorecards.views.periods import PeriodActionView, period_page
from oversight.tickets.selectors import work_order_get_by_number


class DisputeCreateView(PeriodActionView):
    """Open a dispute against an indicator, optionally naming a work order (the vendor)."""

    form_key = "dispute"

    def build_form(self, request, period):
        return DisputeForm(request.POST, request.FILES, indicators=list(period.scheme.indicators.all()))

    def perform(self, request, period, form):
        work_order = None
        number = form.cleaned_data["work_order"].strip()
        if number:
            try:
                work_order = work_order_get_by_number(user=request.user, number=number)
            except Http404 as exc:
                raise ApplicationError(
                    _("Unknown work order."), code="unknown_work_order", extra={"field": "work_order"}
                ) from exc
        services.dispute_open(
            period=period,
            actor=request.user,
            indicator_code=form.cleaned_data["indicator"],
            reason=form.cleaned_data["reason"],
            work_order=work_order,
            files=form.cleaned_data["files"],
        )
        return _("Your dispute was sent to the client."), period.pk


class DisputeDecideView(LoginRequiredMixin, View):
    """Accept or reject a dispute (client operators)."""

    def post(self, request, pk):
        dispute = selectors.dispute_get(user=request.user, pk=pk)
        form = DecisionForm(request.POST, prefix=f"decide-{dispute.pk}")
        key = f"decide-{dispute.pk}"
        if not form.is_valid():
            period = selectors.period_get(user=request.user, pk=dispute.period_id)
            return period_page(request, period, status=400, forms={key: form})
        try:
            if form.cleaned_data["decision"] == "accept":
                services.dispute_accept(
                    dispute=dispute,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                    corrected_value=form.cleaned_data["corrected_value"],
                )
                messages.success(request, _("The dispute was accepted and the evaluation recomputed."))
            else:
                services.dispute_reject(dispute=dispute, actor=request.user, reason=form.cleaned_data["reason"])
                messages.success(request, _("The dispute was rejected."))
        except ApplicationError as exc:
            field = exc.extra.get("field")
            form.add_error(field if field in form.fields else None, exc.message)
            messages.error(request, exc.message)
            period = selectors.period_get(user=request.user, pk=dispute.period_id)
            return period_page(request, period, status=exc.status_code, forms={key: form})
        return redirect("scorecards:period", pk=dispute.period_id)
