"""Pages of the risk quantification: a risk's inputs and correlations, the simulation runs (list, new run, the
result with its charts, the progress fragment htmx polls). Views parse input and call `risks.simulation`; what
they show comes from `risks.selectors` and the run's stored result.

Like the register, these pages are the organisation's client roles': anyone else is refused (403), and a risk
or run of another organisation is a 404. Client administrators and supervisors write; executives and auditors read."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View

from oversight.core.errors import ApplicationError
from oversight.core.views import RoleRequiredMixin, paginate
from oversight.quant import montecarlo
from oversight.risks import permissions, selectors, simulation
from oversight.risks.charts_quant import exceedance_svg, tornado_svg
from oversight.risks.choices import RiskCategory
from oversight.risks.choices_quant import RUNNING_STATUSES, SeverityKind, SimulationStatus
from oversight.risks.forms_quant import CorrelationForm, QuantificationForm, SimulationForm, add_domain_error
from oversight.tenancy.roles import CLIENT_ROLES

TORNADO_BARS = 12


class ClientRolesOnly(RoleRequiredMixin):
    """The register's readers (the organisation's client roles); anyone else is refused the page (403) and an
    object they cannot see is a 404."""

    allowed_roles = CLIENT_ROLES


def _require_manage(user, risk) -> None:
    if not permissions.may_manage(user, risk):
        raise PermissionDenied(_("Your role cannot quantify this risk."))


def _require_run(user) -> None:
    if not permissions.may_create(user):
        raise PermissionDenied(_("Your role cannot run risk simulations."))


def _title(risk_row: dict) -> str:
    english = (translation.get_language() or "").startswith("en")
    return (risk_row.get("title_en") if english else "") or risk_row.get("title", "")


# --- a risk's inputs --------------------------------------------------------------------------------------------


def _quantification_page(request, risk, *, form=None, correlation_form=None, status=200):
    user = request.user
    q = getattr(risk, "quantification", None) if hasattr(risk, "quantification") else None
    may_manage = permissions.may_manage(user, risk)
    moments = None
    if q is not None:
        moments = montecarlo.risk_moments(simulation.risk_input(q, key=risk.number))
    if form is None and may_manage:
        initial = (
            {f: getattr(q, f) for f in ("frequency", "rate", "severity", "low", "mode", "high", "currency")}
            if q is not None
            else None
        )
        form = QuantificationForm(initial=initial)
    candidates = selectors.correlation_candidates(user=user, risk=risk)
    if correlation_form is None and may_manage and q is not None:
        correlation_form = CorrelationForm(candidates=candidates)
    context = {
        "risk": risk,
        "quantification": q,
        "moments": moments,
        "form": form if may_manage else None,
        "correlation_form": correlation_form if may_manage and q is not None else None,
        "correlations": selectors.risk_correlations(user=user, risk=risk),
        "lognormal": SeverityKind.LOGNORMAL,
    }
    return render(request, "risks/simulation_quantification.html", context, status=status)


def _risk_quantification(request, pk):
    """The risk read fresh (its `quantification` reverse relation is cached per instance)."""
    return selectors.risk_for_quantification(user=request.user, pk=pk)


class QuantificationView(ClientRolesOnly, View):
    """`/risks/<pk>/quantification/`: a risk's inputs (and their analytic mean), its correlations."""

    def get(self, request, pk):
        return _quantification_page(request, _risk_quantification(request, pk))

    def post(self, request, pk):
        risk = _risk_quantification(request, pk)
        _require_manage(request.user, risk)
        if "delete" in request.POST:
            simulation.quantification_delete(actor=request.user, risk=risk)
            messages.success(request, _("The quantification was removed."))
            return redirect("risks:quantification", pk=risk.pk)
        form = QuantificationForm(request.POST)
        if not form.is_valid():
            return _quantification_page(request, risk, form=form, status=400)
        try:
            simulation.quantification_save(actor=request.user, risk=risk, **form.cleaned_data)
        except ApplicationError as exc:
            add_domain_error(form, exc)
            return _quantification_page(request, risk, form=form, status=exc.status_code)
        messages.success(request, _("The quantification was saved."))
        return redirect("risks:quantification", pk=risk.pk)


class CorrelationView(ClientRolesOnly, View):
    """`/risks/<pk>/correlations/` (POST): set or remove the correlation with another risk."""

    def post(self, request, pk):
        risk = _risk_quantification(request, pk)
        _require_manage(request.user, risk)
        form = CorrelationForm(request.POST, candidates=selectors.correlation_candidates(user=request.user, risk=risk))
        if not form.is_valid():
            return _quantification_page(request, risk, correlation_form=form, status=400)
        try:
            simulation.correlation_save(
                actor=request.user,
                risk=risk,
                other=form.cleaned_data["other"],
                coefficient=form.cleaned_data["coefficient"],
            )
        except ApplicationError as exc:
            add_domain_error(form, exc)
            return _quantification_page(request, risk, correlation_form=form, status=exc.status_code)
        messages.success(request, _("The correlation was saved."))
        return redirect("risks:quantification", pk=risk.pk)


# --- simulation runs --------------------------------------------------------------------------------------------


class SimulationListView(ClientRolesOnly, View):
    """`/risks/simulations/`: the organisation's runs, newest first."""

    def get(self, request):
        page = paginate(selectors.simulation_list(user=request.user), request)
        context = {"page": page, "may_run": permissions.may_create(request.user)}
        return render(request, "risks/simulation_list.html", context)


class SimulationCreateView(ClientRolesOnly, View):
    """`/risks/simulations/new/`: choose the scope, iterations, seed and appetite; the run is queued."""

    def render_form(self, request, form, status=200):
        return render(request, "risks/simulation_form.html", {"form": form}, status=status)

    def get(self, request):
        _require_run(request.user)
        return self.render_form(request, SimulationForm(user=request.user))

    def post(self, request):
        _require_run(request.user)
        form = SimulationForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.render_form(request, form, status=400)
        try:
            run = simulation.simulation_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            add_domain_error(form, exc)
            return self.render_form(request, form, status=exc.status_code)
        return redirect(run)


def _money(value) -> Decimal | None:
    return None if value is None else Decimal(repr(float(value)))


def result_context(run) -> dict:
    """What the run's page shows of a finished result: figures, the per-risk table, groups and the two charts."""
    result = run.result
    rows = {r["number"]: r for r in run.inputs.get("risks", [])}
    pct = result["percentiles"]
    risks = []
    for outcome in result["risks"]:
        row = rows.get(outcome["key"], {})
        risks.append(
            {
                "number": outcome["key"],
                "id": row.get("id"),
                "title": _title(row),
                "analytic_mean": _money(outcome["analytic_mean"]),
                "simulated_mean": _money(outcome["simulated_mean"]),
                "tail": _money(outcome["tail_contribution"]),
                "share": outcome["variance_share"] * 100,
            }
        )
    risks.sort(key=lambda r: r["tail"], reverse=True)
    categories = dict(RiskCategory.choices)
    groups = {"vendor": [], "category": []}
    for g in result["groups"]:
        if g["dimension"] == "vendor":
            label = g["label"] or _("No vendor")
        else:
            label = categories.get(g["label"], g["label"])
        row = {"label": label, "mean": _money(g["mean"]), "p90": _money(g["p90"])}
        groups.setdefault(g["dimension"], []).append(row)
    markers = [(pct["90"], _("P90"))]
    if result["appetite"] is not None:
        markers.append((result["appetite"], _("Appetite")))
    difference = result["mean"] - result["analytic_mean"]
    return {
        "mean": _money(result["mean"]),
        "std": _money(result["std"]),
        "standard_error": _money(result["standard_error"]),
        "analytic_mean": _money(result["analytic_mean"]),
        "analytic_std": _money(result["analytic_std"]),
        "difference": _money(difference),
        "difference_in_se": abs(difference) / result["standard_error"] if result["standard_error"] else 0.0,
        "base": _money(result["base"]),
        "percentiles": [(f"P{k}", _money(pct[k])) for k in ("50", "80", "90", "95")],
        "contingency_p80": _money(result["contingency_p80_base"]),
        "contingency_p95": _money(result["contingency_p95_p50"]),
        "tail_mean": _money(result["tail_mean"]),
        "appetite": _money(result["appetite"]),
        "prob_exceed": None if result["prob_exceed_appetite"] is None else result["prob_exceed_appetite"] * 100,
        "risks": risks,
        "groups": groups,
        "lec_svg": mark_safe(  # noqa: S308 - every text in it is escaped by charts_quant
            exceedance_svg(
                result["exceedance"],
                title=_("Loss-exceedance curve"),
                x_label=_("Yearly loss"),
                y_label=_("Chance of exceeding"),
                markers=markers,
            )
        ),
        "tornado_svg": mark_safe(  # noqa: S308 - every text in it is escaped by charts_quant
            tornado_svg(
                [(f"{r['number']} {r['title']}", float(r["tail"])) for r in risks[:TORNADO_BARS]],
                title=_("Contribution of each risk to the worst years"),
            )
        ),
    }


def progress_context(run) -> dict:
    return {"run": run, "running": run.status in RUNNING_STATUSES}


class SimulationDetailView(ClientRolesOnly, View):
    """`/risks/simulations/<pk>/`: the run's parameters, its progress while it runs, its result once finished."""

    def get(self, request, pk):
        run = selectors.simulation_get(user=request.user, pk=pk)
        context = {
            **progress_context(run),
            "risk_count": len(run.inputs.get("risks", [])),
            "correlation_count": len(run.inputs.get("correlations", [])),
            "category_label": dict(RiskCategory.choices).get(run.category, ""),
        }
        if run.status == SimulationStatus.FINISHED and run.result:
            context["r"] = result_context(run)
        context["may_rerun"] = run.status == SimulationStatus.FAILED and permissions.may_create(request.user)
        return render(request, "risks/simulation_detail.html", context)


class SimulationRerunView(ClientRolesOnly, View):
    """`/risks/simulations/<pk>/rerun/` (POST): run a failed simulation again (a new run, same inputs and seed)."""

    def post(self, request, pk):
        run = selectors.simulation_get(user=request.user, pk=pk)
        _require_run(request.user)
        try:
            again = simulation.simulation_rerun(actor=request.user, run=run)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect(run)
        messages.success(request, _("The simulation was queued again."))
        return redirect(again)


class SimulationProgressView(ClientRolesOnly, View):
    """`/risks/simulations/<pk>/progress/`: the progress fragment the run's page polls while it runs."""

    def get(self, request, pk):
        run = selectors.simulation_get(user=request.user, pk=pk)
        return render(request, "risks/simulation_progress.html", progress_context(run))
