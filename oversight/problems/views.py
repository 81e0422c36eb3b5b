"""Web pages for problems: the list, a problem with its analysis, linked incidents and timeline, the forms and
actions of the client's operators (and the attributed vendor manager's analysis), known errors, suggestions and
the organisation's suggestion settings.

Views only parse input and call problems.services; what anyone may see comes from problems.selectors (404 for
what a reader may not see). Pages are for client and vendor staff; requesters see no problem.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from oversight.changes.selectors import change_list
from oversight.configuration.selectors import ci_list
from oversight.core.errors import ApplicationError
from oversight.core.listing import sort_list
from oversight.core.views import RoleRequiredMixin, paginate, show_error
from oversight.problems import permissions, selectors, services
from oversight.problems.choices import (
    PROBLEM_ACTIONS_NEEDING_NOTE,
    PROBLEM_MACHINE,
    FishboneCategory,
    ProblemAction,
    ProblemEventKind,
    ProblemStatus,
)
from oversight.problems.filters import KnownErrorFilter, ProblemFilter
from oversight.problems.forms import AnalysisForm, KnownErrorForm, LinkForm, ProblemForm, SettingsForm
from oversight.tenancy.choices import Role
from oversight.tenancy.roles import ADMINISTRATORS, CLIENT_OPERATORS, CLIENT_ROLES, STAFF_ROLES
from oversight.tickets import selectors as tickets_selectors
from oversight.tickets.choices import OPEN_STATUSES
from oversight.tickets.views.display import with_live_sla

# The problem list's column headers sort by these keys (core.listing.sort_list).
PROBLEM_SORT_KEYS = {
    "number": ("number",),
    "title": ("title",),
    "status": ("status",),
    "priority": ("priority",),
    "service": ("service__name",),
    "vendor": ("vendor__name",),
    "incidents": ("incident_count",),
    "created": ("created_at",),
}
ANALYSTS = CLIENT_OPERATORS | {Role.VENDOR_MANAGER}


class ProblemListView(RoleRequiredMixin, TemplateView):
    """`/problems/`: the problems the user may see, filtered by text, status, priority, service or vendor."""

    allowed_roles = STAFF_ROLES
    template_name = "problems/problem_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        base = selectors.problem_list_annotated(user=user)
        filterset = ProblemFilter(self.request.GET or None, queryset=base, user=user)
        qs = filterset.qs if filterset.is_bound and filterset.is_valid() else base
        qs, sorting = sort_list(qs, self.request, keys=PROBLEM_SORT_KEYS, default=("-created_at", "-pk"))
        context.update(
            {
                "filter": filterset,
                "sorting": sorting,
                "page": paginate(qs, self.request),
                "may_create": permissions.may_create(user),
                "may_decide": permissions.may_decide_suggestions(user),
                "may_settle": permissions.may_change_settings(user),
            }
        )
        return context


def _event_rows(problem) -> list[dict]:
    """Each timeline step with a readable headline and its lines (no codes)."""
    rows = []
    for event in selectors.problem_events(problem=problem):
        headline = ProblemEventKind(event.kind).label if event.kind in ProblemEventKind.values else event.kind
        lines = []
        data = event.data or {}
        if event.kind == ProblemEventKind.STATUS_CHANGED and event.to_status in ProblemStatus.values:
            headline = _("Status: %(status)s") % {"status": ProblemStatus(event.to_status).label}
        elif event.kind in (ProblemEventKind.LINKED, ProblemEventKind.UNLINKED) and data.get("number"):
            lines.append(data["number"])
        elif event.kind == ProblemEventKind.COMMUNICATED:
            lines.append(", ".join(data.get("work_orders", [])))
        if event.body:
            lines.append(event.body)
        rows.append({"event": event, "headline": headline, "lines": lines})
    return rows


def problem_page(request, problem, *, status: int = 200, forms: dict | None = None):
    """Render a problem: details, analysis (5 whys, fishbone), linked incidents with their SLA state, known
    error, timeline and the actions this reader may take."""
    user = request.user
    may_manage = permissions.may_manage(user, problem)
    links = list(selectors.problem_incidents(user=user, problem=problem))
    with_live_sla([link.work_order for link in links])
    forms = forms or {}
    actions = []
    if may_manage:
        forms.setdefault("link", LinkForm(user=user))
        for action in PROBLEM_MACHINE.actions_from(problem.status):
            actions.append(
                {"code": action, "label": ProblemAction(action).label, "note": action in PROBLEM_ACTIONS_NEEDING_NOTE}
            )
    fishbone = [(label, problem.fishbone.get(code, [])) for code, label in FishboneCategory.choices if problem.fishbone]
    context = {
        "problem": problem,
        "configuration_items": list(ci_list(user=user).filter(problems=problem).order_by("name")),
        "caused_by_change": change_list(user=user).filter(pk=problem.caused_by_change_id).first(),
        "links": links,
        "events": _event_rows(problem),
        "known_error": selectors.known_error_list(user=user).filter(problem=problem).first(),
        "fishbone": [(label, causes) for label, causes in fishbone if causes],
        "may_manage": may_manage,
        "may_analyse": permissions.may_analyse(user, problem),
        "actions": actions,
        "forms": forms,
        "has_open_links": any(link.work_order.status in OPEN_STATUSES for link in links),
    }
    return render(request, "problems/problem_detail.html", context, status=status)


class ProblemDetailView(RoleRequiredMixin, View):
    """`/problems/<pk>/`: one problem."""

    allowed_roles = STAFF_ROLES

    def get(self, request, pk):
        return problem_page(request, selectors.problem_get_by_pk(user=request.user, pk=pk))


def _incidents_from_ids(user, raw_ids) -> list:
    """The visible incidents among posted work-order ids (invisible or malformed ones are ignored)."""
    ids = [int(i) for i in raw_ids if str(i).isdigit()]
    if not ids:
        return []
    return list(tickets_selectors.work_order_list(user=user).filter(pk__in=ids).order_by("created_at", "pk"))


def prefill_from_incidents(work_orders) -> dict:
    """A new problem's initial values from the selected incidents: their titles and descriptions, and the
    service and vendor they share (left empty when they differ)."""
    if not work_orders:
        return {}
    services_ = {wo.service_id for wo in work_orders}
    vendors = {wo.vendor_id for wo in work_orders}
    lines = []
    for wo in work_orders:
        lines.append(f"{wo.number} {wo.title}")
        if wo.description.strip():
            lines.append(wo.description.strip())
        lines.append("")
    initial = {"title": work_orders[0].title, "description": "\n".join(lines).strip()}
    if len(services_) == 1:
        initial["service"] = next(iter(services_))
    if len(vendors) == 1 and None not in vendors:
        initial["vendor"] = next(iter(vendors))
    return initial


class ProblemCreateView(RoleRequiredMixin, View):
    """`/problems/new/`: open a problem; with `ids` (ticked work orders), prefilled from them and linking them."""

    allowed_roles = CLIENT_OPERATORS
    template_name = "problems/problem_form.html"

    def render_form(self, request, form, incidents, status=200):
        context = {"form": form, "incidents": incidents, "title": _("New problem")}
        return render(request, self.template_name, context, status=status)

    def get(self, request):
        incidents = _incidents_from_ids(request.user, request.GET.getlist("ids"))
        form = ProblemForm(user=request.user, initial=prefill_from_incidents(incidents))
        return self.render_form(request, form, incidents)

    def post(self, request):
        incidents = _incidents_from_ids(request.user, request.POST.getlist("ids"))
        if "title" not in request.POST:
            # Posted from a work-order list's bulk panel: show the prefilled form first.
            form = ProblemForm(user=request.user, initial=prefill_from_incidents(incidents))
            return self.render_form(request, form, incidents)
        form = ProblemForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                problem = services.problem_create(actor=request.user, work_orders=incidents, **form.cleaned_data)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Problem %(number)s was opened.") % {"number": problem.number})
                return redirect(problem)
        return self.render_form(request, form, incidents, status=400)


class ProblemEditView(RoleRequiredMixin, View):
    """`/problems/<pk>/edit/`: change a problem's details."""

    allowed_roles = CLIENT_OPERATORS
    template_name = "problems/problem_form.html"

    def render_form(self, request, problem, form, status=200):
        context = {"form": form, "problem": problem, "title": _("Edit problem")}
        return render(request, self.template_name, context, status=status)

    def get(self, request, pk):
        problem = selectors.problem_get_by_pk(user=request.user, pk=pk)
        initial = {name: getattr(problem, name) for name in ("title", "description", "impact", "urgency")}
        initial |= {
            "service": problem.service_id,
            "owner": problem.owner_id,
            "vendor": problem.vendor_id,
            "contract": problem.contract_id,
            "attribution_note": problem.attribution_note,
            "caused_by_change": problem.caused_by_change_id,
            "configuration_items": list(problem.configuration_items.values_list("pk", flat=True)),
        }
        return self.render_form(request, problem, ProblemForm(user=request.user, initial=initial))

    def post(self, request, pk):
        problem = selectors.problem_get_by_pk(user=request.user, pk=pk)
        form = ProblemForm(request.POST, user=request.user)
        if form.is_valid():
            changes = dict(form.cleaned_data)
            if changes["contract"] is None or changes["contract"].pk != problem.contract_id:
                changes["commitment"] = None
            try:
                services.problem_update(
                    actor=request.user, problem=problem, expected_version=_version(request), **changes
                )
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The problem was saved."))
                return redirect(problem)
        return self.render_form(request, problem, form, status=400)


def _version(request) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


class ProblemAnalysisView(RoleRequiredMixin, View):
    """`/problems/<pk>/analysis/`: the root-cause analysis (client operators, the attributed vendor's manager)."""

    allowed_roles = ANALYSTS
    template_name = "problems/problem_analysis.html"

    def get(self, request, pk):
        problem = selectors.problem_get_by_pk(user=request.user, pk=pk)
        if not permissions.may_analyse(request.user, problem):
            messages.error(request, _("You are not allowed to do this."))
            return redirect(problem)
        return render(request, self.template_name, {"problem": problem, "form": AnalysisForm(problem=problem)})

    def post(self, request, pk):
        problem = selectors.problem_get_by_pk(user=request.user, pk=pk)
        form = AnalysisForm(request.POST)
        if form.is_valid():
            try:
                services.problem_update_analysis(
                    actor=request.user, problem=problem, expected_version=_version(request), **form.analysis()
                )
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The analysis was saved."))
                return redirect(problem)
        return render(request, self.template_name, {"problem": problem, "form": form}, status=400)


class ProblemTransitionView(RoleRequiredMixin, View):
    """`/problems/<pk>/transition/` (POST `action`, `note`, `version`): move the problem along its states."""

    allowed_roles = CLIENT_OPERATORS

    def post(self, request, pk):
        problem = selectors.problem_get_by_pk(user=request.user, pk=pk)
        action = request.POST.get("action", "")
        if action not in ProblemAction.values:
            messages.error(request, _("Choose an action."))
            return redirect(problem)
        try:
            services.problem_transition(
                actor=request.user,
                problem=problem,
                action=action,
                expected_version=_version(request),
                note=request.POST.get("note", ""),
            )
        except ApplicationError as exc:
            show_error(request, exc)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": ProblemAction(action).label})
        return redirect(problem)


class ProblemLinkView(RoleRequiredMixin, View):
    """`/problems/<pk>/link/` (POST `numbers`): link incidents to the problem."""

    allowed_roles = CLIENT_OPERATORS

    def post(self, request, pk):
        problem = selectors.problem_get_by_pk(user=request.user, pk=pk)
        form = LinkForm(request.POST, user=request.user)
        if not form.is_valid():
            return problem_page(request, problem, status=400, forms={"link": form})
        try:
            created = services.problem_link_incidents(
                actor=request.user, problem=problem, work_orders=form.cleaned_data["numbers"]
            )
        except ApplicationError as exc:
            show_error(request, exc)
        else:
            messages.success(request, _("%(count)s incident(s) linked.") % {"count": len(created)})
        return redirect(problem)


class ProblemUnlinkView(RoleRequiredMixin, View):
    """`/problems/<pk>/unlink/` (POST `work_order`): remove one incident's link."""

    allowed_roles = CLIENT_OPERATORS

    def post(self, request, pk):
        problem = selectors.problem_get_by_pk(user=request.user, pk=pk)
        link = selectors.problem_incidents(user=request.user, problem=problem).filter(
            work_order_id=request.POST.get("work_order") if str(request.POST.get("work_order", "")).isdigit() else 0
        )
        found = link.select_related("work_order").first()
        if found is None:
            messages.error(request, _("This incident is not linked to the problem."))
            return redirect(problem)
        try:
            services.problem_unlink_incident(actor=request.user, problem=problem, work_order=found.work_order)
        except ApplicationError as exc:
            show_error(request, exc)
        else:
            messages.success(request, _("Incident %(number)s unlinked.") % {"number": found.work_order.number})
        return redirect(problem)


class ProblemCommunicateView(RoleRequiredMixin, View):
    """`/problems/<pk>/communicate/` (POST `version`): post the workaround to every linked open incident."""

    allowed_roles = CLIENT_OPERATORS

    def post(self, request, pk):
        problem = selectors.problem_get_by_pk(user=request.user, pk=pk)
        try:
            count = services.problem_communicate_workaround(
                actor=request.user, problem=problem, expected_version=_version(request)
            )
        except ApplicationError as exc:
            show_error(request, exc)
        else:
            messages.success(request, _("The workaround was sent to %(count)s open incident(s).") % {"count": count})
        return redirect(problem)


class KnownErrorListView(RoleRequiredMixin, TemplateView):
    """`/problems/known-errors/`: known errors, ranked by `?q=` when a text is given."""

    allowed_roles = STAFF_ROLES
    template_name = "problems/known_error_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        base = selectors.known_error_list(user=user)
        filterset = KnownErrorFilter(self.request.GET or None, queryset=base, user=user)
        qs = filterset.qs if filterset.is_bound and filterset.is_valid() else base
        text = self.request.GET.get("q", "").strip()[:200]
        if text:
            allowed = set(qs.values_list("pk", flat=True))
            rows = [k for k in selectors.known_error_search(user=user, text=text, limit=50) if k.pk in allowed]
            page = None
        else:
            rows = None
            page = paginate(qs.order_by("-created_at", "-pk"), self.request)
        context.update({"filter": filterset, "q": text, "keep": {"q": text}, "rows": rows, "page": page})
        return context


class KnownErrorSuggestView(RoleRequiredMixin, View):
    """`/problems/known-errors/suggest/?title=&description=`: the known errors matching a work order being typed
    (the htmx partial of the work-order form)."""

    allowed_roles = STAFF_ROLES

    def get(self, request):
        text = " ".join(request.GET.get(name, "")[:2000] for name in ("title", "description")).strip()
        matches = selectors.known_error_search(user=request.user, text=text, limit=3)
        return render(request, "problems/partials/known_error_hints.html", {"matches": matches})


class KnownErrorDetailView(RoleRequiredMixin, View):
    """`/problems/known-errors/<pk>/`: one known error."""

    allowed_roles = STAFF_ROLES

    def get(self, request, pk):
        known = selectors.known_error_get(user=request.user, pk=pk)
        may_edit = permissions.may_create(request.user) and request.user.organisation_id == known.organisation_id
        return render(request, "problems/known_error_detail.html", {"known": known, "may_edit": may_edit})


class KnownErrorEditView(RoleRequiredMixin, View):
    """`/problems/known-errors/<pk>/edit/`: change a known error (the client's operators)."""

    allowed_roles = CLIENT_OPERATORS
    template_name = "problems/known_error_form.html"

    def get(self, request, pk):
        known = selectors.known_error_get(user=request.user, pk=pk)
        initial = {name: getattr(known, name) for name in ("title", "symptom", "root_cause", "workaround", "solution")}
        initial |= {"service": known.service_id, "vendor": known.vendor_id, "expires_on": known.expires_on}
        form = KnownErrorForm(user=request.user, initial=initial)
        return render(request, self.template_name, {"known": known, "form": form})

    def post(self, request, pk):
        known = selectors.known_error_get(user=request.user, pk=pk)
        form = KnownErrorForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.known_error_update(actor=request.user, known_error=known, **form.cleaned_data)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The known error was saved."))
                return redirect(known)
        return render(request, self.template_name, {"known": known, "form": form}, status=400)


class SuggestionListView(RoleRequiredMixin, TemplateView):
    """`/problems/suggestions/`: problems suggested by recurring incidents (open first), for the client side."""

    allowed_roles = CLIENT_ROLES
    template_name = "problems/suggestion_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        qs = selectors.suggestion_list(user=user).order_by("-created_at", "-pk")
        status = self.request.GET.get("status", "open")
        if status in ("open", "accepted", "dismissed"):
            qs = qs.filter(status=status)
        page = paginate(qs, self.request)
        visible = tickets_selectors.work_order_list(user=user)
        ids = {i for s in page.items for i in s.work_order_ids}
        by_id = {wo.pk: wo for wo in visible.filter(pk__in=ids)}
        for suggestion in page.items:
            suggestion.incidents = [by_id[i] for i in suggestion.work_order_ids if i in by_id]
        context.update({"page": page, "status": status, "may_decide": permissions.may_decide_suggestions(user)})
        return context


class SuggestionAcceptView(RoleRequiredMixin, View):
    """`/problems/suggestions/<pk>/accept/`: open a problem from a suggestion, linking its incidents."""

    allowed_roles = CLIENT_OPERATORS

    def post(self, request, pk):
        suggestion = selectors.suggestion_get(user=request.user, pk=pk)
        try:
            problem = services.suggestion_accept(actor=request.user, suggestion=suggestion)
        except ApplicationError as exc:
            show_error(request, exc)
            return redirect("problems:suggestions")
        messages.success(request, _("Problem %(number)s was opened.") % {"number": problem.number})
        return redirect(problem)


class SuggestionDismissView(RoleRequiredMixin, View):
    """`/problems/suggestions/<pk>/dismiss/`: the incidents are not one problem."""

    allowed_roles = CLIENT_OPERATORS

    def post(self, request, pk):
        suggestion = selectors.suggestion_get(user=request.user, pk=pk)
        try:
            services.suggestion_dismiss(actor=request.user, suggestion=suggestion)
        except ApplicationError as exc:
            show_error(request, exc)
        else:
            messages.success(request, _("The suggestion was dismissed."))
        return redirect("problems:suggestions")


class ProblemSettingsView(RoleRequiredMixin, View):
    """`/problems/settings/`: the suggestion rule (k, W, calendar), for the client administrator."""

    allowed_roles = ADMINISTRATORS
    template_name = "problems/settings.html"

    def get(self, request):
        found = selectors.settings_for(request.user.organisation)
        initial = {
            "min_incidents": found.min_incidents,
            "window_days": found.window_days,
            "calendar": found.calendar_id,
        }
        return render(request, self.template_name, {"form": SettingsForm(user=request.user, initial=initial)})

    def post(self, request):
        form = SettingsForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.problem_settings_save(
                    actor=request.user, organisation=request.user.organisation, **form.cleaned_data
                )
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The settings were saved."))
                return redirect("problems:settings")
        return render(request, self.template_name, {"form": form}, status=400)
