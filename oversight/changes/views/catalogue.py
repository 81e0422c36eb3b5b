"""The catalogue of standard change templates and the approval steps of each type of change."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View

from oversight.changes import display, permissions, selectors, services
from oversight.changes.choices import ChangeType
from oversight.changes.forms import (
    PolicyForm,
    TemplateEditForm,
    TemplateForm,
)
from oversight.changes.views.common import WRITERS, ListAddView, form_error
from oversight.core.errors import ApplicationError
from oversight.core.views import RoleRequiredMixin
from oversight.tenancy.roles import (
    ADMINISTRATORS,
    CLIENT_OPERATORS,
    STAFF_ROLES,
)

#: The template fields its edit form shows as they are stored.
TEMPLATE_FORM_FIELDS = (
    "name",
    "description",
    "implementation_plan",
    "backout_plan",
    "test_plan",
    "expected_outage_minutes",
)


#: The types of change that have approval steps.
POLICY_TYPES = (ChangeType.NORMAL, ChangeType.EMERGENCY)


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
                form_error(form, exc)
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
                form_error(form, exc)
            else:
                messages.success(request, _("The approval steps were saved."))
                return redirect("changes:policy", change_type=change_type)
        return self.render_page(request, change_type, form, status=400)
