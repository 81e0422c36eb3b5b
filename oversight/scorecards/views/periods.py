"""Evaluation period pages: the list, opening a period, the period page and its workflow actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from oversight.core.errors import ApplicationError
from oversight.core.listing import sort_list
from oversight.core.views import RoleRequiredMixin, paginate
from oversight.scorecards import permissions, selectors, services
from oversight.scorecards.choices import EDITABLE_STATUSES, FROZEN_STATUSES, PeriodStatus
from oversight.scorecards.filters import PeriodFilter
from oversight.scorecards.forms import DecisionForm, DisputeForm, ManualEntryForm, PeriodOpenForm, ReviseForm
from oversight.scorecards.views.display import figure, labelled_sets
from oversight.tenancy.roles import STAFF_ROLES, VENDOR_ROLES
from oversight.tickets.choices import WorkOrderKind

# The period list's column headers sort by these keys (core.listing.sort_list).
PERIOD_SORT_KEYS = {
    "period": ("starts_on",),
    "contract": ("contract__number",),
    "vendor": ("vendor__name",),
    "status": ("status",),
    "score": ("total_score",),
    "computed": ("computed_at",),
}


class PeriodListView(RoleRequiredMixin, TemplateView):
    """`/scorecards/`: the evaluations the user may see, filtered by contract, vendor, kind, status or year."""

    allowed_roles = STAFF_ROLES
    template_name = "scorecards/period_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        base = selectors.period_list(user=user)
        filterset = PeriodFilter(self.request.GET or None, queryset=base, user=user)
        qs = filterset.qs if filterset.is_bound and filterset.is_valid() else selectors.current_revisions(base)
        may_open = permissions.is_client_operator(user, user.organisation_id)
        qs, sorting = sort_list(
            qs, self.request, keys=PERIOD_SORT_KEYS, default=("-starts_on", "contract__number", "-revision", "-pk")
        )
        context.update(
            {
                "filter": filterset,
                "sorting": sorting,
                "page": paginate(qs, self.request),
                "may_open": may_open,
                "open_form": kwargs.get("open_form") or (PeriodOpenForm(user=user) if may_open else None),
            }
        )
        return context


class PeriodOpenView(LoginRequiredMixin, View):
    """Open (and compute) a month or quarter of a contract on demand (client operators)."""

    def post(self, request):
        if not permissions.is_client_operator(request.user, request.user.organisation_id):
            raise PermissionDenied(_("Only the client's administrators and supervisors can do this."))
        form = PeriodOpenForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                period, created = services.period_open(
                    contract=form.cleaned_data["contract"],
                    kind=form.cleaned_data["kind"],
                    day=form.cleaned_data["day"],
                    actor=request.user,
                )
            except ApplicationError as exc:
                form.add_error(None, exc.message)
                messages.error(request, exc.message)
                status = exc.status_code
            else:
                if created:
                    messages.success(request, _("The evaluation was opened and computed."))
                else:
                    messages.info(request, _("This evaluation already exists."))
                return redirect("scorecards:period", pk=period.pk)
        else:
            status = 400
        view = PeriodListView()
        view.setup(request)
        return render(request, PeriodListView.template_name, view.get_context_data(open_form=form), status=status)


def _actions(user, period) -> dict[str, bool]:
    operator = permissions.may_operate(user, period)
    vendor = permissions.may_dispute(user, period)
    status = period.status
    return {
        "recompute": operator and status in EDITABLE_STATUSES,
        "publish": operator and status == PeriodStatus.DRAFT and period.total_score is not None and not period.problems,
        "sign_client": operator and status == PeriodStatus.PUBLISHED,
        "sign_vendor": vendor and status == PeriodStatus.SIGNED_CLIENT,
        "lock": operator and status == PeriodStatus.SIGNED,
        "revise": operator and status in FROZEN_STATUSES and not period.is_revised,
        "manual": operator and status in EDITABLE_STATUSES,
        "dispute": vendor
        and status in (PeriodStatus.PUBLISHED, PeriodStatus.DISPUTED, PeriodStatus.SIGNED_CLIENT)
        and period.dispute_deadline is not None,
        "decide": operator and status == PeriodStatus.DISPUTED,
    }


def period_page(request, period, *, status: int = 200, forms: dict | None = None):
    """Render a period: header, results by dimension, commitments, manual entries, disputes, actions, timeline."""
    user = request.user
    results = selectors.period_results(period)
    for r in results:
        r.value_text = figure(r.value, r.unit)
        r.sets = labelled_sets(r)
    commitments = selectors.commitment_results(period)
    for c in commitments:
        c.value_text = figure(c.measured_value, c.unit)
        c.target_text = figure(c.target, c.unit)
        c.sets = labelled_sets(c)
    actions = _actions(user, period)
    forms = forms or {}
    manual_indicators = [r for r in results if r.source == "manual"]
    if actions["manual"]:
        for r in manual_indicators:
            key = f"manual-{r.code}"
            r.form = forms.get(key) or ManualEntryForm(
                prefix=key, initial={"indicator": r.code, "value": r.manual_entry.value if r.manual_entry else None}
            )
    if actions["dispute"]:
        forms.setdefault("dispute", DisputeForm(indicators=[r.indicator for r in results]))
    if actions["revise"]:
        forms.setdefault("revise", ReviseForm())
    disputes = list(selectors.period_disputes(period))
    if actions["decide"]:
        for d in disputes:
            if d.status == "open":
                d.form = forms.get(f"decide-{d.pk}") or DecisionForm(prefix=f"decide-{d.pk}")
    events = list(selectors.period_events(period))
    for e in events:
        e.to_label = PeriodStatus(e.to_status).label if e.to_status in PeriodStatus.values else e.to_status
    unit_counts = [
        (WorkOrderKind(kind).label if kind in WorkOrderKind.values else kind, count)
        for kind, count in (period.unit_counts or {}).items()
    ]
    # A missing value names its indicator in the reader's language (stored problems carry the primary name only).
    names = {r.code: r.indicator.localized_name for r in results}
    problems = [
        {**problem, "name": names.get(problem.get("indicator"), problem.get("name"))}
        if problem.get("code") == "missing_value"
        else problem
        for problem in period.problems or []
    ]
    context = {
        "period": period,
        "problems": problems,
        "unit_counts": unit_counts,
        "blocks": selectors.results_by_dimension(results),
        "commitments": commitments,
        "manual_indicators": manual_indicators,
        "manual_entries": selectors.period_manual_entries(period),
        "disputes": disputes,
        "events": events,
        "actions": actions,
        "period_ended": services.period_has_ended(period),
        "forms": forms,
        "is_vendor": user.role in VENDOR_ROLES,
        "revision": getattr(period, "revised_by", None) if period.is_revised else None,
        "open_panel": next((name for name, form in forms.items() if form.is_bound), ""),
    }
    return render(request, "scorecards/period_detail.html", context, status=status)


class PeriodDetailView(LoginRequiredMixin, View):
    """`/scorecards/periods/<pk>/`: one evaluation with every figure and the records behind it."""

    def get(self, request, pk):
        return period_page(request, selectors.period_get(user=request.user, pk=pk))


class PeriodActionView(LoginRequiredMixin, View):
    """Base of the POST actions on a period page: parse a form, call a service, map its errors."""

    form_key = ""

    def build_form(self, request, period):
        return None

    def perform(self, request, period, form):
        raise NotImplementedError

    def post(self, request, pk):
        period = selectors.period_get(user=request.user, pk=pk)
        form = self.build_form(request, period)
        if form is not None and not form.is_valid():
            messages.error(request, _("Please correct the highlighted fields."))
            return period_page(request, period, status=400, forms={self.key(form): form})
        try:
            message, target = self.perform(request, period, form)
        except ApplicationError as exc:
            if form is not None:
                field = exc.extra.get("field")
                form.add_error(field if field in form.fields else None, exc.message)
            messages.error(request, exc.message)
            current = selectors.period_get(user=request.user, pk=pk)
            forms = {self.key(form): form} if form is not None else None
            return period_page(request, current, status=exc.status_code, forms=forms)
        messages.success(request, message)
        return redirect("scorecards:period", pk=target)

    def key(self, form) -> str:
        return self.form_key


class RecomputeView(PeriodActionView):
    """Recompute a draft evaluation from the current data (client operators)."""

    def perform(self, request, period, form):
        services.period_compute(period=period, actor=request.user)
        return _("The evaluation was recomputed from the current data."), period.pk


class PublishView(PeriodActionView):
    """Publish the evaluation to the vendor, which opens the dispute window."""

    def perform(self, request, period, form):
        services.period_publish(period=period, actor=request.user, early=request.POST.get("early") == "1")
        return _("The evaluation was published to the vendor; the dispute window is open."), period.pk


class SignView(PeriodActionView):
    """Sign the evaluation (the client first, then the vendor)."""

    def perform(self, request, period, form):
        services.period_sign(period=period, actor=request.user)
        return _("Signed."), period.pk


class LockView(PeriodActionView):
    """Lock a signed evaluation so its figures never change."""

    def perform(self, request, period, form):
        services.period_lock(period=period, actor=request.user)
        return _("The evaluation is locked."), period.pk


class ReviseView(PeriodActionView):
    """Create a new draft revision of a frozen evaluation, with the reason."""

    form_key = "revise"

    def build_form(self, request, period):
        return ReviseForm(request.POST)

    def perform(self, request, period, form):
        revision = services.period_revise(period=period, actor=request.user, reason=form.cleaned_data["reason"])
        return _("Revision %(n)s was created as a draft.") % {"n": revision.revision}, revision.pk
