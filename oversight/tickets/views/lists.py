"""The vendor workbench and the client supervision board (with CSV/XLSX export)."""

from __future__ import annotations

from django import forms
from django.db.models import Count, F, Q
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from oversight.core import clock
from oversight.core.views import HtmxTemplateMixin, RoleRequiredMixin, paginate
from oversight.tenancy.choices import Role
from oversight.tenancy.roles import MANAGEMENT_ROLES, VENDOR_ROLES
from oversight.tickets import exports
from oversight.tickets.choices import OPEN_STATUSES, Status
from oversight.tickets.filters import WorkOrderFilter
from oversight.tickets.selectors import breached_q, queue, work_order_list
from oversight.tickets.views.display import with_live_sla

QUEUES = (
    ("mine", _("Mine")),
    ("team", _("My team")),
    ("unassigned", _("Unassigned")),
    ("due_soon", _("Due within the hour")),
    ("breached", _("Breached")),
)
QUEUE_NAMES = tuple(name for name, _label in QUEUES)


class WorkbenchView(RoleRequiredMixin, HtmxTemplateMixin, TemplateView):
    """`/workbench/`: the vendor's queues with live SLA countdowns; the list refreshes itself every minute."""

    allowed_roles = VENDOR_ROLES
    template_name = "tickets/workbench.html"
    partial_template_name = "tickets/partials/workbench_results.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, now = self.request.user, clock.now()
        # Agents start with their own work; managers with what still needs dispatching.
        default = "unassigned" if user.role == Role.VENDOR_MANAGER else "mine"
        name = self.request.GET.get("queue", default)
        if name not in QUEUE_NAMES:
            name = default
        visible = work_order_list(user=user)
        counts = {key: queue(visible, user=user, name=key, now=now).count() for key in QUEUE_NAMES}
        base = queue(visible, user=user, name=name, now=now).order_by(
            F("sla_next_due_at").asc(nulls_last=True), "-created_at", "-id"
        )
        filterset = WorkOrderFilter(self.request.GET, queryset=base, user=user)
        qs = filterset.qs if filterset.is_valid() else base.none()
        page = paginate(qs, self.request)
        page.items = with_live_sla(page.items, now)
        context.update(
            queue=name,
            queues=[{"name": key, "label": label, "count": counts[key]} for key, label in QUEUES],
            filterset=filterset,
            page=page,
        )
        return context


def board_filterset(request) -> WorkOrderFilter:
    """The board's filters (open work orders unless a status is chosen) over what the user may see."""
    data = request.GET.copy()
    if not data.getlist("status"):
        data.setlist("status", ["open"])
    return WorkOrderFilter(data, queryset=work_order_list(user=request.user), user=request.user)


def _widen_filter_widgets(filterset) -> None:
    form = filterset.form
    for name in ("created_after", "created_before", "due_before", "due_after"):
        if name in form.fields:
            form.fields[name].widget = forms.DateTimeInput(attrs={"type": "datetime-local"})


class BoardView(RoleRequiredMixin, HtmxTemplateMixin, TemplateView):
    """`/board/` (监管界面): every open work order across vendors, SLA state, filters, counts, export."""

    allowed_roles = MANAGEMENT_ROLES
    template_name = "tickets/board.html"
    partial_template_name = "tickets/partials/board_results.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = clock.now()
        filterset = board_filterset(self.request)
        _widen_filter_widgets(filterset)
        valid = filterset.is_valid()
        qs = filterset.qs if valid else filterset.queryset.none()
        # Counts by aggregate queries over the filtered, visible rows; their sum is the total (no extra COUNT).
        by_status = list(qs.order_by().values("status").annotate(n=Count("pk")).order_by("status"))
        status_labels = dict(Status.choices)
        for item in by_status:
            item["label"] = status_labels.get(item["status"], item["status"])
        by_vendor = list(
            qs.order_by().values("vendor_id", "vendor__name").annotate(n=Count("pk")).order_by("-n", "vendor__name")
        )
        total = sum(item["n"] for item in by_status)
        sla = {"breached": 0, "warning": 0}
        if total:
            breached = breached_q(now)
            sla = qs.aggregate(
                breached=Count("pk", filter=breached),
                warning=Count("pk", filter=Q(sla_next_warning_at__lte=now, status__in=OPEN_STATUSES) & ~breached),
            )
        page = paginate(qs, self.request, count=total)
        page.items = with_live_sla(page.items, now)
        context.update(
            filterset=filterset,
            valid=valid,
            page=page,
            total=total,
            by_status=by_status,
            by_vendor=by_vendor,
            sla_counts=sla,
            export_query=self.request.GET.urlencode(),
        )
        return context


class BoardExportView(RoleRequiredMixin, View):
    """CSV or XLSX of the board's filtered list, through the same selector and FilterSet."""

    allowed_roles = MANAGEMENT_ROLES

    def get(self, request, fmt):
        filterset = board_filterset(request)
        if not filterset.is_valid():
            return HttpResponse(
                _("Invalid filters; correct them on the board first."),
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        # The reader's local time (the active zone), as in the rows of the file.
        stamp = timezone.localtime(clock.now()).strftime("%Y%m%d-%H%M")
        if fmt == "xlsx":
            return exports.xlsx_response(filterset.qs, filename=f"work-orders-{stamp}.xlsx")
        return exports.csv_response(filterset.qs, filename=f"work-orders-{stamp}.csv")
