"""Indicator schemes of a contract: the versions, the editor of the next version, and the hospital template."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View

from oversight.contracts.selectors import contract_get
from oversight.core.errors import ApplicationError, NotAllowed
from oversight.scorecards import permissions, selectors, services
from oversight.scorecards.choices import Dimension, PeriodKind
from oversight.scorecards.forms import IndicatorForm, IndicatorFormSet, SchemeHeaderForm


class SchemeView(LoginRequiredMixin, View):
    """`/scorecards/contracts/<pk>/scheme/`: the contract's scheme versions (the newest first)."""

    def get(self, request, pk):
        contract = contract_get(user=request.user, pk=pk)
        schemes = selectors.contract_schemes(contract)
        for scheme in schemes:
            scheme.weight_total = sum((i.weight for i in scheme.indicators.all()), Decimal(0))
            scheme.by_dimension = [
                (dim.label, [i for i in scheme.indicators.all() if i.dimension == dim.value]) for dim in Dimension
            ]
        context = {
            "contract": contract,
            "schemes": schemes,
            "may_manage": permissions.may_manage_schemes(request.user, contract.organisation_id),
        }
        return render(request, "scorecards/scheme_detail.html", context)


class SchemeEditView(LoginRequiredMixin, View):
    """`/scorecards/contracts/<pk>/scheme/edit/`: the editor of the next scheme version (client administrators)."""

    template_name = "scorecards/scheme_form.html"

    def _contract(self, request, pk):
        contract = contract_get(user=request.user, pk=pk)
        if not permissions.may_manage_schemes(request.user, contract.organisation_id):
            raise PermissionDenied(_("Only the organisation's administrators change indicator schemes."))
        return contract

    def render_form(self, request, contract, header, formset, status=200):
        total = Decimal(0)
        for form in formset.forms:
            if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE"):
                total += form.cleaned_data.get("weight") or 0
        context = {"contract": contract, "header": header, "formset": formset, "weight_total": total}
        return render(request, self.template_name, context, status=status)

    def get(self, request, pk):
        contract = self._contract(request, pk)
        current = services.latest_scheme(contract)
        if current is not None:
            initial_header = {
                "name": current.name,
                "period_kind": current.period_kind,
                "reopen_window_days": current.reopen_window_days,
                "dispute_window_days": current.dispute_window_days,
                "dispute_calendar": current.dispute_calendar_id,
            }
            rows = [IndicatorForm.initial_from(item) for item in services.scheme_inputs(current)]
        else:
            initial_header = {"period_kind": PeriodKind.QUARTERLY, "reopen_window_days": 7, "dispute_window_days": 5}
            rows = []
        header = SchemeHeaderForm(user=request.user, initial=initial_header)
        formset = IndicatorFormSet(initial=rows, prefix="ind")
        return self.render_form(request, contract, header, formset)

    def post(self, request, pk):
        contract = self._contract(request, pk)
        header = SchemeHeaderForm(request.POST, user=request.user)
        formset = IndicatorFormSet(request.POST, prefix="ind")
        valid = header.is_valid()
        valid = formset.is_valid() and valid
        if valid:
            kept = [f for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
            try:
                scheme = services.scheme_version_create(
                    contract=contract,
                    actor=request.user,
                    settings=header.scheme_settings(),
                    indicators=[f.indicator_input() for f in kept],
                )
            except ApplicationError as exc:
                row = exc.extra.get("row")
                if row and 0 < row <= len(kept):
                    kept[row - 1].add_error(None, exc.message)
                elif exc.extra.get("field") in header.fields:
                    header.add_error(exc.extra["field"], exc.message)
                else:
                    header.add_error(None, exc.message)
                messages.error(request, exc.message)
                return self.render_form(request, contract, header, formset, status=exc.status_code)
            messages.success(request, _("Version %(n)s of the scheme was created.") % {"n": scheme.number})
            return redirect("scorecards:scheme", pk=contract.pk)
        return self.render_form(request, contract, header, formset, status=400)


class SchemeTemplateView(LoginRequiredMixin, View):
    """Create the next scheme version from the hospital O&M template (client administrators)."""

    def post(self, request, pk):
        contract = contract_get(user=request.user, pk=pk)
        kind = request.POST.get("period_kind") or PeriodKind.QUARTERLY
        try:
            scheme = services.scheme_from_template(contract, request.user, period_kind=kind)
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc  # a role that may not do this gets 403, not a redirect
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("scorecards:scheme", pk=contract.pk)
        messages.success(
            request, _("Version %(n)s of the scheme was created from the template.") % {"n": scheme.number}
        )
        return redirect("scorecards:scheme", pk=contract.pk)
