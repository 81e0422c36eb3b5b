"""Web pages for changes: the list and a change's page (risk with how it was computed, affected services and
items with the services they impact, approval steps with each rule in words and each vote, calendar conflicts,
incidents caused, the review and the timeline), and the forms and actions of the people who work on it.

Views only parse input and call changes.services; what anyone may see comes from changes.selectors (404 for what
a reader may not see). Pages are for client and vendor staff; requesters see no change.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from oversight.catalog.selectors import service_list
from oversight.changes import calendar_grid, display, permissions, selectors, services
from oversight.changes.calendar_check import window_occurrences
from oversight.changes.choices import (
    CabDecision,
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
    CabDecisionForm,
    CabMeetingForm,
    CalendarFilterForm,
    ChangeDetailsForm,
    ChangeRequestForm,
    ExceptionForm,
    LinkForm,
    PolicyForm,
    ReviewForm,
    RiskForm,
    TemplateEditForm,
    TemplateForm,
    VoteForm,
    WindowForm,
)
from oversight.changes.services import EDITABLE_FIELDS
from oversight.configuration.selectors import ci_list, services_impacted
from oversight.contracts.selectors import contract_list
from oversight.core import clock
from oversight.core.errors import ApplicationError, Conflict, NotAllowed
from oversight.core.listing import sort_list
from oversight.core.views import RoleRequiredMixin, paginate, show_error
from oversight.tenancy.roles import (
    ADMINISTRATORS,
    CLIENT_OPERATORS,
    CLIENT_ROLES,
    STAFF_ROLES,
    VENDOR_ROLES,
    is_client_operator,
)
from oversight.tenancy.selectors import site_list

#: The weekday headers of the calendar grid, Monday first.
WEEKDAYS = (_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun"))
#: The types of change that have approval steps.
POLICY_TYPES = (ChangeType.NORMAL, ChangeType.EMERGENCY)
#: The template fields its edit form shows as they are stored.
TEMPLATE_FORM_FIELDS = (
    "name",
    "description",
    "implementation_plan",
    "backout_plan",
    "test_plan",
    "expected_outage_minutes",
)

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


# ---------------------------------------------------------------------------------------------- forms and actions

WRITERS = CLIENT_OPERATORS | VENDOR_ROLES


def _version(request) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


def _refused(exc: ApplicationError):
    """A refusal of the rights (not of the input) is a 403, whatever page it came from."""
    if isinstance(exc, NotAllowed):
        raise PermissionDenied(exc.message) from exc


def _form_error(form, exc: ApplicationError) -> None:
    """A service's refusal as a form error; a stale version says so (the page answers 409) and keeps what was
    typed, so nothing is lost."""
    _refused(exc)
    form.add_error(None, exc.message)
    form.stale = isinstance(exc, Conflict)


def _status(form) -> int:
    return 409 if getattr(form, "stale", False) else 400


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
                _form_error(form, exc)
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
                    actor=request.user, change=change, expected_version=_version(request), **form.details()
                )
            except ApplicationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("The change was saved."))
                return redirect(change)
        return self.render_form(request, change, form, status=_status(form))


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
                    actor=request.user, change=change, answers=form.answers(), expected_version=_version(request)
                )
            except ApplicationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("The risk was assessed."))
                return redirect(change)
        return render(request, self.template_name, {"change": change, "form": form}, status=_status(form))


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
                expected_version=_version(request),
                note=request.POST.get("note", "")[:2000],
            )
        except ApplicationError as exc:
            _refused(exc)
            show_error(request, exc)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": ChangeAction(action).label})
        return redirect(change)


class ChangeVoteView(RoleRequiredMixin, View):
    """`/changes/<number>/vote/` (POST `approve`, `comment`): the reader's vote on the open approval step (as
    approver, or as the substitute once asked). Approvers are the client's staff."""

    allowed_roles = CLIENT_ROLES

    def post(self, request, number):
        change = selectors.change_get(user=request.user, number=number)
        request_ = selectors.vote_request_for(user=request.user, change=change)
        if request_ is None:
            raise PermissionDenied(_("You are not asked to vote on this change."))
        form = VoteForm(request.POST)
        if not form.is_valid():
            return change_page(request, change, status=400, forms={"vote": form})
        try:
            services.approval_vote(
                actor=request.user,
                request=request_,
                approve=form.cleaned_data["approve"],
                comment=form.cleaned_data["comment"],
            )
        except ApplicationError as exc:
            _form_error(form, exc)
            return change_page(request, change, status=400, forms={"vote": form})
        messages.success(request, _("Your vote was recorded."))
        return redirect(change)


class ChangeExceptionView(RoleRequiredMixin, View):
    """`/changes/<number>/exception/` (POST `note`, `version`): approve the change's window in a soft blackout."""

    allowed_roles = CLIENT_OPERATORS

    def post(self, request, number):
        change = selectors.change_get(user=request.user, number=number)
        form = ExceptionForm(request.POST)
        if not form.is_valid():
            return change_page(request, change, status=400, forms={"exception": form})
        try:
            services.change_approve_exception(
                actor=request.user, change=change, note=form.cleaned_data["note"], expected_version=_version(request)
            )
        except ApplicationError as exc:
            _form_error(form, exc)
            return change_page(request, change, status=_status(form), forms={"exception": form})
        messages.success(request, _("The exception was approved."))
        return redirect(change)


class ChangeReviewView(RoleRequiredMixin, View):
    """`/changes/<number>/review/` (POST `outcome`, `notes`, `version`): record the post-implementation review."""

    allowed_roles = CLIENT_OPERATORS

    def post(self, request, number):
        change = selectors.change_get(user=request.user, number=number)
        form = ReviewForm(request.POST)
        if form.is_valid():
            try:
                services.change_review(
                    actor=request.user,
                    change=change,
                    outcome=form.cleaned_data["outcome"],
                    notes=form.cleaned_data["notes"],
                    expected_version=_version(request),
                )
            except ApplicationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("The review was recorded."))
                return redirect(change)
        return change_page(request, change, status=_status(form), forms={"review": form})


class ChangeLinkView(RoleRequiredMixin, View):
    """`/changes/<number>/link/` (POST `numbers`): record incidents caused by the change."""

    allowed_roles = CLIENT_OPERATORS

    def post(self, request, number):
        change = selectors.change_get(user=request.user, number=number)
        form = LinkForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                made = services.change_link_incidents(
                    actor=request.user, change=change, work_orders=form.cleaned_data["numbers"]
                )
            except ApplicationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("%(count)s incident(s) linked.") % {"count": len(made)})
                return redirect(change)
        return change_page(request, change, status=400, forms={"link": form})


class ChangeUnlinkView(RoleRequiredMixin, View):
    """`/changes/<number>/unlink/` (POST `work_order`): remove an incident wrongly attributed to the change."""

    allowed_roles = CLIENT_OPERATORS

    def post(self, request, number):
        change = selectors.change_get(user=request.user, number=number)
        raw = str(request.POST.get("work_order", ""))
        link = None
        if raw.isdigit() and len(raw) < 19:
            link = selectors.change_incidents(user=request.user, change=change).filter(work_order_id=raw).first()
        if link is None:
            messages.error(request, _("This incident is not linked to the change."))
            return redirect(change)
        try:
            services.change_unlink_incident(actor=request.user, change=change, work_order=link.work_order)
        except ApplicationError as exc:
            _refused(exc)
            show_error(request, exc)
        else:
            messages.success(request, _("Incident %(number)s unlinked.") % {"number": link.work_order.number})
        return redirect(change)


# ---------------------------------------------------------------------------------------------- CAB


class ListAddView(RoleRequiredMixin, View):
    """A list page with, beside it, the form to add one more (GET lists; POST adds through a service, whose
    refusals become form errors; a role that may read but not add gets 403 on POST)."""

    template_name = ""
    form_class = None
    done_message = ""

    def may_add(self, user) -> bool:
        raise NotImplementedError

    def make_form(self, user, data=None):
        return self.form_class(data, user=user) if data is not None else self.form_class(user=user)

    def list_context(self, request) -> dict:
        raise NotImplementedError

    def add(self, user, data):
        """Call the service with the cleaned data; return where to go next."""
        raise NotImplementedError

    def render_page(self, request, form=None, status=200):
        user = request.user
        may_add = self.may_add(user)
        context = {**self.list_context(request), "may_add": may_add}
        context["form"] = form or (self.make_form(user) if may_add else None)
        return render(request, self.template_name, context, status=status)

    def get(self, request):
        return self.render_page(request)

    def post(self, request):
        if not self.may_add(request.user):
            raise PermissionDenied(_("You are not allowed to do this."))
        form = self.make_form(request.user, request.POST)
        if form.is_valid():
            try:
                target = self.add(request.user, form.cleaned_data)
            except ApplicationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, self.done_message)
                return redirect(target)
        return self.render_page(request, form, status=400)


class CabListView(ListAddView):
    """`/changes/cab/`: CAB meetings (the client's side) and, for its operators, the form to plan one whose agenda
    is every change awaiting authorisation."""

    allowed_roles = CLIENT_ROLES
    template_name = "changes/cab_list.html"
    form_class = CabMeetingForm
    done_message = _("The CAB meeting was planned.")

    def may_add(self, user) -> bool:
        return is_client_operator(user, user.organisation_id)

    def list_context(self, request) -> dict:
        user = request.user
        return {
            "page": paginate(selectors.cab_list(user=user), request),
            "awaiting": list(selectors.changes_awaiting_authorisation(user=user)[:50]),
        }

    def add(self, user, data):
        return services.cab_meeting_create(actor=user, **data)


class CabDetailView(RoleRequiredMixin, View):
    """`/changes/cab/<pk>/`: a meeting with its agenda and the decision on each change; operators decide (POST
    `item`, `decision`, `note`)."""

    allowed_roles = CLIENT_ROLES
    template_name = "changes/cab_detail.html"

    def render_page(self, request, meeting, errors=None, status=200):
        user = request.user
        context = {
            "meeting": meeting,
            "agenda": list(selectors.cab_items(user=user, meeting=meeting)),
            "may_decide": is_client_operator(user, meeting.organisation_id),
            "decisions": CabDecision.choices,
            "errors": errors or {},
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, pk):
        return self.render_page(request, selectors.cab_get(user=request.user, pk=pk))

    def post(self, request, pk):
        meeting = selectors.cab_get(user=request.user, pk=pk)
        if not is_client_operator(request.user, meeting.organisation_id):
            raise PermissionDenied(_("You are not allowed to do this."))
        raw = str(request.POST.get("item", ""))
        item = selectors.cab_item_get(
            user=request.user, meeting=meeting, pk=raw if raw.isdigit() and len(raw) < 19 else 0
        )
        form = CabDecisionForm(request.POST)
        if form.is_valid():
            try:
                services.cab_decide(actor=request.user, item=item, **form.cleaned_data)
            except ApplicationError as exc:
                _form_error(form, exc)
            else:
                messages.success(
                    request, _("The CAB's decision on %(number)s was recorded.") % {"number": item.change.number}
                )
                return redirect(meeting)
        errors = {item.pk: [e for errs in form.errors.values() for e in errs]}
        return self.render_page(request, meeting, errors=errors, status=400)


# ---------------------------------------------------------------------------------------------- templates, policies


class TemplateListView(ListAddView):
    """`/changes/templates/`: the catalogue of standard changes; its operators add templates."""

    allowed_roles = STAFF_ROLES
    template_name = "changes/template_list.html"
    form_class = TemplateForm
    done_message = _("The template was added to the catalogue.")

    def may_add(self, user) -> bool:
        return permissions.may_manage_templates(user)

    def list_context(self, request) -> dict:
        user = request.user
        return {
            "templates": list(selectors.template_list(user=user).order_by("-active", "name", "pk")),
            "may_manage": self.may_add(user),
            "may_request": user.role in WRITERS,
        }

    def add(self, user, data):
        services.change_template_create(actor=user, **data)
        return "changes:templates"


class TemplateEditView(RoleRequiredMixin, View):
    """`/changes/templates/<pk>/`: change a standard change template or retire it (the client's operators)."""

    allowed_roles = CLIENT_OPERATORS
    template_name = "changes/template_form.html"

    def get(self, request, pk):
        template = selectors.template_get(user=request.user, pk=pk)
        initial = {name: getattr(template, name) for name in TEMPLATE_FORM_FIELDS}
        initial |= {"service": template.service_id, "vendor": template.vendor_id, "active": template.active}
        form = TemplateEditForm(user=request.user, initial=initial)
        return render(request, self.template_name, {"template": template, "form": form})

    def post(self, request, pk):
        template = selectors.template_get(user=request.user, pk=pk)
        form = TemplateEditForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.change_template_update(actor=request.user, template=template, **form.cleaned_data)
            except ApplicationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("The template was saved."))
                return redirect("changes:templates")
        return render(request, self.template_name, {"template": template, "form": form}, status=400)


class PolicyView(RoleRequiredMixin, View):
    """`/changes/policy/<normal|emergency>/`: the approval steps of a type of change (the client administrator):
    each step's rule, approvers with their substitutes, and its deadline in business hours."""

    allowed_roles = ADMINISTRATORS
    template_name = "changes/policy.html"

    def render_page(self, request, change_type, form, status=200):
        steps = selectors.policy_steps(user=request.user, change_type=change_type)
        context = {
            "change_type": ChangeType(change_type),
            "types": [(t, ChangeType(t).label) for t in POLICY_TYPES],
            "steps": [
                {
                    "step": s,
                    "rule": display.rule_in_words(s.rule, s.quorum, s.percent),
                    "members": list(s.members.all()),
                }
                for s in steps
            ],
            "form": form or PolicyForm(user=request.user, policy_steps=steps),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, change_type):
        return self.render_page(request, change_type, None)

    def post(self, request, change_type):
        form = PolicyForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.approval_policy_set(actor=request.user, change_type=change_type, steps=form.steps())
            except ApplicationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("The approval steps were saved."))
                return redirect("changes:policy", change_type=change_type)
        return self.render_page(request, change_type, form, status=400)


# ---------------------------------------------------------------------------------------------- the change calendar


def _applies(scope, *, service, vendor, site) -> bool:
    """Whether a window's scope concerns the chosen service, vendor or site (one naming nothing concerns all)."""
    if scope.is_everything:
        return True
    return not (
        (service is not None and service.pk not in scope.services)
        or (vendor is not None and vendor.pk not in scope.vendors)
        or (site is not None and site.pk not in scope.sites)
    )


class CalendarView(RoleRequiredMixin, View):
    """`/changes/calendar/`: the month (or week) of scheduled changes, blackout and maintenance windows (recurring
    ones expanded), for a service, vendor or site; a server-rendered grid that a phone reads as a list of days."""

    allowed_roles = STAFF_ROLES
    template_name = "changes/calendar.html"

    def get(self, request):
        user = request.user
        form = CalendarFilterForm(request.GET or None, user=user)
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        view = data.get("view") or "month"
        tz = timezone.get_current_timezone()
        day = data.get("day") or timezone.localtime(clock.now()).date()
        day = min(max(day, dt.date(1971, 1, 1)), dt.date(9998, 12, 1))  # the grid stays inside the calendar's years
        span = calendar_grid.week_span(day) if view == "week" else calendar_grid.month_span(day)
        since, until = span.bounds(tz)
        service, vendor, site = data.get("service"), data.get("vendor"), data.get("site")
        changes = selectors.changes_on_calendar(user=user, since=since, until=until)
        if service is not None:
            changes = changes.filter(services=service)
        if vendor is not None:
            changes = changes.filter(implementer=vendor)
        if site is not None:
            changes = changes.filter(sites=site)
        entries = [(c.planned_start, c.planned_end, {"change": c}) for c in changes.distinct()]
        visible_windows = selectors.window_list(user=user, active_only=True)
        windows = {w.pk: w for w in visible_windows}
        for occurrence in window_occurrences(user.organisation, since, until, windows=visible_windows):
            if _applies(occurrence.scope, service=service, vendor=vendor, site=site):
                entries.append(
                    (
                        occurrence.start,
                        occurrence.end,
                        {"window": windows[occurrence.window_id], "occurrence": occurrence},
                    )
                )
        days = calendar_grid.place(span, entries, tz)
        keep = {k: v for k, v in request.GET.items() if k in ("service", "vendor", "site") and v}
        context = {
            "form": form,
            "view": view,
            "span": span,
            "days": days,
            "nothing": not any(d.entries for d in days),
            "weekdays": WEEKDAYS,
            "previous": {
                **keep,
                "view": view,
                "day": calendar_grid.shift(span.first if view == "week" else day, view, -1).isoformat(),
            },
            "next": {
                **keep,
                "view": view,
                "day": calendar_grid.shift(span.first if view == "week" else day, view, 1).isoformat(),
            },
            "title_day": day,
            # The feed's address holds the reader's own key: the page links to where the key is made and shown.
            "ics_url": reverse("changes:feed_key"),
            "may_manage_windows": permissions.may_manage_templates(user),
        }
        return render(request, self.template_name, context)


class WindowListView(ListAddView):
    """`/changes/calendar/windows/`: the calendar's blackout and maintenance windows; its administrator adds
    one."""

    allowed_roles = STAFF_ROLES
    template_name = "changes/window_list.html"
    form_class = WindowForm
    done_message = _("The window was added to the change calendar.")

    def may_add(self, user) -> bool:
        return user.role in ADMINISTRATORS

    def list_context(self, request) -> dict:
        windows = selectors.window_list(user=request.user).prefetch_related("services", "vendors", "sites")
        return {"windows": list(windows.order_by("-active", "start", "pk")), "may_manage": self.may_add(request.user)}

    def add(self, user, data):
        services.window_create(actor=user, **data)
        return "changes:windows"


class WindowDeactivateView(RoleRequiredMixin, View):
    """`/changes/calendar/windows/<pk>/deactivate/` (POST): take a window off the calendar (kept for the record)."""

    allowed_roles = ADMINISTRATORS

    def post(self, request, pk):
        window = selectors.window_get(user=request.user, pk=pk)
        try:
            services.window_deactivate(actor=request.user, window=window)
        except ApplicationError as exc:
            _refused(exc)
            show_error(request, exc)
        else:
            messages.success(request, _("The window was taken off the calendar."))
        return redirect("changes:windows")
