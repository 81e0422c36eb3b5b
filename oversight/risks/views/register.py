"""Web pages of the risk register: the list (filters, grouped views, export), a risk with its four ratings,
history, reviews, mitigations, contingency actions and timeline, the forms of the client's operators, the
overdue page, the heat map and the matrix.

Views only parse input and call `risks.services`; what anyone may see comes from `risks.selectors` (404 for
what a reader may not see). The register is the client's: vendor staff and requesters have no page here."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from oversight.core.errors import ApplicationError
from oversight.core.exports import csv_response, local_stamp, xlsx_response
from oversight.core.listing import sort_list
from oversight.core.views import RoleRequiredMixin, paginate, show_error
from oversight.risks import heatmap, matrices, permissions, selectors, services
from oversight.risks.choices import (
    CONTINGENCY_MACHINE,
    RISK_ACTIONS_NEEDING_NOTE,
    RISK_MACHINE,
    ContingencyActionKind,
    RatingKind,
    RiskAction,
    RiskActivityKind,
    RiskCategory,
    RiskStatus,
)
from oversight.risks.register_filters import RiskFilter
from oversight.risks.register_forms import MatrixForm, RatingForm, ReviewForm, RiskForm
from oversight.tenancy.roles import CLIENT_OPERATORS, CLIENT_ROLES

RISK_SORT_KEYS = {
    "number": ("number",),
    "title": ("title",),
    "category": ("category",),
    "level": ("score",),
    "status": ("status",),
    "owner": ("owner__username",),
    "vendor": ("vendor__name",),
    "review": ("next_review_date",),
}
GROUPS = {
    "owner": (_("Risk owner"), lambda r: str(r.owner)),
    "vendor": (_("Vendor"), lambda r: str(r.vendor) if r.vendor_id else str(_("No vendor"))),
    "category": (_("Category"), lambda r: r.get_category_display()),
}


def _version(request) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


def _filtered(request):
    user = request.user
    base = selectors.risk_list(user=user)
    filterset = RiskFilter(request.GET or None, queryset=base, user=user)
    qs = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    return filterset, qs


class RiskListView(RoleRequiredMixin, TemplateView):
    """`/risks/`: the register, filtered by owner, vendor, category, level, treatment, status and overdue; with
    `group=owner|vendor|category` grouped instead of paged."""

    allowed_roles = CLIENT_ROLES
    template_name = "risks/register_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        filterset, qs = _filtered(self.request)
        qs, sorting = sort_list(qs, self.request, keys=RISK_SORT_KEYS, default=("-score", "number"))
        group = self.request.GET.get("group", "")
        groups = []
        if group in GROUPS:
            found: dict[str, list] = {}
            for risk in qs:
                found.setdefault(GROUPS[group][1](risk), []).append(risk)
            groups = sorted(found.items(), key=lambda item: item[0])
        context.update(
            {
                "filter": filterset,
                "sorting": sorting,
                "group": group if group in GROUPS else "",
                "keep": {"group": group if group in GROUPS else ""},
                "group_choices": [(code, label) for code, (label, _key) in GROUPS.items()],
                "groups": groups,
                "page": None if groups else paginate(qs, self.request),
                "may_create": permissions.may_create(user),
                "query": self.request.GET.urlencode(),
            }
        )
        return context


def _export_rows(qs):
    def rows():
        yield [
            str(label)
            for label in (
                _("Number"),
                _("Title"),
                _("Category"),
                _("Status"),
                _("Level"),
                _("Score"),
                _("Risk owner"),
                _("Vendor"),
                _("Service"),
                _("Treatment"),
                _("Next review"),
                _("Cause"),
                _("Risk event"),
                _("Consequence"),
            )
        ]
        for r in qs.iterator(chunk_size=500):
            yield [
                r.number,
                r.title,
                str(r.get_category_display()),
                str(r.get_status_display()),
                str(r.get_level_display()),
                r.score,
                str(r.owner),
                str(r.vendor or ""),
                str(r.service or ""),
                str(r.get_treatment_display()),
                r.next_review_date,
                r.cause,
                r.event,
                r.consequence,
            ]

    return rows


class RiskExportView(RoleRequiredMixin, View):
    """`/risks/export/?format=csv|xlsx` with the list's filters: the register as a file."""

    allowed_roles = CLIENT_ROLES

    def get(self, request):
        _filterset, qs = _filtered(request)
        rows = _export_rows(qs.order_by("number"))
        filename = f"risk-register-{local_stamp()}"
        if request.GET.get("format") == "xlsx":
            return xlsx_response(rows(), title=str(_("Risk register")), filename=f"{filename}.xlsx")
        return csv_response(rows, filename=f"{filename}.csv")


def _timeline_rows(risk) -> list[dict]:
    rows = []
    for step in selectors.risk_timeline(risk=risk):
        headline = RiskActivityKind(step.kind).label if step.kind in RiskActivityKind.values else ""
        lines = []
        data = step.data or {}
        if step.kind == RiskActivityKind.STATUS_CHANGED and step.to_status in RiskStatus.values:
            headline = _("Status: %(status)s") % {"status": RiskStatus(step.to_status).label}
        elif step.kind == RiskActivityKind.RATED and data.get("kind") in RatingKind.values:
            headline = _("Rated (%(kind)s): %(level)s") % {
                "kind": RatingKind(data["kind"]).label,
                "level": matrices.level_label(data.get("level", "")),
            }
        elif step.kind == RiskActivityKind.REVIEWED:
            lines.append(_("Next review: %(date)s") % {"date": data.get("next_review_date", "")})
        if step.body:
            lines.append(step.body)
        rows.append({"event": step, "headline": headline, "lines": lines})
    return rows


def _rating_row(rating):
    if rating is None:
        return None
    version = rating.matrix_version
    return {
        "rating": rating,
        "probability": matrices.probability_label(version, rating.probability_level),
        "impact": matrices.impact_label(version, rating.impact_level),
        "colour": matrices.colour_of(version, rating.level),
    }


def risk_page(request, risk, *, status: int = 200):
    """Render a risk with everything about it and the actions this reader may take."""
    user = request.user
    may_manage = permissions.may_manage(user, risk)
    latest = selectors.latest_ratings(risk=risk)
    actions = []
    if may_manage:
        for action in RISK_MACHINE.actions_from(risk.status):
            actions.append(
                {"code": action, "label": RiskAction(action).label, "note": action in RISK_ACTIONS_NEEDING_NOTE}
            )
    contingency = list(selectors.risk_contingency_actions(risk=risk))
    for item in contingency:
        item.steps = (
            [(code, ContingencyActionKind(code).label) for code in CONTINGENCY_MACHINE.actions_from(item.status)]
            if may_manage
            else []
        )
    context = {
        "risk": risk,
        "ratings": [(kind.label, _rating_row(latest.get(kind.value))) for kind in RatingKind],
        "history": [_rating_row(r) for r in selectors.risk_ratings(risk=risk)],
        "reviews": list(selectors.risk_reviews(risk=risk)),
        "mitigations": list(selectors.risk_mitigations(user=user, risk=risk)),
        "contingency": contingency,
        "timeline": _timeline_rows(risk),
        "may_manage": may_manage,
        "actions": actions,
        "review_overdue": risk.is_open and selectors.risks_review_overdue(user=user).filter(pk=risk.pk).exists(),
    }
    return render(request, "risks/register_detail.html", context, status=status)


class RiskDetailView(RoleRequiredMixin, View):
    """`/risks/<pk>/`: one risk."""

    allowed_roles = CLIENT_ROLES

    def get(self, request, pk):
        return risk_page(request, selectors.risk_get_by_pk(user=request.user, pk=pk))


def _render_form(request, form, *, title, action, back, status=200, risk=None, extra=None):
    context = {"form": form, "title": title, "action": action, "back": back, "risk": risk, **(extra or {})}
    return render(request, "risks/register_form.html", context, status=status)


class RiskCreateView(RoleRequiredMixin, View):
    """`/risks/new/`: record a risk."""

    allowed_roles = CLIENT_OPERATORS

    def _render(self, request, form, status=200):
        return _render_form(request, form, title=_("New risk"), action=request.path, back="risks:list", status=status)

    def get(self, request):
        return self._render(request, RiskForm(user=request.user, initial={"owner": request.user.pk}))

    def post(self, request):
        form = RiskForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                risk = services.risk_create(actor=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Risk %(number)s was recorded.") % {"number": risk.number})
                return redirect(risk)
        return self._render(request, form, status=400)


EDIT_FIELDS = (
    "title",
    "title_en",
    "category",
    "cause",
    "event",
    "consequence",
    "treatment",
    "treatment_note",
    "acceptance_expires_on",
    "contingency_plan",
    "next_review_date",
)


class RiskEditView(RoleRequiredMixin, View):
    """`/risks/<pk>/edit/`: change a risk's details."""

    allowed_roles = CLIENT_OPERATORS

    def _render(self, request, risk, form, status=200):
        return _render_form(
            request, form, title=_("Edit risk"), action=request.path, back=risk, status=status, risk=risk
        )

    def get(self, request, pk):
        risk = selectors.risk_get_by_pk(user=request.user, pk=pk)
        initial = {name: getattr(risk, name) for name in EDIT_FIELDS}
        initial |= {
            "owner": risk.owner_id,
            "vendor": risk.vendor_id,
            "contract": risk.contract_id,
            "service": risk.service_id,
            "acceptance_approver": risk.acceptance_approver_id,
        }
        return self._render(request, risk, RiskForm(user=request.user, initial=initial))

    def post(self, request, pk):
        risk = selectors.risk_get_by_pk(user=request.user, pk=pk)
        form = RiskForm(request.POST, user=request.user)
        if form.is_valid():
            changes = dict(form.cleaned_data)
            if changes.get("next_review_date") is None:
                changes.pop("next_review_date")
            try:
                services.risk_update(actor=request.user, risk=risk, expected_version=_version(request), **changes)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The risk was saved."))
                return redirect(risk)
        return self._render(request, risk, form, status=400)


class RiskRateView(RoleRequiredMixin, View):
    """`/risks/<pk>/rate/`: rate the risk on the matrix version in use."""

    allowed_roles = CLIENT_OPERATORS

    def _render(self, request, risk, form, version, status=200):
        extra = {"grid": matrices.grid(version), "matrix_version": version}
        return _render_form(
            request, form, title=_("Rate risk"), action=request.path, back=risk, status=status, risk=risk, extra=extra
        )

    def get(self, request, pk):
        risk = selectors.risk_get_by_pk(user=request.user, pk=pk)
        version = services.risk_matrix_current(organisation=risk.organisation)
        kind = request.GET.get("kind") if request.GET.get("kind") in RatingKind.values else RatingKind.CURRENT
        return self._render(request, risk, RatingForm(version=version, initial={"kind": kind}), version)

    def post(self, request, pk):
        risk = selectors.risk_get_by_pk(user=request.user, pk=pk)
        version = services.risk_matrix_current(organisation=risk.organisation)
        form = RatingForm(request.POST, version=version)
        if form.is_valid():
            try:
                services.risk_rating_record(risk=risk, actor=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The rating was recorded."))
                return redirect(risk)
        return self._render(request, risk, form, version, status=400)


class RiskReviewView(RoleRequiredMixin, View):
    """`/risks/<pk>/review/`: record a review."""

    allowed_roles = CLIENT_OPERATORS

    def _render(self, request, risk, form, status=200):
        return _render_form(
            request, form, title=_("Review risk"), action=request.path, back=risk, status=status, risk=risk
        )

    def get(self, request, pk):
        risk = selectors.risk_get_by_pk(user=request.user, pk=pk)
        return self._render(request, risk, ReviewForm())

    def post(self, request, pk):
        risk = selectors.risk_get_by_pk(user=request.user, pk=pk)
        form = ReviewForm(request.POST)
        if form.is_valid():
            try:
                services.risk_review_record(actor=request.user, risk=risk, **form.cleaned_data)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The review was recorded."))
                return redirect(risk)
        return self._render(request, risk, form, status=400)


def run_step(request, obj, *, choice: str, choices, perform) -> object:
    """A POSTed state change of `obj`: `choice` must be one of `choices` (a TextChoices), `perform(choice)`
    calls the service; refusals become the page's error message. Redirects back to the object's page."""
    if choice not in choices.values:
        messages.error(request, _("Choose an action."))
        return redirect(obj)
    try:
        perform(choice)
    except ApplicationError as exc:
        show_error(request, exc)
    else:
        messages.success(request, _("Done: %(action)s.") % {"action": choices(choice).label})
    return redirect(obj)


class RiskTransitionView(RoleRequiredMixin, View):
    """`/risks/<pk>/transition/` (POST `action`, `note`, `version`): move the risk along its states."""

    allowed_roles = CLIENT_OPERATORS

    def post(self, request, pk):
        risk = selectors.risk_get_by_pk(user=request.user, pk=pk)
        return run_step(
            request,
            risk,
            choice=request.POST.get("action", ""),
            choices=RiskAction,
            perform=lambda action: services.risk_transition(
                actor=request.user,
                risk=risk,
                action=action,
                expected_version=_version(request),
                note=request.POST.get("note", ""),
            ),
        )


class ContingencyTransitionView(RoleRequiredMixin, View):
    """`/risks/contingency/<pk>/transition/` (POST `step`, `note`): mark a contingency action done or cancel it."""

    allowed_roles = CLIENT_OPERATORS

    def post(self, request, pk):
        action = selectors.contingency_action_get(user=request.user, pk=pk)
        return run_step(
            request,
            action.risk,
            choice=request.POST.get("step", ""),
            choices=ContingencyActionKind,
            perform=lambda step: services.contingency_action_transition(
                actor=request.user, action=action, step=step, note=request.POST.get("note", "")
            ),
        )


class OverdueView(RoleRequiredMixin, TemplateView):
    """`/risks/overdue/`: open risks whose review is overdue and open mitigations past their due date."""

    allowed_roles = CLIENT_ROLES
    template_name = "risks/register_overdue.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["risks"] = list(selectors.risks_review_overdue(user=user))
        context["mitigations"] = list(selectors.mitigations_overdue(user=user))
        context["overdue"] = {m.pk for m in context["mitigations"]}
        return context


def _version_for(request):
    """The matrix version asked for (`?version=`), or the one in use."""
    user = request.user
    raw = request.GET.get("version", "")
    if raw:
        return selectors.matrix_version_get(user=user, number=raw)
    if user.organisation_id is None:
        raise Http404
    return services.risk_matrix_current(organisation=user.organisation)


class HeatMapView(RoleRequiredMixin, TemplateView):
    """`/risks/heat-map/?kind=current&version=2`: the open risks on a matrix version, counted per cell, with
    arrows from each risk's inherent to its residual position."""

    allowed_roles = CLIENT_ROLES
    template_name = "risks/register_heatmap.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        version = _version_for(self.request)
        kind = self.request.GET.get("kind") if self.request.GET.get("kind") in RatingKind.values else "current"
        positions, arrows = selectors.heat_map_data(user=user, version=version, kind=kind)
        context.update(
            {
                "map": heatmap.heat_map(version, positions, arrows),
                "matrix_version": version,
                "versions": list(selectors.matrix_versions(user=user)),
                "kind": kind,
                "kinds": RatingKind.choices,
                "bands": [
                    {"label": matrices.level_label(b["level"]), "colour": b["colour"], "start": b["start"]}
                    for b in version.bands
                ],
                "category_labels": dict(RiskCategory.choices),
            }
        )
        return context


class MatrixView(RoleRequiredMixin, View):
    """`/risks/matrix/`: the matrix in use and its versions; a client administrator saves a new version."""

    allowed_roles = CLIENT_ROLES
    template_name = "risks/register_matrix.html"

    def _render(self, request, version, form=None, status=200):
        user = request.user
        may_change = permissions.may_change_matrix(user, user.organisation_id)
        if may_change and form is None:
            form = MatrixForm(
                initial=MatrixForm.initial_from(services.risk_matrix_current(organisation=user.organisation))
            )
        context = {
            "matrix_version": version,
            "grid": matrices.grid(version),
            "probability_labels": [matrices.label(e) for e in version.probability_labels],
            "impact_labels": [matrices.label(e) for e in version.impact_labels],
            "bands": [b | {"label": matrices.level_label(b["level"])} for b in version.bands],
            "versions": list(selectors.matrix_versions(user=user)),
            "form": form if may_change else None,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request):
        return self._render(request, _version_for(request))

    def post(self, request):
        user = request.user
        if not permissions.may_change_matrix(user, user.organisation_id):
            raise PermissionDenied(_("You are not allowed to do this."))
        form = MatrixForm(request.POST)
        if form.is_valid():
            try:
                version = services.risk_matrix_version_save(
                    actor=user, organisation=user.organisation, content=form.content(), note=form.cleaned_data["note"]
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field, error)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Matrix version %(number)s was saved.") % {"number": version.number})
                return redirect("risks:matrix")
        return self._render(request, services.risk_matrix_current(organisation=user.organisation), form, status=400)
