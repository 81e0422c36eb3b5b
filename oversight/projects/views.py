"""Web pages for projects: the list with SPI/CPI traffic lights, a project with every figure and how it is
computed, the S-curve, the trend, the work breakdown, milestones, baselines, progress, cost and settlement lines,
and the forms of the client's operators, the vendor owner and the client supervisor.

Views only parse input and call projects.services; what anyone may see comes from projects.selectors (404 for
what a reader may not see). Pages are for client and vendor staff; requesters see no project.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from oversight.core.bilingual import pick_name
from oversight.core.errors import ApplicationError
from oversight.core.views import RoleRequiredMixin, paginate, save_form, show_error
from oversight.core.zones import local_today
from oversight.projects import charts, evaluation, permissions, selectors, services
from oversight.projects.choices import PROJECT_MACHINE, BaselineAction, BaselineStatus, ProjectAction
from oversight.projects.forms import (
    BaselineRequestForm,
    CostEntryForm,
    MilestoneForm,
    ProjectForm,
    SettlementLinkForm,
    WorkPackageForm,
    progress_form_fields,
)
from oversight.projects.presentation import figure_rows
from oversight.tenancy.choices import Role
from oversight.tenancy.roles import CLIENT_OPERATORS, STAFF_ROLES


class ProjectListView(RoleRequiredMixin, TemplateView):
    """`/projects/`: the projects the user may see with their latest SPI/CPI lights."""

    allowed_roles = STAFF_ROLES
    template_name = "projects/project_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["page"] = paginate(selectors.project_list(user=user), self.request)
        context["may_create"] = permissions.may_create(user)
        return context


class ProjectCreateView(RoleRequiredMixin, View):
    """`/projects/new/`: open a project in planning."""

    allowed_roles = CLIENT_OPERATORS
    template_name = "projects/project_form.html"

    def get(self, request):
        return render(request, self.template_name, {"form": ProjectForm(user=request.user)})

    def post(self, request):
        form = ProjectForm(request.POST, user=request.user)

        def save(data):
            data = {k: v for k, v in data.items() if v not in (None, "")}
            return services.project_create(actor=request.user, **data)

        return save_form(
            request, form, save, message=_("Project created."), template_name=self.template_name, context={}
        )


def _status_date(request, project) -> dt.date | None:
    """The status date to show: `?date=` when it is a valid date, else the project's status date."""
    raw = request.GET.get("date", "")
    try:
        return dt.date.fromisoformat(raw) if raw else project.status_date
    except ValueError:
        return project.status_date


def project_page(request, project, *, status: int = 200, forms: dict | None = None):
    """Render a project with its figures at the status date, charts, plan, baselines, progress and cost."""
    user = request.user
    forms = forms or {}
    packages = selectors.work_packages(user=user, project=project).order_by("code")
    milestones = list(selectors.milestones(user=user, project=project))
    snapshots = list(selectors.snapshots(user=user, project=project))
    may_manage = permissions.may_manage(user, project)
    may_report = permissions.may_report_progress(user, project)
    result = None
    error = None
    day = _status_date(request, project)
    try:
        baseline = evaluation.current_baseline(project)
        if baseline is not None and day is not None:
            result = evaluation.evaluate(project, day, baseline=baseline)
    except ApplicationError as exc:
        error = exc.message
    if may_manage:
        forms.setdefault("work_package", WorkPackageForm(packages=packages))
        forms.setdefault("milestone", MilestoneForm(packages=packages))
        forms.setdefault("cost", CostEntryForm(packages=packages))
        forms.setdefault("link", SettlementLinkForm(lines=services.attributable_lines(project)))
    if permissions.may_request_baseline(user, project):
        forms.setdefault("baseline", BaselineRequestForm())
    deliverables = []
    current = evaluation.current_baseline(project)
    if current is not None:
        # The baseline's plan keeps both names; the progress form shows the reader's one.
        deliverables = [
            {**p, "label": pick_name(p["name"], p.get("name_en", ""))} for p in evaluation.leaves(current.plan)
        ]
    context = {
        "project": project,
        "result": result,
        "error": error,
        "rows": figure_rows(result, project) if result else [],
        "s_curve": mark_safe(charts.s_curve(result, snapshots)) if result else "",  # noqa: S308 - escaped SVG
        "trend": mark_safe(charts.trend(snapshots)) if len(snapshots) > 1 else "",  # noqa: S308 - escaped SVG
        "fever": (
            mark_safe(charts.fever_chart(snapshots, evaluation.fever_zones_of(project)))  # noqa: S308
            if project.critical_chain and snapshots
            else ""
        ),
        "feeding_fevers": (
            [
                (label, mark_safe(svg))  # noqa: S308 - escaped SVG
                for label, svg in charts.feeding_fever_charts(snapshots, evaluation.fever_zones_of(project))
            ]
            if project.critical_chain
            else []
        ),
        "packages": packages,
        "milestones": milestones,
        "baselines": list(selectors.baselines(user=user, project=project)),
        "records": list(selectors.progress_records(user=user, project=project)[:12]),
        "costs": list(selectors.cost_entries(user=user, project=project)[:50]),
        "links": list(selectors.settlement_links(user=user, project=project)),
        "snapshots": snapshots,
        "deliverables": deliverables,
        "today": local_today(project.organisation),
        "forms": forms,
        "may_manage": may_manage,
        "may_report": may_report and current is not None,
        "may_decide": permissions.may_decide_baseline(user, project),
        "actions": (
            [{"code": a, "label": ProjectAction(a).label} for a in PROJECT_MACHINE.actions_from(project.status)]
            if may_manage
            else []
        ),
        "requested_status": BaselineStatus.REQUESTED,
    }
    return render(request, "projects/project_detail.html", context, status=status)


class ProjectDetailView(RoleRequiredMixin, View):
    """`/projects/<pk>/` (`?date=` another status date): the project page."""

    allowed_roles = STAFF_ROLES

    def get(self, request, pk):
        return project_page(request, selectors.project_get(user=request.user, pk=pk))


def _version(request) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


class ProjectTransitionView(RoleRequiredMixin, View):
    """`/projects/<pk>/transition/` (POST `action`, `version`): start, hold, resume, close out, close."""

    allowed_roles = CLIENT_OPERATORS

    def post(self, request, pk):
        project = selectors.project_get(user=request.user, pk=pk)
        action = request.POST.get("action", "")
        if action not in ProjectAction.values:
            messages.error(request, _("Choose an action."))
            return redirect(project)
        try:
            services.project_transition(
                actor=request.user, project=project, action=action, expected_version=_version(request)
            )
        except ApplicationError as exc:
            show_error(request, exc)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": ProjectAction(action).label})
        return redirect(project)


def _post_form(request, project, form, *, key: str, call, success):
    """A form posted from the project page: valid → the service, else the page again with the form's errors."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            return project_page(request, project, status=exc.status_code, forms={key: form})
        messages.success(request, success)
        return redirect(project)
    return project_page(request, project, status=400, forms={key: form})


class WorkPackageCreateView(RoleRequiredMixin, View):
    """`/projects/<pk>/work-packages/`: add a work package."""

    allowed_roles = CLIENT_OPERATORS

    def post(self, request, pk):
        project = selectors.project_get(user=request.user, pk=pk)
        packages = selectors.work_packages(user=request.user, project=project)
        form = WorkPackageForm(request.POST, packages=packages)

        def call(data):
            services.work_package_create(
                actor=request.user, project=project, **{k: v for k, v in data.items() if v not in (None, "")}
            )

        return _post_form(request, project, form, key="work_package", call=call, success=_("Work package added."))


class MilestoneCreateView(RoleRequiredMixin, View):
    """`/projects/<pk>/milestones/`: add a milestone."""

    allowed_roles = CLIENT_OPERATORS

    def post(self, request, pk):
        project = selectors.project_get(user=request.user, pk=pk)
        packages = selectors.work_packages(user=request.user, project=project)
        form = MilestoneForm(request.POST, packages=packages)

        def call(data):
            services.milestone_create(actor=request.user, project=project, **data)

        return _post_form(request, project, form, key="milestone", call=call, success=_("Milestone added."))


class CostEntryCreateView(RoleRequiredMixin, View):
    """`/projects/<pk>/costs/`: enter an actual cost."""

    allowed_roles = CLIENT_OPERATORS

    def post(self, request, pk):
        project = selectors.project_get(user=request.user, pk=pk)
        packages = selectors.work_packages(user=request.user, project=project)
        form = CostEntryForm(request.POST, packages=packages)

        def call(data):
            services.cost_entry_create(actor=request.user, project=project, **data)

        return _post_form(request, project, form, key="cost", call=call, success=_("Cost entered."))


class SettlementLinkCreateView(RoleRequiredMixin, View):
    """`/projects/<pk>/settlement-lines/`: attribute a share of an approved statement line."""

    allowed_roles = CLIENT_OPERATORS

    def post(self, request, pk):
        project = selectors.project_get(user=request.user, pk=pk)
        form = SettlementLinkForm(request.POST, lines=services.attributable_lines(project))

        def call(data):
            services.settlement_link_create(actor=request.user, project=project, line=data["line"], share=data["share"])

        return _post_form(request, project, form, key="link", call=call, success=_("Settlement line attributed."))


class SettlementLinkDeleteView(RoleRequiredMixin, View):
    """`/projects/settlement-lines/<pk>/delete/`: detach a settlement line from its project."""

    allowed_roles = CLIENT_OPERATORS

    def post(self, request, pk):
        found = selectors.settlement_link_get(user=request.user, pk=pk)
        project = found.project
        try:
            services.settlement_link_delete(actor=request.user, link=found)
        except ApplicationError as exc:
            show_error(request, exc)
        else:
            messages.success(request, _("Settlement line detached."))
        return redirect(project)


class BaselineRequestView(RoleRequiredMixin, View):
    """`/projects/<pk>/baselines/`: ask for a re-baseline (the vendor owner or manager, or a client operator)."""

    allowed_roles = STAFF_ROLES

    def post(self, request, pk):
        project = selectors.project_get(user=request.user, pk=pk)
        form = BaselineRequestForm(request.POST)

        def call(data):
            services.baseline_request(actor=request.user, project=project, reason=data["reason"])

        return _post_form(
            request,
            project,
            form,
            key="baseline",
            call=call,
            success=_("Re-baseline requested: a client supervisor will decide."),
        )


class BaselineDecideView(RoleRequiredMixin, View):
    """`/projects/baselines/<pk>/decide/` (POST `action`, `note`): a client supervisor approves or rejects."""

    allowed_roles = frozenset({Role.CLIENT_SUPERVISOR})

    def post(self, request, pk):
        baseline = selectors.baseline_get(user=request.user, pk=pk)
        action = request.POST.get("action", "")
        if action not in BaselineAction.values:
            messages.error(request, _("Choose an action."))
            return redirect(baseline)
        try:
            services.baseline_decide(
                actor=request.user, baseline=baseline, action=action, note=request.POST.get("note", "")
            )
        except ApplicationError as exc:
            show_error(request, exc)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": BaselineAction(action).label})
        return redirect(baseline)


class ProgressRecordView(RoleRequiredMixin, View):
    """`/projects/<pk>/progress/` (POST `status_date`, per deliverable `started_<id>`, `finished_<id>`,
    `percent_<id>`, `units_<id>`, milestones `reached_<id>`, `remaining_days`, `note`): record progress."""

    allowed_roles = STAFF_ROLES

    def post(self, request, pk):
        project = selectors.project_get(user=request.user, pk=pk)
        try:
            status_date = dt.date.fromisoformat(request.POST.get("status_date", ""))
        except ValueError:
            messages.error(request, _("Give the status date."))
            return project_page(request, project, status=400)
        baseline = evaluation.current_baseline(project)
        if baseline is None:
            messages.error(request, _("The project has no baseline yet."))
            return project_page(request, project, status=400)
        packages = {p.pk: p for p in selectors.work_packages(user=request.user, project=project)}
        milestones = list(selectors.milestones(user=request.user, project=project))
        lines, reached = progress_form_fields(request.POST, evaluation.leaves(baseline.plan), milestones)
        try:
            services.progress_record(
                actor=request.user,
                project=project,
                status_date=status_date,
                lines=[{"work_package": packages[line.pop("pk")], **line} for line in lines if line["pk"] in packages],
                milestones_reached=reached,
                remaining_days=request.POST.get("remaining_days") or None,
                note=request.POST.get("note", ""),
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return project_page(request, project, status=exc.status_code)
        messages.success(request, _("Progress recorded."))
        return redirect(project)


# --- changing and deleting the plan (work packages, milestones) --------------------------------------------------


def _plan_form_page(request, *, form, title, item, project, status=200):
    context = {"form": form, "title": title, "item": item, "project": project}
    return render(request, "projects/plan_item_form.html", context, status=status)


def _plan_changes(data: dict, fields) -> dict:
    """The form's values for the service (blank optional numbers are zero, never None)."""
    changes = {name: data[name] for name in fields if name in data}
    for name in ("units_total", "budget"):
        if name in changes and changes[name] is None:
            changes[name] = 0
    return changes


class _PlanItemEditView(RoleRequiredMixin, View):
    """Change one item of the plan: its form filled from the item, the service, the form's errors on refusal."""

    allowed_roles = CLIENT_OPERATORS
    fields: tuple[str, ...] = ()
    success = ""  # each item names its `get_item`, `form_for`, `title` and `save`

    def _form(self, request, item, data=None):
        initial = {name: getattr(item, name) for name in self.fields if name != "depends_on"}
        packages = selectors.work_packages(user=request.user, project=item.project)
        return self.form_for(item, data, packages, initial)

    def _page(self, request, item, form, status=200):
        return _plan_form_page(
            request, form=form, title=self.title(item), item=item, project=item.project, status=status
        )

    def get(self, request, pk):
        item = self.get_item(request, pk)
        return self._page(request, item, self._form(request, item))

    def post(self, request, pk):
        item = self.get_item(request, pk)
        form = self._form(request, item, request.POST)
        if not form.is_valid():
            return self._page(request, item, form, status=400)
        try:
            self.save(request.user, item, _plan_changes(form.cleaned_data, self.fields))
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            return self._page(request, item, form, status=exc.status_code)
        messages.success(request, self.success)
        return redirect(item.project)


class WorkPackageEditView(_PlanItemEditView):
    """`/projects/work-packages/<pk>/edit/`: change a work package of the plan."""

    fields = services.PACKAGE_FIELDS
    success = _("Work package changed. The figures follow once a re-baseline is approved.")

    def get_item(self, request, pk):
        return selectors.work_package_get(user=request.user, pk=pk)

    def form_for(self, package, data, packages, initial):
        initial["depends_on"] = list(package.depends_on.all())
        return WorkPackageForm(data, packages=packages.exclude(pk=package.pk), initial=initial)

    def title(self, package):
        return _("Change work package %(code)s") % {"code": package.code}

    def save(self, actor, package, changes):
        services.work_package_update(actor=actor, package=package, **changes)


class MilestoneEditView(_PlanItemEditView):
    """`/projects/milestones/<pk>/edit/`: change a milestone of the plan."""

    fields = services.MILESTONE_FIELDS
    success = _("Milestone changed. The figures follow once a re-baseline is approved.")

    def get_item(self, request, pk):
        return selectors.milestone_get(user=request.user, pk=pk)

    def form_for(self, milestone, data, packages, initial):
        return MilestoneForm(data, packages=packages, initial=initial)

    def title(self, milestone):
        return _("Change milestone %(name)s") % {"name": milestone.localized_name}

    def save(self, actor, milestone, changes):
        services.milestone_update(actor=actor, milestone=milestone, **changes)


class _PlanItemDeleteView(RoleRequiredMixin, View):
    """Delete one item of the plan (POST; each item names its `get_item` and `remove`, never `delete`, which would
    answer HTTP DELETE); a refusal comes back as a message on the project page."""

    allowed_roles = CLIENT_OPERATORS
    success = ""

    def post(self, request, pk):
        item = self.get_item(request, pk)
        try:
            self.remove(request.user, item)
        except ApplicationError as exc:
            show_error(request, exc)
        else:
            messages.success(request, self.success)
        return redirect(item.project)


class WorkPackageDeleteView(_PlanItemDeleteView):
    """`/projects/work-packages/<pk>/delete/` (POST): delete a work package nothing refers to yet."""

    success = _("Work package deleted.")

    def get_item(self, request, pk):
        return selectors.work_package_get(user=request.user, pk=pk)

    def remove(self, actor, package):
        services.work_package_delete(actor=actor, package=package)


class MilestoneDeleteView(_PlanItemDeleteView):
    """`/projects/milestones/<pk>/delete/` (POST): delete a milestone no baseline holds and nobody reached."""

    success = _("Milestone deleted.")

    def get_item(self, request, pk):
        return selectors.milestone_get(user=request.user, pk=pk)

    def remove(self, actor, milestone):
        services.milestone_delete(actor=actor, milestone=milestone)
