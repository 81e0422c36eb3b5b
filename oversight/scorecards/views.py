"""Web pages of the evaluation app: period list, period page (results by dimension, commitments, manual entries,
disputes, signatures, timeline), drill-down pages, the scheme page and editor, and trend charts.

Views only parse input and call scorecards.services; what anyone may see comes from scorecards.selectors
(an invisible object is a 404; an action the role may not take is a 403 from the service).
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from oversight.contracts.selectors import contract_get
from oversight.core.charts import Series, bar_chart, line_chart
from oversight.core.errors import ApplicationError, NotAllowed
from oversight.core.views import RoleRequiredMixin, paginate
from oversight.scorecards import permissions, selectors, services
from oversight.scorecards.api.views import evidence_response
from oversight.scorecards.choices import (
    EDITABLE_STATUSES,
    FROZEN_STATUSES,
    RECORD_CERTIFICATE,
    RECORD_COMPLAINT,
    RECORD_MANUAL,
    RECORD_RATING,
    RECORD_STAFF_MEMBER,
    RECORD_WORK_ORDER,
    Dimension,
    PeriodKind,
    PeriodStatus,
)
from oversight.scorecards.filters import PeriodFilter
from oversight.scorecards.forms import (
    DecisionForm,
    DisputeForm,
    IndicatorForm,
    IndicatorFormSet,
    ManualEntryForm,
    PeriodOpenForm,
    ReviseForm,
    SchemeHeaderForm,
)
from oversight.tenancy.choices import CLIENT_ROLES, VENDOR_ROLES
from oversight.tickets.choices import WorkOrderKind
from oversight.tickets.selectors import work_order_get_by_number

READERS = frozenset(CLIENT_ROLES | VENDOR_ROLES)
SET_LABELS = {
    "numerator": _("Numerator"),
    "denominator": _("Denominator"),
    "excluded": _("Excluded by disputes"),
    "pending": _("Pending"),
    "promoters": _("Promoters"),
    "passives": _("Passives"),
    "detractors": _("Detractors"),
    "reassigned": _("Reassigned"),
    "escalated": _("Escalated"),
    "reopened": _("Reopened"),
    "calendar_time": _("Measured in calendar time"),
    "requester": _("Same requester"),
    "ci": _("Same asset"),
    "category": _("Same category"),
    "surplus": _("Beyond the contracted posts"),
    "uncontracted": _("Positions not contracted"),
    "expiring": _("Expiring within 30 days"),
    "expired": _("Expired"),
}
# The value axis of an indicator's trend chart, by unit (upper None: up to the largest value).
Y_RANGES = {"percent": (0, 100), "nps": (-100, 100), "stars": (0, 5)}
UNIT_SUFFIX = {"percent": " %", "seconds": " s", "stars": " ★", "count": "", "nps": "", "points": ""}


# ---------------------------------------------------------------------------------------------- list


class PeriodListView(RoleRequiredMixin, TemplateView):
    """`/scorecards/`: the evaluations the user may see, filtered by contract, vendor, kind, status or year."""

    allowed_roles = READERS
    template_name = "scorecards/period_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        base = selectors.period_list(user=user)
        filterset = PeriodFilter(self.request.GET or None, queryset=base, user=user)
        qs = filterset.qs if filterset.is_bound and filterset.is_valid() else selectors.current_revisions(base)
        may_open = permissions.is_client_operator(user, user.organisation_id)
        context.update(
            {
                "filter": filterset,
                "page": paginate(qs.order_by("-starts_on", "contract__number", "-revision"), self.request),
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


# ---------------------------------------------------------------------------------------------- period page


def _figure(value: Decimal | None, unit: str) -> str:
    if value is None:
        return "—"
    text = f"{value.quantize(Decimal('0.01'))}" if unit != "count" else f"{value.normalize():f}"
    return text + UNIT_SUFFIX.get(unit, "")


def labelled_sets(result) -> list[tuple[str, object, int]]:
    """(set name, label, count) of every non-empty drill-down set of a result."""
    return [(name, SET_LABELS.get(name, name), count) for name, count in selectors.record_sets(result)]


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
        r.value_text = _figure(r.value, r.unit)
        r.sets = labelled_sets(r)
    commitments = selectors.commitment_results(period)
    for c in commitments:
        c.value_text = _figure(c.measured_value, c.unit)
        c.target_text = _figure(c.target, c.unit)
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
    context = {
        "period": period,
        "unit_counts": unit_counts,
        "blocks": selectors.results_by_dimension(results),
        "commitments": commitments,
        "manual_indicators": manual_indicators,
        "manual_entries": selectors.period_manual_entries(period),
        "disputes": disputes,
        "events": events,
        "actions": actions,
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
    def perform(self, request, period, form):
        services.period_compute(period=period, actor=request.user)
        return _("The evaluation was recomputed from the current data."), period.pk


class PublishView(PeriodActionView):
    def perform(self, request, period, form):
        services.period_publish(period=period, actor=request.user)
        return _("The evaluation was published to the vendor; the dispute window is open."), period.pk


class SignView(PeriodActionView):
    def perform(self, request, period, form):
        services.period_sign(period=period, actor=request.user)
        return _("Signed."), period.pk


class LockView(PeriodActionView):
    def perform(self, request, period, form):
        services.period_lock(period=period, actor=request.user)
        return _("The evaluation is locked."), period.pk


class ReviseView(PeriodActionView):
    form_key = "revise"

    def build_form(self, request, period):
        return ReviseForm(request.POST)

    def perform(self, request, period, form):
        revision = services.period_revise(period=period, actor=request.user, reason=form.cleaned_data["reason"])
        return _("Revision %(n)s was created as a draft.") % {"n": revision.revision}, revision.pk


class ManualEntryView(PeriodActionView):
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


class DisputeCreateView(PeriodActionView):
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


class EvidenceDownloadView(LoginRequiredMixin, View):
    """Send an evidence file only after the visibility check; always as a download."""

    def get(self, request, pk):
        return evidence_response(selectors.evidence_get(user=request.user, pk=pk))


# ---------------------------------------------------------------------------------------------- drill-down


def _drilldown(request, result, *, title, template="scorecards/drilldown.html"):
    sets = labelled_sets(result)
    which = request.GET.get("set") or (sets[0][0] if sets else "numerator")
    record_type = RECORD_WORK_ORDER if which == "excluded" else result.record_type
    records = selectors.drilldown_records(user=request.user, result=result, which=which)
    ordering = {
        RECORD_WORK_ORDER: ("created_at", "pk"),
        RECORD_RATING: ("created_at", "pk"),
        RECORD_COMPLAINT: ("opened_at", "pk"),
        RECORD_MANUAL: ("-entered_at", "-pk"),
        RECORD_STAFF_MEMBER: ("position", "name", "pk"),
        RECORD_CERTIFICATE: ("expires_on", "staff_member__name", "pk"),
    }.get(record_type, ("pk",))
    context = {
        "result": result,
        "period": result.period,
        "title": title,
        "sets": sets,
        "which": which,
        "record_type": record_type,
        "page": paginate(records.order_by(*ordering), request),
        "total": len(selectors.record_ids(result, which)),
    }
    return render(request, template, context)


class ResultDrilldownView(LoginRequiredMixin, View):
    """`/scorecards/results/<pk>/?set=…`: the work orders, ratings, complaints or entries behind an indicator."""

    def get(self, request, pk):
        result = selectors.result_get(user=request.user, pk=pk)
        result.value_text = _figure(result.value, result.unit)
        return _drilldown(request, result, title=result.indicator.name)


class CommitmentDrilldownView(LoginRequiredMixin, View):
    """`/scorecards/commitment-results/<pk>/?set=…`: the records behind a commitment's measured value."""

    def get(self, request, pk):
        result = selectors.commitment_result_get(user=request.user, pk=pk)
        result.value_text = _figure(result.measured_value, result.unit)
        result.groups = {}
        return _drilldown(request, result, title=result.name)


# ---------------------------------------------------------------------------------------------- schemes


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


# ---------------------------------------------------------------------------------------------- trends


class TrendView(RoleRequiredMixin, TemplateView):
    """`/scorecards/trends/`: score and one indicator across periods, per vendor (inline SVG, print-friendly)."""

    allowed_roles = READERS
    template_name = "scorecards/trends.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        kind = self.request.GET.get("kind") or PeriodKind.QUARTERLY
        if kind not in PeriodKind.values:
            kind = PeriodKind.QUARTERLY
        vendor = self.request.GET.get("vendor") or ""
        vendor_id = int(vendor) if vendor.isdigit() else None
        codes = selectors.trend_indicator_codes(user=user)
        indicator = self.request.GET.get("indicator") or ""
        if indicator not in {c for c, _n in codes}:
            indicator = codes[0][0] if codes else ""
        series = selectors.trend(user=user, kind=kind, vendor_id=vendor_id, indicator_code=indicator)
        labels = sorted({point.label for points in series.values() for point in points})
        charts = []
        if labels:

            def values(points, attr):
                by_label = {p.label: getattr(p, attr) for p in points}
                return [by_label.get(label) for label in labels]

            charts.append(
                mark_safe(  # noqa: S308 - built by oversight.core.charts, every text escaped
                    line_chart(
                        categories=labels,
                        series=[Series(name, values(points, "score")) for name, points in series.items()],
                        title=str(_("Period score")),
                        y_min=0,
                        y_max=100,
                        label=str(_("Period score by vendor")),
                    )
                )
            )
            if indicator:
                name = dict(codes).get(indicator, indicator)
                low, high = Y_RANGES.get(selectors.indicator_unit(indicator), (0, None))
                charts.append(
                    mark_safe(  # noqa: S308 - as above
                        line_chart(
                            categories=labels,
                            series=[Series(vname, values(points, "value")) for vname, points in series.items()],
                            title=str(name),
                            label=str(name),
                            y_min=low,
                            y_max=high,
                        )
                    )
                )
                charts.append(
                    mark_safe(  # noqa: S308 - as above
                        bar_chart(
                            categories=labels,
                            series=[Series(vname, values(points, "points")) for vname, points in series.items()],
                            title=str(_("Points of “%(name)s”") % {"name": name}),
                            label=str(_("Points of “%(name)s”") % {"name": name}),
                        )
                    )
                )
        from oversight.tenancy.selectors import vendor_list

        context.update(
            {
                "charts": charts,
                "series": series,
                "labels": labels,
                "kind": kind,
                "kinds": PeriodKind.choices,
                "vendors": vendor_list(user=user),
                "vendor_id": vendor_id,
                "codes": codes,
                "indicator": indicator,
            }
        )
        return context
