"""Web pages of sourcing: the saved scenarios (list, new, page with figures, tables and tornado, edit, delete,
XLSX/PDF), their side-by-side comparison, and the commercial models of contract versions with each settled
period's expected charge beside the statement's amount.

Views only parse input and call `sourcing.services`; what anyone may see comes from `sourcing.selectors` (404 for
what a reader may not see). Scenarios are the client's: vendor staff and requesters have no page of them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from oversight.core.errors import ApplicationError
from oversight.core.exports import XLSX_CONTENT_TYPE, local_stamp
from oversight.core.files import download_response
from oversight.core.views import RoleRequiredMixin, paginate, save_form, show_error
from oversight.sourcing import charges, documents, permissions, presentation, scenarios, selectors, services
from oversight.sourcing.forms import CommercialModelForm, ScenarioForm
from oversight.tenancy.roles import CLIENT_OPERATORS, CLIENT_ROLES, STAFF_ROLES

SCENARIO_FORM_FIELDS = tuple(ScenarioForm.base_fields)
FORM_TEMPLATE = "sourcing/form.html"
SCENARIO_HELP = _(
    "Percentages are entered as plain numbers: 5 means five per cent. The status quo and the proposal share "
    "every driver; only the proposal pays the transition cost, in year 0. Staffing grows in proportion to the"
    " workload (contacts × handle time) from the required FTE of the first year."
)
MODEL_HELP = _(
    "The expected charge of a period is the units of the pricing basis times the rate; with an outcome KPI, "
    "the bonus is added when the KPI is at or below its target and the malus deducted when it is above."
)
MODEL_FORM_FIELDS = tuple(name for name in CommercialModelForm.base_fields if name != "contract_version")
MAX_COMPARED = 6


def _require(allowed: bool) -> None:
    """Refuse with 403 what this reader may see but not do (the page shows it without the control)."""
    if not allowed:
        raise PermissionDenied(_("You are not allowed to do this."))


def _version(raw) -> int | None:
    return int(raw) if str(raw or "").isdigit() else None


# --------------------------------------------------------------------------------------------------- scenarios


class ScenarioListView(RoleRequiredMixin, TemplateView):
    """`/sourcing/`: the organisation's saved scenarios, to open or tick for comparison."""

    allowed_roles = CLIENT_ROLES
    template_name = "sourcing/scenario_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            page=paginate(selectors.scenario_list(user=user), self.request),
            may_manage=permissions.may_manage(user, user.organisation_id),
        )
        return context


def _scenario_context(title, scenario=None) -> dict:
    return {"title": title, "obj": scenario, "help": SCENARIO_HELP, "back": "sourcing:scenario_list"}


def _model_context(title, model=None) -> dict:
    return {"title": title, "obj": model, "help": MODEL_HELP, "back": "sourcing:commercial_list"}


class ScenarioCreateView(RoleRequiredMixin, View):
    """`/sourcing/scenarios/new/`: save a scenario."""

    allowed_roles = CLIENT_OPERATORS

    def get(self, request):
        _require(permissions.may_manage(request.user, request.user.organisation_id))
        context = {"form": ScenarioForm(), **_scenario_context(_("New sourcing scenario"))}
        return render(request, FORM_TEMPLATE, context)

    def post(self, request):
        _require(permissions.may_manage(request.user, request.user.organisation_id))
        form = ScenarioForm(request.POST)

        def save(data):
            return services.scenario_create(actor=request.user, organisation=request.user.organisation, **data)

        return save_form(
            request,
            form,
            save,
            message=_("Scenario saved."),
            template_name=FORM_TEMPLATE,
            context=_scenario_context(_("New sourcing scenario")),
        )


class ScenarioDetailView(RoleRequiredMixin, View):
    """`/sourcing/scenarios/<pk>/`: the figures, both yearly tables, the savings and the tornado."""

    allowed_roles = CLIENT_ROLES

    def get(self, request, pk):
        scenario = selectors.scenario_get(user=request.user, pk=pk)
        result = scenarios.evaluate(scenario)
        base, bars = scenarios.sensitivity(scenario)
        rate = scenarios.inputs_of(scenario).discount_rate
        context = {
            "scenario": scenario,
            "figures": presentation.figure_rows(scenario, result),
            "drivers": presentation.driver_rows(scenario),
            "table_header": presentation.table_header(),
            "tables": [
                (_("Status quo"), presentation.table_rows(result.baseline)),
                (_("Proposal"), presentation.table_rows(result.proposal)),
            ],
            "flow_header": presentation.flow_header(),
            "flows": presentation.flow_rows(result, rate),
            "tornado_header": presentation.tornado_header(),
            "tornado": presentation.tornado_rows(bars, formatted=True),
            "tornado_svg": presentation.tornado_svg(base, bars),
            "tornado_title": _("Sensitivity of the NPV (each driver ±10 %)"),
            "may_manage": permissions.may_manage(request.user, scenario.organisation_id),
        }
        return render(request, "sourcing/scenario_detail.html", context)


class ScenarioEditView(RoleRequiredMixin, View):
    """`/sourcing/scenarios/<pk>/edit/`: change a scenario's drivers."""

    allowed_roles = CLIENT_OPERATORS

    def get(self, request, pk):
        scenario = selectors.scenario_get(user=request.user, pk=pk)
        _require(permissions.may_manage(request.user, scenario.organisation_id))
        initial = {name: getattr(scenario, name) for name in SCENARIO_FORM_FIELDS}
        context = {"form": ScenarioForm(initial=initial), **_scenario_context(_("Change the scenario"), scenario)}
        return render(request, FORM_TEMPLATE, context)

    def post(self, request, pk):
        scenario = selectors.scenario_get(user=request.user, pk=pk)
        _require(permissions.may_manage(request.user, scenario.organisation_id))
        form = ScenarioForm(request.POST)

        def save(data):
            return services.scenario_update(
                actor=request.user, scenario=scenario, expected_version=_version(request.POST.get("version")), **data
            )

        return save_form(
            request,
            form,
            save,
            message=_("Scenario saved."),
            template_name=FORM_TEMPLATE,
            context=_scenario_context(_("Change the scenario"), scenario),
        )


def _delete(request, obj, delete, *, message, back: str):
    """POST of a delete button: the service with the version the page showed; a refusal goes back to the object."""
    _require(permissions.may_manage(request.user, obj.organisation_id))
    try:
        delete(expected_version=_version(request.POST.get("version")))
    except ApplicationError as exc:
        show_error(request, exc)
        return redirect(obj)
    messages.success(request, message)
    return redirect(back)


class ScenarioDeleteView(RoleRequiredMixin, View):
    """`/sourcing/scenarios/<pk>/delete/` (POST): delete a scenario."""

    allowed_roles = CLIENT_OPERATORS

    def post(self, request, pk):
        scenario = selectors.scenario_get(user=request.user, pk=pk)

        def delete(**kwargs):
            services.scenario_delete(actor=request.user, scenario=scenario, **kwargs)

        return _delete(request, scenario, delete, message=_("Scenario deleted."), back="sourcing:scenario_list")


def _download(content: bytes, *, kind: str, name: str):
    if kind == "pdf":
        return download_response(content, content_type=documents.PDF_CONTENT_TYPE, filename=f"{name}.pdf")
    return download_response(content, content_type=XLSX_CONTENT_TYPE, filename=f"{name}.xlsx")


class ScenarioExportView(RoleRequiredMixin, View):
    """`/sourcing/scenarios/<pk>/export/?format=xlsx|pdf`: the scenario as a file."""

    allowed_roles = CLIENT_ROLES

    def get(self, request, pk):
        scenario = selectors.scenario_get(user=request.user, pk=pk)
        kind = "pdf" if request.GET.get("format") == "pdf" else "xlsx"
        content = documents.scenario_pdf(scenario) if kind == "pdf" else documents.scenario_xlsx(scenario)
        return _download(content, kind=kind, name=f"scenario-{scenario.pk}-{local_stamp()}")


class CompareView(RoleRequiredMixin, View):
    """`/sourcing/compare/?ids=1&ids=2[&format=xlsx|pdf]`: scenarios side by side (at most six)."""

    allowed_roles = CLIENT_ROLES

    def get(self, request):
        items = selectors.scenarios_by_ids(user=request.user, ids=request.GET.getlist("ids"))[:MAX_COMPARED]
        if len(items) < 2:
            messages.error(request, _("Tick at least two scenarios to compare them."))
            return redirect("sourcing:scenario_list")
        kind = request.GET.get("format")
        if kind in ("xlsx", "pdf"):
            content = documents.comparison_pdf(items) if kind == "pdf" else documents.comparison_xlsx(items)
            return _download(content, kind=kind, name=f"scenario-comparison-{local_stamp()}")
        rows = documents.comparison_rows(items)
        context = {"header": rows[0], "rows": rows[1:], "items": items, "query": request.GET.urlencode()}
        return render(request, "sourcing/compare.html", context)


# --------------------------------------------------------------------------------------------------- commercial


class CommercialModelListView(RoleRequiredMixin, TemplateView):
    """`/sourcing/commercial/`: the commercial models of the contracts this reader may see."""

    allowed_roles = STAFF_ROLES
    template_name = "sourcing/commercial_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            page=paginate(selectors.commercial_model_list(user=user), self.request),
            may_manage=permissions.may_manage(user, user.organisation_id),
        )
        return context


class CommercialModelCreateView(RoleRequiredMixin, View):
    """`/sourcing/commercial/new/`: give a contract version its commercial model."""

    allowed_roles = CLIENT_OPERATORS
    title = _("New commercial model")

    def get(self, request):
        _require(permissions.may_manage(request.user, request.user.organisation_id))
        form = CommercialModelForm(user=request.user)
        return render(request, FORM_TEMPLATE, {"form": form, **_model_context(self.title)})

    def post(self, request):
        _require(permissions.may_manage(request.user, request.user.organisation_id))
        form = CommercialModelForm(request.POST, user=request.user)

        def save(data):
            return services.commercial_model_create(actor=request.user, **data)

        return save_form(
            request,
            form,
            save,
            message=_("Commercial model saved."),
            template_name=FORM_TEMPLATE,
            context=_model_context(self.title),
        )


class CommercialModelDetailView(RoleRequiredMixin, View):
    """`/sourcing/commercial/<pk>/`: the model, and per settled period the expected charge beside the actual."""

    allowed_roles = STAFF_ROLES

    def get(self, request, pk):
        model = selectors.commercial_model_get(user=request.user, pk=pk)
        context = {
            "model": model,
            "contract": model.contract_version.contract,
            "periods": charges.period_charges(user=request.user, model=model),
            "may_manage": permissions.may_manage(request.user, model.organisation_id),
        }
        return render(request, "sourcing/commercial_detail.html", context)


class CommercialModelEditView(RoleRequiredMixin, View):
    """`/sourcing/commercial/<pk>/edit/`: change a commercial model."""

    allowed_roles = CLIENT_OPERATORS
    title = _("Change the commercial model")

    def get(self, request, pk):
        model = selectors.commercial_model_get(user=request.user, pk=pk)
        _require(permissions.may_manage(request.user, model.organisation_id))
        initial = {name: getattr(model, name) for name in MODEL_FORM_FIELDS}
        form = CommercialModelForm(initial=initial, user=request.user, editing=True)
        return render(request, FORM_TEMPLATE, {"form": form, **_model_context(self.title, model)})

    def post(self, request, pk):
        model = selectors.commercial_model_get(user=request.user, pk=pk)
        _require(permissions.may_manage(request.user, model.organisation_id))
        form = CommercialModelForm(request.POST, user=request.user, editing=True)

        def save(data):
            return services.commercial_model_update(
                actor=request.user, model=model, expected_version=_version(request.POST.get("version")), **data
            )

        return save_form(
            request,
            form,
            save,
            message=_("Commercial model saved."),
            template_name=FORM_TEMPLATE,
            context=_model_context(self.title, model),
        )


class CommercialModelDeleteView(RoleRequiredMixin, View):
    """`/sourcing/commercial/<pk>/delete/` (POST): delete a commercial model."""

    allowed_roles = CLIENT_OPERATORS

    def post(self, request, pk):
        model = selectors.commercial_model_get(user=request.user, pk=pk)

        def delete(**kwargs):
            services.commercial_model_delete(actor=request.user, model=model, **kwargs)

        return _delete(request, model, delete, message=_("Commercial model deleted."), back="sourcing:commercial_list")
