"""Pages of the redundancy groups (cluster rules): the list with each group's state now, a group with its
members, and the forms to create and edit one. Views parse and call `configuration.services`; the state comes
from the impact walk (`configuration.selectors.redundancy_group_states`). Client and vendor staff read them;
the client's operators keep them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views import View

from oversight.configuration import permissions, selectors, services
from oversight.configuration.choices import CIStatus
from oversight.configuration.forms import RedundancyGroupForm
from oversight.core.views import RoleRequiredMixin, paginate, save_form
from oversight.tenancy.roles import STAFF_ROLES


def _require_manager(user) -> None:
    if not permissions.may_manage_groups(user):
        raise PermissionDenied(_("Your role cannot keep the redundancy groups."))


def _candidates(user, group=None):
    """The CIs a group may take as members: the visible CIs of the user's organisation that are not retired,
    and the group's current members even when retired (so saving the form never drops one unasked)."""
    keep = ~Q(status=CIStatus.RETIRED)
    if group is not None:
        keep |= Q(redundancy_group=group)
    return selectors.ci_list(user=user).filter(keep, organisation_id=user.organisation_id).order_by("name", "pk")


class RedundancyGroupListView(RoleRequiredMixin, View):
    """`/configuration/groups/`: the groups of the user's organisation, each with its rule and its state now."""

    allowed_roles = STAFF_ROLES

    def get(self, request):
        user = request.user
        page = paginate(selectors.redundancy_group_list(user=user).order_by("name", "pk"), request)
        states = selectors.redundancy_group_states(user=user, organisation_id=user.organisation_id)
        for group in page.items:
            group.state = states.get(group.pk)
        context = {"page": page, "may_manage": permissions.may_manage_groups(user)}
        return render(request, "configuration/group_list.html", context)


class RedundancyGroupDetailView(RoleRequiredMixin, View):
    """`/configuration/groups/<pk>/`: one group, its rule, its state now and the members the user may see."""

    allowed_roles = STAFF_ROLES

    def get(self, request, pk):
        user = request.user
        group = selectors.redundancy_group_get(user=user, pk=pk)
        members = selectors.ci_list(user=user).filter(redundancy_group=group).order_by("name", "pk")
        states = selectors.redundancy_group_states(user=user, organisation_id=group.organisation_id)
        context = {
            "group": group,
            "members": members,
            "state": states.get(group.pk),
            "may_manage": permissions.may_manage_groups(user),
        }
        return render(request, "configuration/group_detail.html", context)


def _group_fields(form) -> dict:
    """The form's values as the services take them."""
    data = form.cleaned_data
    return {"name": data["name"], "name_en": data["name_en"], "members": list(data["members"]), **form.rule_values()}


class RedundancyGroupCreateView(RoleRequiredMixin, View):
    """`/configuration/groups/new/`: a group with its rule and members."""

    allowed_roles = STAFF_ROLES
    template_name = "configuration/group_form.html"

    def get(self, request):
        _require_manager(request.user)
        form = RedundancyGroupForm(members=_candidates(request.user), initial={"value": 1})
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        _require_manager(request.user)
        form = RedundancyGroupForm(request.POST, members=_candidates(request.user))
        return save_form(
            request,
            form,
            lambda data: services.redundancy_group_create(actor=request.user, **_group_fields(form)),
            message=_("The redundancy group was created."),
            template_name=self.template_name,
            context={},
        )


class RedundancyGroupEditView(RoleRequiredMixin, View):
    """`/configuration/groups/<pk>/edit/`: change a group's names, rule and members."""

    allowed_roles = STAFF_ROLES
    template_name = "configuration/group_form.html"

    def _group(self, request, pk):
        group = selectors.redundancy_group_get(user=request.user, pk=pk)
        _require_manager(request.user)
        return group

    def get(self, request, pk):
        group = self._group(request, pk)
        initial = RedundancyGroupForm.initial_for(group)
        form = RedundancyGroupForm(members=_candidates(request.user, group), initial=initial)
        return render(request, self.template_name, {"form": form, "group": group})

    def post(self, request, pk):
        group = self._group(request, pk)
        form = RedundancyGroupForm(request.POST, members=_candidates(request.user, group))
        return save_form(
            request,
            form,
            lambda data: services.redundancy_group_update(actor=request.user, group=group, **_group_fields(form)),
            message=_("The redundancy group was saved."),
            template_name=self.template_name,
            context={"group": group},
        )
