"""Web pages of the spare parts: the stock overview (item × location), a part with its stock per location and
its ledger, the movement forms, and the section on a work order's page listing the parts used on it.

Views only parse input and call parts.services; what anyone may see comes from parts.selectors (invisible is
404). Client and vendor staff read; the services decide who may record what (refusals keep the page, with the
message and the error's status)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from oversight.core.errors import ApplicationError
from oversight.core.views import RoleRequiredMixin, paginate
from oversight.parts import calc, permissions, selectors, services
from oversight.parts.choices import RECORDABLE_KINDS, MovementKind
from oversight.parts.forms import ConsumeForm, ItemForm, LevelForm, LocationForm, MovementForm, TransferForm
from oversight.tenancy.roles import CLIENT_OPERATORS, STAFF_ROLES, VENDOR_ROLES, is_vendor_manager_of
from oversight.tickets.choices import FINAL_STATUSES
from oversight.tickets.selectors import work_order_get_by_number

READERS = STAFF_ROLES
WRITERS = CLIENT_OPERATORS | VENDOR_ROLES


def level_rows(levels) -> list[dict]:
    """Display rows of stock levels: on hand, on order, to order and whether stock is low."""
    return [
        {
            "level": level,
            "to_order": calc.to_order(target=level.target_stock, on_hand=level.on_hand, on_order=level.on_order),
            "low": calc.is_low(on_hand=level.on_hand, reorder_point=level.reorder_point),
        }
        for level in levels
    ]


def _movement_kinds(user, item) -> list[str]:
    return [kind for kind in RECORDABLE_KINDS if permissions.may_move(user, item, kind)]


class StockOverviewView(RoleRequiredMixin, TemplateView):
    """`/parts/`: stock per item × location, with reorder point, to order and a low-stock badge."""

    allowed_roles = READERS
    template_name = "parts/overview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        levels = selectors.level_list(user=user)
        location = self.request.GET.get("location") or ""
        if location.isdigit():
            levels = levels.filter(location_id=int(location))
        rows = level_rows(levels)
        low_only = self.request.GET.get("low") == "1"
        if low_only:
            rows = [row for row in rows if row["low"]]
        may_manage = permissions.may_manage_catalogue(user, user.organisation_id)
        context.update(
            {
                "rows": rows,
                "locations": selectors.location_list(user=user),
                "location": location,
                "low_only": low_only,
                "low_count": sum(1 for row in level_rows(selectors.level_list(user=user)) if row["low"]),
                "items_without_stock": selectors.item_list(user=user).filter(is_active=True, levels__isnull=True),
                "may_manage": may_manage,
                "item_form": kwargs.get("item_form") or (ItemForm(user=user) if may_manage else None),
                "location_form": kwargs.get("location_form") or (LocationForm(user=user) if may_manage else None),
            }
        )
        return context


class ItemCreateView(RoleRequiredMixin, View):
    """POST: add a part to the catalogue (the client's operators)."""

    allowed_roles = CLIENT_OPERATORS

    def post(self, request):
        form = ItemForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                item = services.item_create(actor=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
                status = exc.status_code
            else:
                messages.success(request, _("The part was added."))
                return redirect("parts:item_detail", pk=item.pk)
        else:
            status = 400
        overview = StockOverviewView(request=request, kwargs={})
        context = overview.get_context_data(item_form=form)
        return render(request, "parts/overview.html", context, status=status)


class LocationCreateView(RoleRequiredMixin, View):
    """POST: add a stock location (the client's operators)."""

    allowed_roles = CLIENT_OPERATORS

    def post(self, request):
        form = LocationForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.location_create(actor=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
                status = exc.status_code
            else:
                messages.success(request, _("The stock location was added."))
                return redirect("parts:overview")
        else:
            status = 400
        overview = StockOverviewView(request=request, kwargs={})
        context = overview.get_context_data(location_form=form)
        return render(request, "parts/overview.html", context, status=status)


def item_page(request, item, *, status: int = 200, forms: dict | None = None):
    """Render a part: its details, stock per location, the movement forms the reader may use, and its ledger."""
    user = request.user
    forms = forms or {}
    kinds = _movement_kinds(user, item)
    may_manage = permissions.may_manage_catalogue(user, item.organisation_id)
    may_transfer = permissions.may_move(user, item, MovementKind.TRANSFER_OUT)
    context = {
        "item": item,
        "rows": level_rows(selectors.level_list(user=user).filter(item=item)),
        "page": paginate(selectors.movement_list(user=user).filter(item=item), request),
        "movement_form": forms.get("movement") or (MovementForm(user=user, kinds=kinds) if kinds else None),
        "transfer_form": forms.get("transfer") or (TransferForm(user=user) if may_transfer else None),
        "level_form": forms.get("level") or (LevelForm(user=user) if may_manage else None),
        "open_panel": next(iter(forms), ""),
        "vendor_manager": is_vendor_manager_of(user, item.vendor_id),
    }
    return render(request, "parts/item_detail.html", context, status=status)


class ItemDetailView(RoleRequiredMixin, View):
    """`/parts/<pk>/`: one visible part (404 otherwise)."""

    allowed_roles = READERS

    def get(self, request, pk):
        return item_page(request, selectors.item_get(user=request.user, pk=pk))


class ItemActionView(RoleRequiredMixin, View):
    """Base of the POST-only forms on a part's page: parse the form, call a service, map its errors."""

    allowed_roles = WRITERS
    panel = ""

    def build_form(self, request, item):
        raise NotImplementedError

    def perform(self, request, item, data):
        raise NotImplementedError

    def post(self, request, pk):
        item = selectors.item_get(user=request.user, pk=pk)
        form = self.build_form(request, item)
        if not form.is_valid():
            return item_page(request, item, status=400, forms={self.panel: form})
        try:
            message = self.perform(request, item, form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            return item_page(request, item, status=exc.status_code, forms={self.panel: form})
        messages.success(request, message)
        return redirect("parts:item_detail", pk=item.pk)


class MovementView(ItemActionView):
    """POST: record an order, receipt, use, return or adjustment of the part."""

    panel = "movement"

    def build_form(self, request, item):
        return MovementForm(request.POST, user=request.user, kinds=_movement_kinds(request.user, item) or ())

    def perform(self, request, item, data):
        number = (data["work_order"] or "").strip()
        work_order = work_order_get_by_number(user=request.user, number=number) if number else None
        services.movement_record(
            actor=request.user,
            item=item,
            location=data["location"],
            kind=data["kind"],
            quantity=data["quantity"],
            work_order=work_order,
            reference=data["reference"],
            reason=data["reason"],
        )
        return _("The movement was recorded.")


class TransferView(ItemActionView):
    """POST: move units of the part between two locations."""

    panel = "transfer"

    def build_form(self, request, item):
        return TransferForm(request.POST, user=request.user)

    def perform(self, request, item, data):
        services.stock_transfer(
            actor=request.user,
            item=item,
            source=data["source"],
            destination=data["destination"],
            quantity=data["quantity"],
            reason=data["reason"],
        )
        return _("The transfer was recorded.")


class LevelView(ItemActionView):
    """POST: set the reorder point and target stock of the part at a location."""

    allowed_roles = CLIENT_OPERATORS
    panel = "level"

    def build_form(self, request, item):
        return LevelForm(request.POST, user=request.user)

    def perform(self, request, item, data):
        services.level_set(actor=request.user, item=item, **data)
        return _("The reorder point and target stock were saved.")


class ConsumeView(RoleRequiredMixin, View):
    """POST from a work order's page: use a part on it; back to the work order with the outcome."""

    allowed_roles = WRITERS

    def post(self, request, number):
        work_order = work_order_get_by_number(user=request.user, number=number)
        form = ConsumeForm(request.POST, user=request.user)
        if not form.is_valid():
            messages.error(request, _("Choose a part, a location and a quantity of 1 or more."))
            return redirect("tickets:detail", number=work_order.number)
        try:
            services.movement_record(
                actor=request.user,
                item=form.cleaned_data["item"],
                location=form.cleaned_data["location"],
                kind=MovementKind.CONSUME,
                quantity=form.cleaned_data["quantity"],
                work_order=work_order,
            )
        except ApplicationError as exc:
            if exc.status_code == 403:
                raise PermissionDenied(exc.message) from exc
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The part was recorded as used on this work order."))
        return redirect("tickets:detail", number=work_order.number)


def work_order_section(request, work_order) -> dict | None:
    """Context of the work-order page's side section: the parts used on it and the form to use one."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not (user.is_superuser or user.role in READERS):
        return None
    rows = list(selectors.work_order_parts(user=user, work_order=work_order))
    for row in rows:
        row.units = abs(row.quantity)
    may_use = work_order.status not in FINAL_STATUSES and permissions.may_use_on(user, work_order)
    form = ConsumeForm(user=user) if may_use else None
    if form is not None and not form.fields["item"].queryset.exists():
        form = None
    if not rows and form is None:
        return None
    return {"part_rows": rows, "consume_form": form, "work_order": work_order}
