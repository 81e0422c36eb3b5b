"""Pages of the CI classes and their typed attributes: the list, a class with its attributes, and the forms to
add and edit a class and to define an attribute. Views parse and call `configuration.services`; every reader of
the CMDB sees the classes of their organisation, only a client administrator changes them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View

from oversight.configuration import permissions, selectors, services
from oversight.configuration.forms import AttributeDefinitionForm, CIClassForm
from oversight.core.errors import ApplicationError
from oversight.core.views import RoleRequiredMixin, paginate, save_form
from oversight.tenancy.roles import STAFF_ROLES


def _require_manager(user) -> None:
    if not permissions.may_manage_classes(user):
        raise PermissionDenied(_("Only a client administrator defines configuration item classes."))


class CIClassListView(RoleRequiredMixin, View):
    """`/configuration/classes/`: the classes of the user's organisation, with their attributes and CIs counted."""

    allowed_roles = STAFF_ROLES

    def get(self, request):
        user = request.user
        classes = selectors.ci_class_list(user=user).annotate(
            attribute_count=Count("attribute_definitions", distinct=True)
        )
        counts = dict(
            selectors.ci_list(user=user)
            .filter(ci_class__in=classes.values("pk"))
            .order_by()
            .values_list("ci_class")
            .annotate(n=Count("pk"))
        )
        page = paginate(classes.order_by("name", "pk"), request)
        for ci_class in page.items:
            ci_class.ci_count = counts.get(ci_class.pk, 0)
        context = {"page": page, "may_manage": permissions.may_manage_classes(user)}
        return render(request, "configuration/class_list.html", context)


def class_page(request, ci_class, *, status: int = 200, attribute_form=None):
    """Render a class: its details, its attributes in order, and (for an administrator) the attribute form."""
    user = request.user
    may_manage = permissions.may_manage_classes(user)
    if may_manage and attribute_form is None:
        attribute_form = AttributeDefinitionForm()
    context = {
        "ci_class": ci_class,
        "definitions": list(selectors.attribute_definitions(user=user, ci_class=ci_class)),
        "ci_count": selectors.ci_list(user=user).filter(ci_class=ci_class).count(),
        "may_manage": may_manage,
        "attribute_form": attribute_form if may_manage else None,
    }
    return render(request, "configuration/class_detail.html", context, status=status)


class CIClassDetailView(RoleRequiredMixin, View):
    """`/configuration/classes/<pk>/`: one class and its typed attributes."""

    allowed_roles = STAFF_ROLES

    def get(self, request, pk):
        return class_page(request, selectors.ci_class_get(user=request.user, pk=pk))


class CIClassCreateView(RoleRequiredMixin, View):
    """`/configuration/classes/new/`: add a class to the administrator's organisation."""

    allowed_roles = STAFF_ROLES
    template_name = "configuration/class_form.html"

    def get(self, request):
        _require_manager(request.user)
        return render(request, self.template_name, {"form": CIClassForm()})

    def post(self, request):
        _require_manager(request.user)
        return save_form(
            request,
            CIClassForm(request.POST),
            lambda data: services.ci_class_create(actor=request.user, **data),
            message=_("The class was added."),
            template_name=self.template_name,
            context={},
        )


class CIClassEditView(RoleRequiredMixin, View):
    """`/configuration/classes/<pk>/edit/`: change a class's names, description and business-service flag."""

    allowed_roles = STAFF_ROLES
    template_name = "configuration/class_form.html"

    def _class(self, request, pk):
        ci_class = selectors.ci_class_get(user=request.user, pk=pk)
        _require_manager(request.user)
        return ci_class

    def get(self, request, pk):
        ci_class = self._class(request, pk)
        form = CIClassForm(editing=True, initial=CIClassForm.initial_for(ci_class))
        return render(request, self.template_name, {"form": form, "ci_class": ci_class})

    def post(self, request, pk):
        ci_class = self._class(request, pk)
        return save_form(
            request,
            CIClassForm(request.POST, editing=True),
            lambda data: services.ci_class_update(actor=request.user, ci_class=ci_class, **data),
            message=_("The class was saved."),
            template_name=self.template_name,
            context={"ci_class": ci_class},
        )


class AttributeDefineView(RoleRequiredMixin, View):
    """`POST /configuration/classes/<pk>/attributes/`: define a typed attribute on the class."""

    allowed_roles = STAFF_ROLES

    def post(self, request, pk):
        ci_class = selectors.ci_class_get(user=request.user, pk=pk)
        _require_manager(request.user)
        form = AttributeDefinitionForm(request.POST)
        if not form.is_valid():
            return class_page(request, ci_class, status=400, attribute_form=form)
        data = form.cleaned_data
        try:
            services.ci_attribute_define(
                actor=request.user,
                ci_class=ci_class,
                code=data["code"],
                name=data["name"],
                name_en=data["name_en"],
                type=data["type"],
                required=data["required"],
                choices=form.choice_list(),
                position=data["position"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            return class_page(request, ci_class, status=exc.status_code, attribute_form=form)
        messages.success(request, _("The attribute was defined."))
        return redirect("configuration:class_detail", pk=ci_class.pk)
