"""Web pages of mitigations: the list, one mitigation with the risks it serves, the forms and its states.
One mitigation may serve many risks."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from oversight.core.errors import ApplicationError
from oversight.core.views import RoleRequiredMixin, paginate
from oversight.risks import permissions, selectors, services
from oversight.risks.choices import MITIGATION_MACHINE, MitigationAction
from oversight.risks.register_filters import MitigationFilter
from oversight.risks.register_forms import MitigationForm
from oversight.risks.views.register import _render_form, _version, run_step
from oversight.tenancy.roles import CLIENT_OPERATORS, CLIENT_ROLES


class MitigationListView(RoleRequiredMixin, TemplateView):
    """`/risks/mitigations/`: the mitigations, filtered by status, owner and overdue."""

    allowed_roles = CLIENT_ROLES
    template_name = "risks/register_mitigation_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        base = selectors.mitigation_list(user=user).order_by("due_date", "pk")
        filterset = MitigationFilter(self.request.GET or None, queryset=base, user=user)
        qs = filterset.qs if filterset.is_bound and filterset.is_valid() else base
        overdue = set(selectors.mitigations_overdue(user=user).values_list("pk", flat=True))
        context.update(
            {
                "filter": filterset,
                "page": paginate(qs, self.request),
                "overdue": overdue,
                "may_create": permissions.may_create(user),
            }
        )
        return context


class MitigationDetailView(RoleRequiredMixin, View):
    """`/risks/mitigations/<pk>/`: one mitigation and the risks it serves."""

    allowed_roles = CLIENT_ROLES

    def get(self, request, pk):
        user = request.user
        mitigation = selectors.mitigation_get(user=user, pk=pk)
        may_manage = permissions.may_manage(user, mitigation)
        actions = (
            [(code, MitigationAction(code).label) for code in MITIGATION_MACHINE.actions_from(mitigation.status)]
            if may_manage
            else []
        )
        context = {
            "mitigation": mitigation,
            "risks": list(selectors.risk_list(user=user).filter(mitigations=mitigation).order_by("number")),
            "overdue": selectors.mitigations_overdue(user=user).filter(pk=mitigation.pk).exists(),
            "may_manage": may_manage,
            "actions": actions,
        }
        return render(request, "risks/register_mitigation_detail.html", context)


class MitigationCreateView(RoleRequiredMixin, View):
    """`/risks/mitigations/new/` (`?risk=<pk>` preselects a risk): record a mitigation."""

    allowed_roles = CLIENT_OPERATORS

    def _render(self, request, form, status=200):
        return _render_form(
            request,
            form,
            title=_("New mitigation"),
            action=request.get_full_path(),
            back="risks:mitigations",
            status=status,
        )

    def get(self, request):
        initial = {"owner": request.user.pk}
        raw = request.GET.get("risk", "")
        if raw.isdigit() and selectors.risk_list(user=request.user).filter(pk=raw).exists():
            initial["risks"] = [int(raw)]
        return self._render(request, MitigationForm(user=request.user, initial=initial))

    def post(self, request):
        form = MitigationForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                mitigation = services.mitigation_create(actor=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The mitigation was recorded."))
                return redirect(mitigation)
        return self._render(request, form, status=400)


class MitigationEditView(RoleRequiredMixin, View):
    """`/risks/mitigations/<pk>/edit/`: change a mitigation or the risks it serves."""

    allowed_roles = CLIENT_OPERATORS

    def _render(self, request, mitigation, form, status=200):
        return _render_form(
            request,
            form,
            title=_("Edit mitigation"),
            action=request.path,
            back=mitigation,
            status=status,
            extra={"object_version": mitigation.version},
        )

    def get(self, request, pk):
        mitigation = selectors.mitigation_get(user=request.user, pk=pk)
        initial = {
            "title": mitigation.title,
            "description": mitigation.description,
            "owner": mitigation.owner_id,
            "due_date": mitigation.due_date,
            "cost": mitigation.cost,
            "risks": [r.pk for r in mitigation.risks.all()],
        }
        return self._render(request, mitigation, MitigationForm(user=request.user, initial=initial))

    def post(self, request, pk):
        mitigation = selectors.mitigation_get(user=request.user, pk=pk)
        form = MitigationForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.mitigation_update(
                    actor=request.user, mitigation=mitigation, expected_version=_version(request), **form.cleaned_data
                )
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The mitigation was saved."))
                return redirect(mitigation)
        return self._render(request, mitigation, form, status=400)


class MitigationTransitionView(RoleRequiredMixin, View):
    """`/risks/mitigations/<pk>/transition/` (POST `action`, `version`): start, complete, cancel or reopen."""

    allowed_roles = CLIENT_OPERATORS

    def post(self, request, pk):
        mitigation = selectors.mitigation_get(user=request.user, pk=pk)
        return run_step(
            request,
            mitigation,
            choice=request.POST.get("action", ""),
            choices=MitigationAction,
            perform=lambda action: services.mitigation_transition(
                actor=request.user, mitigation=mitigation, action=action, expected_version=_version(request)
            ),
        )
