"""The change list and a change's page (risk with how it was computed, affected services and items with the
services they impact, approval steps with each rule in words and each vote, calendar conflicts, incidents caused,
the review and the timeline), and the forms that request, edit, assess and move a change."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from oversight.catalog.selectors import service_list
from oversight.changes import display, permissions, selectors, services
from oversight.changes.choices import (
    ChangeAction,
    ChangeEventKind,
    ChangeStatus,
    ChangeType,
    RequestStatus,
    ReviewOutcome,
    StepStatus,
)
from oversight.changes.filters import ChangeFilter
from oversight.changes.forms import (
    ChangeDetailsForm,
    ChangeRequestForm,
    ExceptionForm,
    LinkForm,
    ReviewForm,
    RiskForm,
    VoteForm,
)
from oversight.changes.services import EDITABLE_FIELDS
from oversight.changes.views.common import WRITERS, form_error, form_status, posted_version, refuse_if_not_allowed
from oversight.configuration.selectors import ci_list, services_impacted
from oversight.contracts.selectors import contract_list
from oversight.core.errors import ApplicationError
from oversight.core.listing import sort_list
from oversight.core.views import RoleRequiredMixin, paginate, show_error
from oversight.tenancy.roles import STAFF_ROLES
from oversight.tenancy.selectors import site_list

#: Statuses of a change that was implemented (or is being): incidents it caused may be linked.
LINKABLE_STATUSES = frozenset({ChangeStatus.IMPLEMENTING, ChangeStatus.REVIEW, ChangeStatus.CLOSED})


# The change list's column headers sort by these keys (core.listing.sort_list).
CHANGE_SORT_KEYS = {
    "number": ("number",),
    "title": ("title",),
    "type": ("type",),
    "status": ("status",),
    "risk": ("risk_level",),
    "vendor": ("implementer__name",),
    "planned": ("planned_start",),
    "created": ("created_at",),
}


class ChangeListView(RoleRequiredMixin, TemplateView):
    """`/changes/`: the changes the user may see, filtered and sorted."""

    allowed_roles = STAFF_ROLES
    template_name = "changes/change_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        base = selectors.change_list(user=user)
        filterset = ChangeFilter(self.request.GET or None, queryset=base, user=user)
        qs = filterset.qs if filterset.is_bound and filterset.is_valid() else base
        qs, sorting = sort_list(qs, self.request, keys=CHANGE_SORT_KEYS, default=("-created_at", "-pk"))
        context.update(
            {
                "filter": filterset,
                "sorting": sorting,
                "page": paginate(qs, self.request),
                "may_request": permissions.may_request(user, getattr(user, "vendor", None)),
            }
        )
        return context


def _status_label(value: str) -> str:
    return str(ChangeStatus(value).label) if value in ChangeStatus.values else value


def _event_rows(change) -> list[dict]:
    """Each timeline step with a readable headline and its lines (no codes)."""
    rows = []
    for event in selectors.change_events(change=change):
        headline = ChangeEventKind(event.kind).label if event.kind in ChangeEventKind.values else event.kind
        data = event.data or {}
        lines = []
        if event.kind == ChangeEventKind.STATUS_CHANGED and event.to_status:
            headline = _("Status: %(status)s") % {"status": _status_label(event.to_status)}
        elif event.kind == ChangeEventKind.VOTED and data.get("step"):
            vote = data.get("vote")
            vote_label = RequestStatus(vote).label if vote in RequestStatus.values else vote
            lines.append(_("%(step)s: %(vote)s") % {"step": data["step"], "vote": vote_label})
        elif event.kind == ChangeEventKind.APPROVAL and data.get("step"):
            outcome = data.get("outcome")
            outcome_label = StepStatus(outcome).label if outcome in StepStatus.values else outcome
            lines.append(_("%(step)s: %(vote)s") % {"step": data["step"], "vote": outcome_label})
        elif event.kind == ChangeEventKind.REVIEWED and data.get("outcome") in ReviewOutcome.values:
            lines.append(ReviewOutcome(data["outcome"]).label)
        if event.body:
            lines.append(event.body)
        rows.append({"event": event, "headline": headline, "lines": lines})
    return rows


def _step_rows(steps) -> list[dict]:
    """Each approval step with its rule in words, the approvals it needs and its requests."""
    rows = []
    for step in steps:
        requests = list(step.requests.all())
        places = sum(1 for r in requests if r.status != RequestStatus.WITHDRAWN) or len(requests)
        counts = {status: sum(1 for r in requests if r.status == status) for status in RequestStatus.values}
        rows.append(
            {
                "step": step,
                "rule": display.rule_in_words(step.rule, step.quorum, step.percent),
                "needed": display.approvals_needed(step, len(requests)),
                "places": places,
                "counts": counts,
                "requests": requests,
            }
        )
    return rows


def _conflicts(user, change) -> list[dict]:
    """The change's stored calendar conflicts in words, naming only what the reader may see."""
    codes = change.conflict_codes or []
    window_ids = {c.get("window") for c in codes if c.get("window")}
    change_ids = {c.get("change") for c in codes if c.get("change")}
    ci_ids = {pk for c in codes for pk in c.get("cis") or ()}
    return display.conflict_lines(
        codes,
        windows={w.pk: w for w in selectors.window_list(user=user).filter(pk__in=window_ids)},
        changes={c.pk: c for c in selectors.change_list(user=user).filter(pk__in=change_ids)},
        cis={ci.pk: ci for ci in ci_list(user=user).filter(pk__in=ci_ids)},
    )


def change_page(request, change, *, status: int = 200, forms: dict | None = None):
    """Render a change with everything a reader may see of it and the actions this reader may take."""
    user = request.user
    may_manage = permissions.may_manage(user, change)
    vote_request = selectors.vote_request_for(user=user, change=change)
    forms = forms or {}
    if vote_request is not None:
        forms.setdefault("vote", VoteForm())
    if may_manage:
        forms.setdefault("review", ReviewForm(initial={"outcome": change.outcome, "notes": change.review_notes}))
        forms.setdefault("link", LinkForm(user=user))
        forms.setdefault("exception", ExceptionForm())
    steps = selectors.change_steps(change=change)
    steps_open = any(s.status in (StepStatus.WAITING, StepStatus.OPEN) for s in steps)
    cis = list(selectors.change_cis(user=user, change=change))
    impacted_ids = services_impacted(
        user=user, organisation_id=change.organisation_id, ci_ids=list(change.cis.values_list("pk", flat=True))
    )
    context = {
        "change": change,
        "services": list(service_list(user=user).filter(changes=change).order_by("name")),
        "sites": list(site_list(user=user).filter(pk__in=change.sites.values("pk")).order_by("name")),
        "contract": contract_list(user=user).filter(pk=change.contract_id).first() if change.contract_id else None,
        "cis": cis,
        "impacted_services": list(ci_list(user=user).filter(pk__in=impacted_ids).order_by("name")),
        "risk": display.risk_explained(change),
        "rule_scale": display.RULE_SCALE,
        "questionnaire_scale": display.QUESTIONNAIRE_SCALE,
        "steps": _step_rows(steps),
        "conflicts": _conflicts(user, change),
        "incidents": list(selectors.change_incidents(user=user, change=change)),
        "events": _event_rows(change),
        "actions": display.actions_for(user, change, steps_open=steps_open),
        "may_edit": permissions.may_edit(user, change),
        "may_manage": may_manage,
        "may_review": may_manage and change.status == ChangeStatus.REVIEW,
        "may_link": may_manage and change.status in LINKABLE_STATUSES,
        "may_except": may_manage
        and not change.is_final
        and change.planned_start is not None
        and change.exception_approved_at is None,
        "vote_request": vote_request,
        "forms": forms,
    }
    return render(request, "changes/change_detail.html", context, status=status)


class ChangeDetailView(RoleRequiredMixin, View):
    """`/changes/<number>/`: one change."""

    allowed_roles = STAFF_ROLES

    def get(self, request, number):
        return change_page(request, selectors.change_get(user=request.user, number=number))


def _initial_details(change) -> dict:
    initial = {name: getattr(change, name) for name in EDITABLE_FIELDS if name not in ("services", "cis", "contract")}
    initial |= {
        "contract": change.contract_id,
        "services": list(change.services.values_list("pk", flat=True)),
        "cis": list(change.cis.values_list("pk", flat=True)),
    }
    return initial


class ChangeCreateView(RoleRequiredMixin, View):
    """`/changes/new/` (`?template=<pk>` for a standard change from the catalogue): request a change."""

    allowed_roles = WRITERS
    template_name = "changes/change_form.html"

    def render_form(self, request, form, status=200):
        return render(request, self.template_name, {"form": form, "title": _("Request a change")}, status=status)

    def get(self, request):
        initial = {}
        raw = request.GET.get("template", "")
        if raw.isdigit() and len(raw) < 19:
            template = selectors.template_list(user=request.user, active_only=True).filter(pk=raw).first()
            if template is not None:
                initial = {
                    "type": ChangeType.STANDARD,
                    "template": template.pk,
                    "title": template.name,
                    "description": template.description,
                    "implementation_plan": template.implementation_plan,
                    "backout_plan": template.backout_plan,
                    "test_plan": template.test_plan,
                    "expected_outage_minutes": template.expected_outage_minutes,
                    "services": [template.service_id] if template.service_id else [],
                }
                if template.vendor_id:
                    initial["implementer"] = template.vendor_id
        return self.render_form(request, ChangeRequestForm(user=request.user, initial=initial))

    def post(self, request):
        form = ChangeRequestForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.details()
            try:
                change = services.change_create(actor=request.user, **data)
            except ApplicationError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Change %(number)s was requested.") % {"number": change.number})
                return redirect(change)
        return self.render_form(request, form, status=400)


class ChangeObjectView(RoleRequiredMixin, View):
    """A page or action on one visible change (404 for a change the reader may not see)."""

    allowed_roles = WRITERS

    def change(self, request, number):
        return selectors.change_get(user=request.user, number=number)


class ChangeEditView(ChangeObjectView):
    """`/changes/<number>/edit/`: change the details (the client's operators; the implementer until authorised)."""

    template_name = "changes/change_form.html"

    def render_form(self, request, change, form, status=200):
        context = {"form": form, "change": change, "title": _("Edit change")}
        return render(request, self.template_name, context, status=status)

    def get(self, request, number):
        change = self.change(request, number)
        if not permissions.may_edit(request.user, change):
            raise PermissionDenied(_("You are not allowed to do this."))
        form = ChangeDetailsForm(user=request.user, initial=_initial_details(change))
        return self.render_form(request, change, form)

    def post(self, request, number):
        change = self.change(request, number)
        form = ChangeDetailsForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.change_update(
                    actor=request.user, change=change, expected_version=posted_version(request), **form.details()
                )
            except ApplicationError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("The change was saved."))
                return redirect(change)
        return self.render_form(request, change, form, status=form_status(form))


class ChangeRiskView(ChangeObjectView):
    """`/changes/<number>/risk/`: answer the risk questionnaire (whoever may edit the change)."""

    template_name = "changes/change_risk.html"

    def get(self, request, number):
        change = self.change(request, number)
        if not permissions.may_edit(request.user, change):
            raise PermissionDenied(_("You are not allowed to do this."))
        return render(request, self.template_name, {"change": change, "form": RiskForm(change=change)})

    def post(self, request, number):
        change = self.change(request, number)
        form = RiskForm(request.POST)
        if form.is_valid():
            try:
                services.change_assess_risk(
                    actor=request.user, change=change, answers=form.answers(), expected_version=posted_version(request)
                )
            except ApplicationError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("The risk was assessed."))
                return redirect(change)
        return render(request, self.template_name, {"change": change, "form": form}, status=form_status(form))


class ChangeTransitionView(ChangeObjectView):
    """`/changes/<number>/transition/` (POST `action`, `note`, `version`): move the change along its states."""

    def post(self, request, number):
        change = self.change(request, number)
        action = request.POST.get("action", "")
        if action not in ChangeAction.values:
            messages.error(request, _("Choose an action."))
            return redirect(change)
        try:
            services.change_transition(
                actor=request.user,
                change=change,
                action=action,
                expected_version=posted_version(request),
                note=request.POST.get("note", "")[:2000],
            )
        except ApplicationError as exc:
            refuse_if_not_allowed(exc)
            show_error(request, exc)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": ChangeAction(action).label})
        return redirect(change)
