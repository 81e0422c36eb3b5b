"""Pages of key risk indicators (list with traffic lights, detail with readings and events, the form), the risk
events and the Markov model of vendor states (overview, one vendor, settings).

Views only parse input and call `risks.triggers` / `risks.vendor_states`; what anyone may see comes from
`risks.selectors_triggers` (the organisation's client roles; 404 for everyone else).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from oversight.core.errors import ApplicationError
from oversight.core.kpis import source_label
from oversight.core.views import RoleRequiredMixin, paginate
from oversight.risks import permissions, selectors, vendor_states
from oversight.risks.choices_triggers import KriStatus, VendorState
from oversight.risks.forms_triggers import KriForm, VendorStateSettingsForm
from oversight.risks.triggers import kri_evaluate, kri_save
from oversight.tenancy.roles import CLIENT_OPERATORS, CLIENT_ROLES

HORIZON_LABELS = {3: _("within 3 months"), 6: _("within 6 months"), 12: _("within 12 months")}
FORM_FIELDS = (
    "name",
    "name_en",
    "source",
    "rule",
    "higher_is_worse",
    "amber_threshold",
    "red_threshold",
    "window",
    "window_days",
    "persistence",
    "rule_days",
    "starts_on",
    "is_active",
)


def _may_manage(user) -> bool:
    return permissions.may_create(user)


class KriListView(RoleRequiredMixin, TemplateView):
    """`/risks/kris/`: the organisation's KRIs with the traffic light of their latest reading."""

    allowed_roles = CLIENT_ROLES
    template_name = "risks/kri_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        qs = selectors.kri_list(user=user).order_by("name", "pk")
        status = self.request.GET.get("status", "")
        if status in KriStatus.values:
            qs = qs.filter(latest_status=status)
        context.update(
            {
                "page": paginate(qs, self.request),
                "statuses": KriStatus.choices,
                "status": status if status in KriStatus.values else "",
                "status_labels": dict(KriStatus.choices),
                "may_manage": _may_manage(user),
            }
        )
        return context


class KriDetailView(RoleRequiredMixin, View):
    """`/risks/kris/<pk>/`: a KRI, its readings (newest first) and the risk events it raised."""

    allowed_roles = CLIENT_ROLES

    def get(self, request, pk):
        kri = selectors.kri_get(user=request.user, pk=pk)
        context = {
            "kri": kri,
            "page": paginate(selectors.kri_readings(kri), request),
            "events": list(selectors.risk_event_list(user=request.user).filter(kri=kri)[:50]),
            "status_labels": dict(KriStatus.choices),
            "may_manage": permissions.may_manage(request.user, kri),
            "source_label": source_label(kri.source) if kri.source else "",
        }
        return render(request, "risks/kri_detail.html", context)


class KriEvaluateView(RoleRequiredMixin, View):
    """`POST /risks/kris/<pk>/evaluate/`: judge the KRI now (the periodic task does it every hour)."""

    allowed_roles = CLIENT_OPERATORS

    def post(self, request, pk):
        kri = selectors.kri_get(user=request.user, pk=pk)
        permissions.require(permissions.may_manage(request.user, kri))
        try:
            outcome = kri_evaluate(kri=kri, actor=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Evaluated: %(measured)s periods measured, %(raised)s risk events raised.")
                % {"measured": outcome.measured, "raised": len(outcome.raised)},
            )
        return redirect(kri)


class KriFormView(RoleRequiredMixin, View):
    """`/risks/kris/new/` and `/risks/kris/<pk>/edit/`: create or change a KRI (client admin and supervisor)."""

    allowed_roles = CLIENT_OPERATORS
    template_name = "risks/kri_form.html"

    def _kri(self, request, pk):
        return None if pk is None else selectors.kri_get(user=request.user, pk=pk)

    def render_form(self, request, kri, form, status=200):
        title = _("New key risk indicator") if kri is None else _("Edit key risk indicator")
        return render(request, self.template_name, {"form": form, "kri": kri, "title": title}, status=status)

    def get(self, request, pk=None):
        kri = self._kri(request, pk)
        initial = {}
        if kri is not None:
            initial = {name: getattr(kri, name) for name in FORM_FIELDS}
            initial["higher_is_worse"] = "1" if kri.higher_is_worse else "0"
            initial |= {
                "vendor": kri.vendor_id,
                "contract": kri.contract_id,
                "service": kri.service_id,
                "calendar": kri.calendar_id,
            }
            links = list(kri.links.all())
            initial["risks"] = [link.risk_id for link in links]
            initial["raise_levels"] = links[0].raise_levels if links else 1
        return self.render_form(request, kri, KriForm(user=request.user, initial=initial))

    def post(self, request, pk=None):
        kri = self._kri(request, pk)
        form = KriForm(request.POST, user=request.user)
        if form.is_valid():
            values, links = form.values()
            try:
                saved = kri_save(
                    actor=request.user, organisation=request.user.organisation, kri=kri, links=links, **values
                )
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The key risk indicator was saved."))
                return redirect(saved)
        return self.render_form(request, kri, form, status=400)


class RiskEventListView(RoleRequiredMixin, TemplateView):
    """`/risks/events/`: the risk events raised by breaches, newest first, with what each did to its risks."""

    allowed_roles = CLIENT_ROLES
    template_name = "risks/kri_events.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page"] = paginate(selectors.risk_event_list(user=self.request.user), self.request)
        return context


def _state_context(user, model, forecasts) -> dict:
    return {
        "model": model,
        "forecasts": forecasts,
        "states": VendorState.choices,
        "horizons": [(k, HORIZON_LABELS[k]) for k in vendor_states.HORIZONS],
        "rows": model.rows(),
        "may_manage": _may_manage(user),
    }


class VendorStatesView(RoleRequiredMixin, View):
    """`/risks/vendor-states/`: every vendor's current state and forecast, and the estimated matrix."""

    allowed_roles = CLIENT_ROLES

    def get(self, request):
        organisation = request.user.organisation
        if organisation is None:
            raise Http404
        vendors = selectors.markov_vendors(user=request.user).filter(organisation=organisation)
        model = vendor_states.vendor_state_model(organisation=organisation, vendors=vendors)
        return render(request, "risks/markov_overview.html", _state_context(request.user, model, model.forecasts))


class VendorStateDetailView(RoleRequiredMixin, View):
    """`/risks/vendor-states/<vendor>/`: one vendor's monthly states and its forecast."""

    allowed_roles = CLIENT_ROLES

    def get(self, request, pk):
        vendor = selectors.markov_vendor_get(user=request.user, pk=pk)
        vendors = selectors.markov_vendors(user=request.user).filter(organisation=vendor.organisation)
        model = vendor_states.vendor_state_model(organisation=vendor.organisation, vendors=vendors)
        forecast = next(f for f in model.forecasts if f.vendor.pk == vendor.pk)
        context = _state_context(request.user, model, [forecast])
        context |= {
            "vendor": vendor,
            "forecast": forecast,
            "history": list(zip(model.months, forecast.states, strict=True)),
        }
        return render(request, "risks/markov_vendor.html", context)


class VendorStateSettingsView(RoleRequiredMixin, View):
    """`/risks/vendor-states/settings/`: the state rule and the prior (client admin and supervisor)."""

    allowed_roles = CLIENT_OPERATORS
    template_name = "risks/markov_settings.html"

    def get(self, request):
        found = vendor_states.settings_for(request.user.organisation)
        initial = {name: getattr(found, name) for name in vendor_states.SETTINGS_FIELDS}
        initial["prior"] = VendorStateSettingsForm.prior_text(found.prior)
        return render(request, self.template_name, {"form": VendorStateSettingsForm(initial=initial)})

    def post(self, request):
        form = VendorStateSettingsForm(request.POST)
        if form.is_valid():
            try:
                vendor_states.vendor_state_settings_save(
                    actor=request.user, organisation=request.user.organisation, **form.cleaned_data
                )
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The settings were saved."))
                return redirect("risks:vendor_states")
        return render(request, self.template_name, {"form": form}, status=400)
