"""The requester portal: own work orders, the submit form (also opened from QR codes), offering options."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from oversight.catalog.selectors import offering_list
from oversight.core.errors import ApplicationError, IdempotencyKeyReused
from oversight.core.filters import parse_id
from oversight.core.views import HtmxTemplateMixin, paginate
from oversight.tenancy.choices import Role
from oversight.tickets import permissions
from oversight.tickets.choices import Channel, Status
from oversight.tickets.forms import WorkOrderCreateForm
from oversight.tickets.selectors import intake_point_get, work_order_list
from oversight.tickets.services import attachment_create, work_order_create_idempotent
from oversight.tickets.views.display import with_live_sla


class PortalView(LoginRequiredMixin, HtmxTemplateMixin, TemplateView):
    """`/portal/`: the user's own work orders (a requester with the grant also sees their department's)."""

    template_name = "tickets/portal.html"
    partial_template_name = "tickets/partials/portal_results.html"
    SHOW = (("open", _("Open")), ("done", _("Finished")), ("all", _("All")))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        qs = work_order_list(user=user)
        if user.is_superuser or user.role != Role.REQUESTER:
            qs = qs.filter(Q(requester=user) | Q(created_by=user))
        show = self.request.GET.get("show", "open")
        if show == "open":
            qs = qs.exclude(status__in=(Status.CLOSED, Status.CANCELLED))
        elif show == "done":
            qs = qs.filter(status__in=(Status.CLOSED, Status.CANCELLED))
        else:
            show = "all"
        page = paginate(qs.order_by("-created_at", "-id"), self.request)
        page.items = with_live_sla(page.items)
        context.update(page=page, show=show, show_choices=self.SHOW, may_create=permissions.may_create(user))
        return context


class WorkOrderCreateView(LoginRequiredMixin, View):
    """`/portal/new/`: submit a work order; a repeated submit of the same form creates nothing new."""

    template_name = "tickets/work_order_form.html"
    channel = Channel.PORTAL
    intake_point = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not permissions.may_create(request.user):
            raise PermissionDenied(_("Your role cannot submit work orders."))
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict:
        initial = {"site": self.request.user.department_id}
        service = parse_id(self.request.GET.get("service"))
        if service:
            initial["service"] = service
        return initial

    def render_form(self, form, status: int = 200):
        context = {"form": form, "intake_point": self.intake_point, "channel": self.channel}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        return self.render_form(WorkOrderCreateForm(user=request.user, initial=self.get_initial()))

    def post(self, request, *args, **kwargs):
        form = WorkOrderCreateForm(request.POST, request.FILES, user=request.user, initial=self.get_initial())
        if form.is_valid():
            try:
                work_order, created = self.submit(form)
            except IdempotencyKeyReused as exc:
                # Back button, changed text, sent again: the page's key already made a work order.
                message = _("This form was already sent as %(number)s. Open a new form to report something else.")
                form.add_error(None, message % {"number": exc.extra["work_order"]})
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                if created:
                    messages.success(request, _("Work order %(number)s was received.") % {"number": work_order.number})
                else:
                    messages.info(
                        request,
                        _("This request was already submitted as %(number)s; nothing was added.")
                        % {"number": work_order.number},
                    )
                return redirect("tickets:detail", number=work_order.number)
        return self.render_form(form, status=400)

    def submit(self, form):
        """Create the work order and its attachments in one transaction (a bad file leaves nothing behind)."""
        data = form.cleaned_data
        user = self.request.user
        requester = data.get("requester") or user
        channel = self.channel
        if channel == Channel.PORTAL and requester.pk != user.pk:
            channel = Channel.PHONE
        with transaction.atomic():
            work_order, created = work_order_create_idempotent(
                actor=user,
                requester=requester,
                service=data["service"],
                offering=data.get("offering"),
                title=data["title"],
                description=data["description"],
                site=data.get("site"),
                location_detail=data.get("location_detail", ""),
                asset_tag=data.get("asset_tag", ""),
                contact_phone=data.get("contact_phone", ""),
                impact=data["impact"],
                urgency=data["urgency"],
                channel=channel,
                idempotency_key=data["idempotency_key"],
            )
            if created:
                for upload in data.get("attachments") or []:
                    attachment_create(actor=user, work_order=work_order, upload=upload)
        return work_order, created


class IntakeView(WorkOrderCreateView):
    """`/q/<token>/`: a QR code on a device or in a room opens the submit form pre-filled (channel: QR)."""

    channel = Channel.QR

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            point = intake_point_get(token=kwargs["token"])
            if not request.user.is_superuser and point.organisation_id != request.user.organisation_id:
                raise Http404
            self.intake_point = point
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict:
        point = self.intake_point
        return {
            "service": point.service_id,
            "offering": point.offering_id,
            "site": point.site_id or self.request.user.department_id,
            "asset_tag": point.asset_tag,
        }


class OfferingOptionsView(LoginRequiredMixin, View):
    """htmx: the <option>s of the offering select for the chosen service."""

    def get(self, request):
        service = parse_id(request.GET.get("service"))
        offerings = offering_list(user=request.user).none()
        if service:
            offerings = offering_list(user=request.user).filter(service_id=service, is_active=True).order_by("name")
        return render(request, "tickets/partials/offering_options.html", {"offerings": offerings})
