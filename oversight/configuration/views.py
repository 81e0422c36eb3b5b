"""Web pages for configuration items: the list, a CI with its attributes, relations both ways, impact and a
graph drawn from the relations (server-side SVG), and the forms to record, edit, relate and change status.

Views only parse input and call configuration.services; what anyone may see comes from
configuration.selectors (invisible = 404). Requesters have no CMDB pages (403).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from oversight.configuration import permissions, selectors, services
from oversight.configuration.choices import CI_MACHINE, CIAction
from oversight.configuration.filters import CIFilter
from oversight.configuration.forms import CIForm, ClassChoiceForm, RelationForm
from oversight.configuration.graph import NODE_HEIGHT, NODE_WIDTH, layout
from oversight.configuration.models import CIRelation
from oversight.contracts.selectors import contract_list
from oversight.core.errors import ApplicationError
from oversight.core.listing import sort_list
from oversight.core.views import RoleRequiredMixin, paginate
from oversight.tenancy.roles import STAFF_ROLES
from oversight.tickets.selectors import work_order_get

# The list's column headers sort by these keys (core.listing.sort_list).
CI_SORT_KEYS = {
    "name": ("name",),
    "class": ("ci_class__name",),
    "vendor": ("vendor__name",),
    "site": ("site__name",),
    "status": ("status",),
}


class CIListView(RoleRequiredMixin, TemplateView):
    """`/configuration/`: the CIs the user may see, filtered by class, vendor, site, status or a text."""

    allowed_roles = STAFF_ROLES
    template_name = "configuration/ci_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        base = selectors.ci_list(user=user)
        filterset = CIFilter(self.request.GET or None, queryset=base, user=user)
        qs = filterset.qs if filterset.is_bound and filterset.is_valid() else base
        qs, sorting = sort_list(qs, self.request, keys=CI_SORT_KEYS, default=("name", "pk"))
        context.update(
            {
                "filter": filterset,
                "sorting": sorting,
                "page": paginate(qs, self.request),
                "may_create": permissions.may_create(user, getattr(user, "vendor", None)),
                "may_manage_classes": permissions.may_manage_classes(user),
                "may_import": permissions.may_import(user),
            }
        )
        return context


def graph_context(*, user, ci) -> dict:
    """The SVG drawing of the CI's neighbourhood (two hops each way over the relations the user may see)."""
    _rows, relations, items = selectors.neighbourhood(user=user, ci=ci)
    edges = [(r.source_id, r.target_id) for r in relations]
    drawing = layout(ci.pk, edges, {pk: obj.localized_name for pk, obj in items.items()})
    names = {(r.source_id, r.target_id): r.relation_type.localized_name for r in relations}
    return {
        "width": drawing.width,
        "height": drawing.height,
        "node_width": NODE_WIDTH,
        "node_height": NODE_HEIGHT,
        "nodes": [
            {
                "ci": items[n.key],
                "x": n.x,
                "y": n.y,
                "cx": n.x + NODE_WIDTH / 2,
                "name_y": n.y + 19,
                "status_y": n.y + 35,
                "centre": n.key == ci.pk,
            }
            for n in drawing.nodes
        ],
        "edges": [
            {
                "x1": e.x1,
                "y1": e.y1,
                "x2": e.x2,
                "y2": e.y2,
                "label": names.get((e.source, e.target), ""),
                "mx": (e.x1 + e.x2) / 2,
                "my": (e.y1 + e.y2) / 2,
            }
            for e in drawing.edges
        ],
    }


def ci_page(request, ci, *, status: int = 200, relation_form=None):
    """Render a CI: details, attributes, relations both ways, impact, the graph, and the actions the user may take."""
    user = request.user
    outgoing, incoming = selectors.relations_of(user=user, ci=ci)
    may_edit = permissions.may_edit(user, ci)
    if may_edit and relation_form is None:
        relation_form = RelationForm(
            user=user,
            ci=ci,
            relation_types=selectors.relation_type_list(user=user),
            targets=selectors.ci_list(user=user).filter(organisation_id=ci.organisation_id),
        )
    what_if = selectors.what_if_down(user=user, ci=ci)
    needs = selectors.what_impacts(user=user, ci=ci)
    names = {c.pk: c for c in selectors.ci_list(user=user).filter(pk__in=[*what_if["impacted"], *needs])}
    definitions = {d.code: d for d in selectors.attribute_definitions(user=user, ci_class=ci.ci_class)}
    context = {
        "ci": ci,
        "attributes": [
            (definitions[code].localized_name if code in definitions else code, value)
            for code, value in (ci.attributes or {}).items()
        ],
        "outgoing": outgoing,
        "incoming": incoming,
        "impacts": [names[pk] for pk in what_if["impacted"] if pk in names],
        "impacted_services": [names[pk] for pk in what_if["services"] if pk in names],
        "needs": [names[pk] for pk in needs if pk in names],
        "graph": graph_context(user=user, ci=ci),
        "support_contract": (
            contract_list(user=user).filter(pk=ci.support_contract_id).first() if ci.support_contract_id else None
        ),
        "may_edit": may_edit,
        "actions": [
            (action, CIAction(action).label)
            for action in CI_MACHINE.actions_from(ci.status)
            if permissions.may_change_status(user, ci)
        ],
        "relation_form": relation_form if may_edit else None,
    }
    return render(request, "configuration/ci_detail.html", context, status=status)


class CIDetailView(RoleRequiredMixin, View):
    """`/configuration/<pk>/`: one CI."""

    allowed_roles = STAFF_ROLES

    def get(self, request, pk):
        return ci_page(request, selectors.ci_get(user=request.user, pk=pk))


class CICreateView(RoleRequiredMixin, View):
    """`/configuration/new/?ci_class=<pk>`: choose the class, then record the CI with its class's attributes."""

    allowed_roles = STAFF_ROLES
    template_name = "configuration/ci_form.html"

    def _check(self, request):
        if not permissions.may_create(request.user, getattr(request.user, "vendor", None)):
            raise PermissionDenied(_("Your role cannot record configuration items."))

    def get(self, request):
        self._check(request)
        chooser = ClassChoiceForm(request.GET or None, user=request.user)
        if chooser.is_bound and chooser.is_valid():
            ci_class = chooser.cleaned_data["ci_class"]
            form = CIForm(user=request.user, ci_class=ci_class, initial={"vendor": request.user.vendor_id})
            return render(request, self.template_name, {"form": form, "ci_class": ci_class, "title": _("New CI")})
        return render(request, self.template_name, {"chooser": chooser, "title": _("New CI")})

    def post(self, request):
        self._check(request)
        ci_class = selectors.ci_class_get(user=request.user, pk=request.POST.get("ci_class"))
        form = CIForm(request.POST, user=request.user, ci_class=ci_class)
        if form.is_valid():
            data = form.cleaned_data
            try:
                ci = services.ci_create(
                    actor=request.user,
                    ci_class=ci_class,
                    attributes=form.attributes(),
                    **{name: data[name] for name in services.EDITABLE_FIELDS if name in data},
                    status=data["status"],
                )
            except ApplicationError as exc:
                _show_error(form, exc)
                status = exc.status_code
            else:
                messages.success(request, _("The configuration item was recorded."))
                return redirect("configuration:detail", pk=ci.pk)
        else:
            status = 400
        context = {"form": form, "ci_class": ci_class, "title": _("New CI")}
        return render(request, self.template_name, context, status=status)


def _show_error(form, exc: ApplicationError) -> None:
    """Put a service's refusal on the form: per attribute where it names them, else on the whole form."""
    attributes = (exc.extra or {}).get("attributes") or {}
    for code, message in attributes.items():
        name = f"attr_{code}"
        form.add_error(name if name in form.fields else None, message)
    if not attributes:
        form.add_error(None, exc.message)


class CIEditView(RoleRequiredMixin, View):
    """`/configuration/<pk>/edit/`: change a CI's details and attributes."""

    allowed_roles = STAFF_ROLES
    template_name = "configuration/ci_form.html"

    def _ci(self, request, pk):
        ci = selectors.ci_get(user=request.user, pk=pk)
        if not permissions.may_edit(request.user, ci):
            raise PermissionDenied(_("You may not edit this configuration item."))
        return ci

    def get(self, request, pk):
        ci = self._ci(request, pk)
        form = CIForm(user=request.user, ci_class=ci.ci_class, editing=True, initial=CIForm.initial_for(ci))
        return render(request, self.template_name, {"form": form, "ci": ci, "ci_class": ci.ci_class})

    def post(self, request, pk):
        ci = self._ci(request, pk)
        form = CIForm(request.POST, user=request.user, ci_class=ci.ci_class, editing=True)
        if form.is_valid():
            data = form.cleaned_data
            changes = {name: data[name] for name in services.EDITABLE_FIELDS if name in data}
            changes["attributes"] = form.attributes()
            try:
                services.ci_update(actor=request.user, ci=ci, **changes)
            except ApplicationError as exc:
                _show_error(form, exc)
                status = exc.status_code
            else:
                messages.success(request, _("The configuration item was saved."))
                return redirect("configuration:detail", pk=ci.pk)
        else:
            status = 400
        context = {"form": form, "ci": ci, "ci_class": ci.ci_class}
        return render(request, self.template_name, context, status=status)


class CITransitionView(RoleRequiredMixin, View):
    """`POST /configuration/<pk>/status/`: change a CI's status (`action` is one of the table's actions)."""

    allowed_roles = STAFF_ROLES

    def post(self, request, pk):
        ci = selectors.ci_get(user=request.user, pk=pk)
        try:
            services.ci_transition(actor=request.user, ci=ci, action=request.POST.get("action", ""))
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return ci_page(request, selectors.ci_get(user=request.user, pk=pk), status=exc.status_code)
        messages.success(request, _("The status was changed."))
        return redirect("configuration:detail", pk=ci.pk)


class RelationAddView(RoleRequiredMixin, View):
    """`POST /configuration/<pk>/relations/`: relate this CI to another one it needs."""

    allowed_roles = STAFF_ROLES

    def post(self, request, pk):
        user = request.user
        ci = selectors.ci_get(user=user, pk=pk)
        if not permissions.may_edit(user, ci):  # refuse before reading the form: a reader gets 403, not 400
            raise PermissionDenied
        form = RelationForm(
            request.POST,
            user=user,
            ci=ci,
            relation_types=selectors.relation_type_list(user=user),
            targets=selectors.ci_list(user=user).filter(organisation_id=ci.organisation_id),
        )
        if not form.is_valid():
            return ci_page(request, ci, status=400, relation_form=form)
        try:
            services.ci_relation_create(
                actor=user,
                source=ci,
                relation_type=form.cleaned_data["relation_type"],
                target=form.cleaned_data["target"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            return ci_page(request, ci, status=exc.status_code, relation_form=form)
        messages.success(request, _("The relation was added."))
        return redirect("configuration:detail", pk=ci.pk)


class RelationRemoveView(RoleRequiredMixin, View):
    """`POST /configuration/relations/<pk>/remove/`: remove a relation (seen from either end)."""

    allowed_roles = STAFF_ROLES

    def post(self, request, pk):
        try:
            relation = selectors.relation_list(user=request.user).get(pk=pk)
        except (CIRelation.DoesNotExist, ValueError) as exc:
            raise Http404 from exc
        ends = [relation.source_id, relation.target_id]
        visible = set(selectors.ci_list(user=request.user).filter(pk__in=ends).values_list("pk", flat=True))
        back_pk = next((pk for pk in ends if str(pk) == request.POST.get("from") and pk in visible), None)
        back_pk = back_pk or next(pk for pk in ends if pk in visible)
        try:
            services.ci_relation_delete(actor=request.user, relation=relation)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return ci_page(request, selectors.ci_get(user=request.user, pk=back_pk), status=exc.status_code)
        messages.success(request, _("The relation was removed."))
        return redirect("configuration:detail", pk=back_pk)


def _back_to_work_order(work_order):
    return redirect("tickets:detail", number=work_order.number)


class WorkOrderLinkView(RoleRequiredMixin, View):
    """`POST /configuration/work-orders/<pk>/cis/`: link a CI (`ci`) to a work order, from its page."""

    allowed_roles = STAFF_ROLES

    def post(self, request, pk):
        work_order = work_order_get(user=request.user, pk=pk)
        ci = selectors.ci_get(user=request.user, pk=request.POST.get("ci"))
        try:
            services.work_order_ci_link(actor=request.user, work_order=work_order, ci=ci)
        except ApplicationError as exc:
            if exc.status_code == 403:
                raise PermissionDenied(exc.message) from exc
            messages.error(request, exc.message)
            return _back_to_work_order(work_order)
        messages.success(request, _("The configuration item was linked."))
        return _back_to_work_order(work_order)


class WorkOrderUnlinkView(RoleRequiredMixin, View):
    """`POST /configuration/work-order-links/<pk>/remove/`: unlink a CI from a work order."""

    allowed_roles = STAFF_ROLES

    def post(self, request, pk):
        link = selectors.work_order_link_get(user=request.user, pk=pk)
        try:
            services.work_order_ci_unlink(actor=request.user, link=link)
        except ApplicationError as exc:
            if exc.status_code == 403:
                raise PermissionDenied(exc.message) from exc
            messages.error(request, exc.message)
            return _back_to_work_order(link.work_order)
        messages.success(request, _("The configuration item was unlinked."))
        return _back_to_work_order(link.work_order)
