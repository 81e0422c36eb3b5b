"""Pages of liaisons and the escalation matrix. Views parse input and call `liaisons.services.liaisons`; what
anyone sees comes from `liaisons.selectors` (404 for what the gate hides)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View

from oversight.core.errors import NotAllowed
from oversight.core.views import RoleRequiredMixin, paginate
from oversight.liaisons import selectors
from oversight.liaisons.choices import LiaisonRole, Trigger
from oversight.liaisons.filters import EscalationFilter
from oversight.liaisons.forms import LiaisonForm, MatrixForm, RuleForm
from oversight.liaisons.services.liaisons import (
    liaison_delete,
    liaison_save,
    matrix_save,
    may_manage_liaisons,
    rule_delete,
    rule_save,
)
from oversight.liaisons.views import submit
from oversight.tenancy.choices import Role
from oversight.tenancy.roles import CLIENT_OPERATORS, STAFF_ROLES, is_client_operator

#: Who may open the liaison form at all (the service then checks the liaison's side).
LIAISON_EDITORS = CLIENT_OPERATORS | {Role.VENDOR_MANAGER}


def _may_add(user) -> bool:
    return user.is_superuser or user.role in LIAISON_EDITORS


class LiaisonListView(RoleRequiredMixin, View):
    """`/liaisons/`: the client's and the vendors' liaisons (a vendor's staff: their own and the client's)."""

    allowed_roles = STAFF_ROLES

    def get(self, request):
        qs = selectors.liaison_list(user=request.user)
        vendor = request.GET.get("vendor", "")
        if vendor == "client":
            qs = qs.filter(vendor__isnull=True)
        elif vendor.isdigit() and len(vendor) <= 18:
            qs = qs.filter(vendor_id=int(vendor))
        role = request.GET.get("role", "")
        if role in LiaisonRole.values:
            qs = qs.filter(role=role)
        vendors = {lia.vendor for lia in selectors.liaison_list(user=request.user) if lia.vendor_id}
        context = {
            "page": paginate(qs, request),
            "vendors": sorted(vendors, key=lambda v: v.name),
            "vendor": vendor,
            "roles": LiaisonRole.choices,
            "role": role if role in LiaisonRole.values else "",
            "may_add": _may_add(request.user),
        }
        return render(request, "liaisons/liaison_list.html", context)


class LiaisonDetailView(RoleRequiredMixin, View):
    """`/liaisons/<pk>/`: one liaison with their deputies and working hours."""

    allowed_roles = STAFF_ROLES

    def get(self, request, pk):
        liaison = selectors.liaison_get(user=request.user, pk=pk)
        may_edit = may_manage_liaisons(
            request.user, organisation_id=liaison.organisation_id, vendor_id=liaison.vendor_id
        )
        return render(request, "liaisons/liaison_detail.html", {"liaison": liaison, "may_edit": may_edit})


class LiaisonFormView(RoleRequiredMixin, View):
    """`/liaisons/new/` and `/liaisons/<pk>/edit/`: add or change a liaison and their deputies."""

    allowed_roles = LIAISON_EDITORS
    template_name = "liaisons/liaison_form.html"

    def _liaison(self, request, pk):
        return None if pk is None else selectors.liaison_get(user=request.user, pk=pk)

    def render_form(self, request, liaison, form, status=200):
        title = _("New liaison") if liaison is None else _("Edit liaison")
        context = {"form": form, "liaison": liaison, "title": title}
        return render(request, self.template_name, context, status=status)

    def get(self, request, pk=None):
        liaison = self._liaison(request, pk)
        initial = {} if liaison is None else LiaisonForm.initial_for(liaison)
        return self.render_form(request, liaison, LiaisonForm(user=request.user, initial=initial))

    def post(self, request, pk=None):
        liaison = self._liaison(request, pk)
        form = LiaisonForm(request.POST, user=request.user)

        def save(data):
            values, deputies = form.values()
            return liaison_save(
                actor=request.user, organisation=request.user.organisation, liaison=liaison, deputies=deputies, **values
            )

        saved = submit(request, form, save, _("The liaison was saved."))
        if saved is not None:
            return redirect(saved)
        return self.render_form(request, liaison, form, status=400)


class LiaisonDeleteView(RoleRequiredMixin, View):
    """`POST /liaisons/<pk>/delete/`: remove a liaison."""

    allowed_roles = LIAISON_EDITORS

    def post(self, request, pk):
        liaison = selectors.liaison_get(user=request.user, pk=pk)
        try:
            liaison_delete(actor=request.user, liaison=liaison)
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        messages.success(request, _("The liaison was removed."))
        return redirect("liaisons:liaison-list")


class MatrixListView(RoleRequiredMixin, View):
    """`/liaisons/matrices/`: the organisation's escalation matrix and the vendors' overrides, with their levels."""

    allowed_roles = STAFF_ROLES

    def get(self, request):
        may_manage = is_client_operator(request.user, request.user.organisation_id)
        context = {
            "matrices": list(selectors.matrix_list(user=request.user)),
            "may_manage": may_manage,
            "form": MatrixForm(user=request.user) if may_manage else None,
        }
        return render(request, "liaisons/matrix_list.html", context)


class MatrixCreateView(RoleRequiredMixin, View):
    """`POST /liaisons/matrices/new/`: create the organisation's matrix or a vendor's override."""

    allowed_roles = CLIENT_OPERATORS

    def post(self, request):
        form = MatrixForm(request.POST, user=request.user)
        matrix = submit(
            request,
            form,
            lambda data: matrix_save(actor=request.user, organisation=request.user.organisation, **data),
            _("The escalation matrix was saved."),
        )
        if matrix is not None:
            return redirect(matrix)
        context = {"matrices": list(selectors.matrix_list(user=request.user)), "may_manage": True, "form": form}
        return render(request, "liaisons/matrix_list.html", context, status=400)


def _matrix_context(request, matrix, form=None) -> dict:
    may_manage = is_client_operator(request.user, matrix.organisation_id)
    rows = {}
    for rule in matrix.rules.all():
        rows.setdefault(rule.trigger, []).append(rule)
    return {
        "matrix": matrix,
        "groups": [(Trigger(code).label, rows[code]) for code in Trigger.values if code in rows],
        "role_labels": dict(LiaisonRole.choices),
        "may_manage": may_manage,
        "form": form or (RuleForm(user=request.user) if may_manage else None),
    }


class MatrixDetailView(RoleRequiredMixin, View):
    """`/liaisons/matrices/<pk>/`: one matrix's levels by trigger; operators add and remove levels here."""

    allowed_roles = STAFF_ROLES

    def get(self, request, pk):
        matrix = selectors.matrix_get(user=request.user, pk=pk)
        return render(request, "liaisons/matrix_detail.html", _matrix_context(request, matrix))


class RuleCreateView(RoleRequiredMixin, View):
    """`POST /liaisons/matrices/<pk>/levels/`: add a level to a matrix."""

    allowed_roles = CLIENT_OPERATORS

    def post(self, request, pk):
        matrix = selectors.matrix_get(user=request.user, pk=pk)
        form = RuleForm(request.POST, user=request.user)

        def save(data):
            values = dict(data)
            return rule_save(actor=request.user, matrix=matrix, users=values.pop("users"), **values)

        if submit(request, form, save, _("The level was added.")) is not None:
            return redirect(matrix)
        matrix = selectors.matrix_get(user=request.user, pk=pk)
        return render(request, "liaisons/matrix_detail.html", _matrix_context(request, matrix, form), status=400)


def rule_initial(rule) -> dict:
    """A level's current values, to prefill its form."""
    return {
        "trigger": rule.trigger,
        "priority": rule.priority,
        "level": rule.level,
        "wait_hours": rule.wait_hours,
        "roles": list(rule.roles or []),
        "users": list(rule.users.all()),
        "delivery": rule.delivery,
        "channel": rule.channel,
    }


class RuleEditView(RoleRequiredMixin, View):
    """`/liaisons/levels/<pk>/edit/`: change one level of a matrix (the same checks as adding one)."""

    allowed_roles = CLIENT_OPERATORS
    template_name = "liaisons/rule_form.html"

    def _page(self, request, rule, form, status=200):
        return render(request, self.template_name, {"rule": rule, "matrix": rule.matrix, "form": form}, status=status)

    def get(self, request, pk):
        rule = selectors.rule_get(user=request.user, pk=pk)
        if not is_client_operator(request.user, rule.matrix.organisation_id):
            raise PermissionDenied(_("Only the client's supervisors and administrators manage the escalation matrix."))
        return self._page(request, rule, RuleForm(initial=rule_initial(rule), user=request.user))

    def post(self, request, pk):
        rule = selectors.rule_get(user=request.user, pk=pk)
        form = RuleForm(request.POST, user=request.user)

        def save(data):
            values = dict(data)
            return rule_save(actor=request.user, matrix=rule.matrix, rule=rule, users=values.pop("users"), **values)

        if submit(request, form, save, _("The level was changed.")) is not None:
            return redirect("liaisons:matrix-detail", rule.matrix_id)
        return self._page(request, selectors.rule_get(user=request.user, pk=pk), form, status=400)


class RuleDeleteView(RoleRequiredMixin, View):
    """`POST /liaisons/levels/<pk>/delete/`: remove one level of a matrix."""

    allowed_roles = CLIENT_OPERATORS

    def post(self, request, pk):
        rule = selectors.rule_get(user=request.user, pk=pk)
        try:
            rule_delete(actor=request.user, rule=rule)
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        messages.success(request, _("The level was removed."))
        return redirect("liaisons:matrix-detail", rule.matrix_id)


class EscalationListView(RoleRequiredMixin, View):
    """`/liaisons/escalations/`: escalation episodes, newest first, filtered by status, trigger and vendor."""

    allowed_roles = STAFF_ROLES

    def get(self, request):
        filtered = EscalationFilter(
            request.GET, queryset=selectors.escalation_list(user=request.user), user=request.user
        )
        context = {"page": paginate(filtered.qs, request), "filter": filtered}
        return render(request, "liaisons/escalation_list.html", context)


class EscalationDetailView(RoleRequiredMixin, View):
    """`/liaisons/escalations/<pk>/`: one episode and each level sent: when it fell due, when it went, to whom."""

    allowed_roles = STAFF_ROLES

    def get(self, request, pk):
        escalation = selectors.escalation_get(user=request.user, pk=pk)
        context = {
            "escalation": escalation,
            "steps": list(selectors.escalation_steps(escalation=escalation)),
            "role_labels": dict(LiaisonRole.choices),
        }
        return render(request, "liaisons/escalation_detail.html", context)
