"""The vendor workbench and the client supervision board (with CSV/XLSX export)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from oversight.core import clock
from oversight.core.listing import sort_list
from oversight.core.views import HtmxTemplateMixin, RoleRequiredMixin, paginate, safe_next
from oversight.tenancy.choices import Role
from oversight.tenancy.roles import MANAGEMENT_ROLES, VENDOR_ROLES
from oversight.tickets import exports
from oversight.tickets.choices import OPEN_STATUSES, Status
from oversight.tickets.filters import SORT_KEYS, WorkOrderFilter
from oversight.tickets.forms import BulkForm
from oversight.tickets.selectors import breached_q, queue, work_order_list
from oversight.tickets.services import work_orders_bulk_change
from oversight.tickets.views.display import with_live_sla

QUEUES = (
    ("mine", _("Mine")),
    ("team", _("My team")),
    ("unassigned", _("Unassigned")),
    ("due_soon", _("Due within the hour")),
    ("breached", _("Breached")),
)
QUEUE_NAMES = tuple(name for name, _label in QUEUES)
# The workbench offers the filters an agent works by; the board offers every filter but these.
WORKBENCH_HIDDEN_FILTERS = (
    "vendor assignee kind channel breached due_before due_after created_after created_before ordering"
)


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
        base = queue(visible, user=user, name=name, now=now)
        filterset = WorkOrderFilter(self.request.GET, queryset=base, user=user)
        qs = filterset.qs if filterset.is_valid() else base.none()
        qs, sorting = sort_list(
            qs,
            self.request,
            keys=SORT_KEYS,
            default=(F("sla_next_due_at").asc(nulls_last=True), "-created_at", "-id"),
        )
        page = paginate(qs, self.request)
        page.items = with_live_sla(page.items, now)
        context.update(
            queue=name,
            queues=[{"name": key, "label": label, "count": counts[key]} for key, label in QUEUES],
            filterset=filterset,
            page=page,
            sorting=sorting,
            workbench_skip=WORKBENCH_HIDDEN_FILTERS,
            bulk_form=BulkForm(user=user, initial={"next": self.request.get_full_path()}),
            keep={"queue": name},
            reset_query=f"queue={name}",
        )
        return context


def board_filterset(request) -> WorkOrderFilter:
    """The board's filters (open work orders unless a status is chosen) over what the user may see."""
    data = request.GET.copy()
    if not data.getlist("status"):
        data.setlist("status", ["open"])
    return WorkOrderFilter(data, queryset=work_order_list(user=request.user), user=request.user)


class BoardView(RoleRequiredMixin, HtmxTemplateMixin, TemplateView):
    """`/board/` (监管界面): every open work order across vendors, SLA state, filters, counts, export."""

    allowed_roles = MANAGEMENT_ROLES
    template_name = "tickets/board.html"
    partial_template_name = "tickets/partials/board_results.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = clock.now()
        filterset = board_filterset(self.request)
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
        qs, sorting = sort_list(qs, self.request, keys=SORT_KEYS, default=("-created_at", "-id"))
        page = paginate(qs, self.request, count=total)
        page.items = with_live_sla(page.items, now)
        context.update(
            filterset=filterset,
            valid=valid,
            page=page,
            sorting=sorting,
            total=total,
            by_status=by_status,
            by_vendor=by_vendor,
            sla_counts=sla,
            export_query=self.request.GET.urlencode(),
            bulk_form=BulkForm(user=self.request.user, initial={"next": self.request.get_full_path()}),
        )
        return context


def export_response(queryset, fmt: str):
    """The work orders as a CSV or XLSX download (the board's export and the export of a selection)."""
    # The reader's local time (the active zone), as in the rows of the file.
    stamp = timezone.localtime(clock.now()).strftime("%Y%m%d-%H%M")
    if fmt == "xlsx":
        return exports.xlsx_response(queryset, filename=f"work-orders-{stamp}.xlsx")
    return exports.csv_response(queryset, filename=f"work-orders-{stamp}.csv")


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
        return export_response(filterset.qs, fmt)


class BulkView(RoleRequiredMixin, View):
    """POST `/board/bulk/`: one change for the ticked work orders of the board or a queue, or their export.

    Each work order is read through the visibility gate and changed by its single service (its guards, its
    audit); the result page lists what was done and what was refused, with the reason, item by item."""

    allowed_roles = MANAGEMENT_ROLES | VENDOR_ROLES
    http_method_names = ["post"]

    def post(self, request):
        form = BulkForm(request.POST, user=request.user)
        back = safe_next(request, fallback=request.META.get("HTTP_REFERER") or "/")
        if not form.is_valid():
            context = {"form": form, "outcomes": [], "missing": 0, "back": back}
            return render(request, "tickets/bulk_result.html", context, status=400)
        data = form.cleaned_data
        ids = data["ids"]
        visible = work_order_list(user=request.user).filter(pk__in=ids)
        if data["action"].startswith("export_"):
            return export_response(visible.order_by("-created_at", "-id"), data["action"].removeprefix("export_"))
        if request.user.is_read_only:
            raise PermissionDenied(_("Your role can read but not change work orders."))
        rows = {wo.pk: wo for wo in visible}
        outcomes = work_orders_bulk_change(
            actor=request.user,
            work_orders=[rows[pk] for pk in ids if pk in rows],
            action=data["action"],
            assignee=data.get("assignee"),
            team=data.get("team"),
            service=data.get("service"),
            impact=data.get("impact"),
            urgency=data.get("urgency"),
            reason=data.get("reason") or "",
        )
        context = {
            "form": form,
            "action_label": dict(BulkForm.ACTIONS)[data["action"]],
            "done": [o for o in outcomes if o.done],
            "refused": [o for o in outcomes if not o.done],
            # Ids that are not visible are reported as a count only: nobody learns which exist.
            "missing": len(ids) - len(rows),
            "back": back,
        }
        return render(request, "tickets/bulk_result.html", context)
