"""Web pages of the report delivery: the schedules, a schedule with its deliveries and every recipient's outcome,
the forms to create and change one, switch it off or on, and "send now".

Views only parse input and call reports.services; what anyone may see comes from reports.selectors.schedules
(an invisible schedule is a 404). The client side reads every schedule of its organisation and a vendor manager
its own vendor's; only client administrators and supervisors open the forms and actions (others get 403).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from oversight.core.errors import ApplicationError, NotAllowed
from oversight.core.views import RoleRequiredMixin, paginate
from oversight.reports import services
from oversight.reports.choices import RecipientOutcome
from oversight.reports.forms import ScheduleForm, SendForm
from oversight.reports.permissions import may_manage_schedules
from oversight.reports.selectors import schedules as selectors
from oversight.tenancy.roles import CLIENT_OPERATORS, MANAGEMENT_ROLES


class ScheduleListView(RoleRequiredMixin, TemplateView):
    """`/reports/schedules/`: the schedules the user may see, with their recipients and next sending day."""

    allowed_roles = MANAGEMENT_ROLES
    template_name = "reports/schedule_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        page = paginate(
            selectors.schedule_list(user=user).order_by("-is_active", "vendor__name", "kind", "pk"), self.request
        )
        rows = [{"schedule": s, "next": services.schedule_next_send_day(s)} for s in page.items]
        context.update(page=page, rows=rows, may_manage=may_manage_schedules(user, user.organisation_id))
        return context


def _form_page(request, form, *, schedule=None, status=200):
    title = _("Change the report schedule") if schedule else _("New report schedule")
    return render(
        request, "reports/schedule_form.html", {"form": form, "schedule": schedule, "title": title}, status=status
    )


def _submit(request, form, save, *, schedule=None, done):
    """Hand the form's data to a service; its refusals go back on the form (400), success to the schedule page."""
    if form.is_valid():
        data = form.cleaned_data
        fields = {name: data[name] for name in ("contract", "kind", "working_day", "calendar", "recipients")}
        try:
            saved = save(**fields)
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except ApplicationError as exc:
            field = exc.extra.get("field")
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            messages.success(request, done)
            return redirect("reports:schedule_detail", pk=saved.pk)
    return _form_page(request, form, schedule=schedule, status=400)


class ScheduleCreateView(RoleRequiredMixin, View):
    """`/reports/schedules/new/`: a new schedule (client administrators and supervisors)."""

    allowed_roles = CLIENT_OPERATORS

    def get(self, request):
        return _form_page(request, ScheduleForm(user=request.user))

    def post(self, request):
        form = ScheduleForm(request.POST, user=request.user)

        def save(**fields):
            return services.schedule_create(
                actor=request.user,
                organisation=request.user.organisation,
                vendor=form.cleaned_data["vendor"],
                **fields,
            )

        return _submit(request, form, save, done=_("The report schedule was created."))


class ScheduleEditView(RoleRequiredMixin, View):
    """`/reports/schedules/<pk>/edit/`: change what, when and to whom (the vendor stays)."""

    allowed_roles = CLIENT_OPERATORS

    def get(self, request, pk):
        schedule = selectors.schedule_get(user=request.user, pk=pk)
        initial = {
            "vendor": schedule.vendor_id,
            "contract": schedule.contract_id,
            "kind": schedule.kind,
            "working_day": schedule.working_day,
            "calendar": schedule.calendar_id,
            "recipients": [u.pk for u in schedule.recipients.all()],
        }
        form = ScheduleForm(initial=initial, user=request.user, fixed_vendor=schedule.vendor)
        return _form_page(request, form, schedule=schedule)

    def post(self, request, pk):
        schedule = selectors.schedule_get(user=request.user, pk=pk)
        form = ScheduleForm(request.POST, user=request.user, fixed_vendor=schedule.vendor)

        def save(**fields):
            return services.schedule_update(actor=request.user, schedule=schedule, **fields)

        return _submit(request, form, save, schedule=schedule, done=_("The report schedule was saved."))


class ScheduleDetailView(RoleRequiredMixin, TemplateView):
    """`/reports/schedules/<pk>/`: a schedule, its next sending day and every delivery with each recipient's outcome."""

    allowed_roles = MANAGEMENT_ROLES
    template_name = "reports/schedule_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        schedule = selectors.schedule_get(user=user, pk=kwargs["pk"])
        next_day, pending = services.schedule_next_send_day(schedule)
        context.update(
            schedule=schedule,
            next_day=next_day,
            pending=pending or schedule.pending_reason,
            page=paginate(selectors.delivery_list(user=user, schedule=schedule), self.request, per_page=24),
            may_manage=may_manage_schedules(user, schedule.organisation_id),
            send_form=SendForm(),
            failed=RecipientOutcome.FAILED,
        )
        return context


class _ScheduleAction(RoleRequiredMixin, View):
    """POST on a visible schedule by a client administrator or supervisor; back to the schedule page."""

    allowed_roles = CLIENT_OPERATORS

    def post(self, request, pk):
        schedule = selectors.schedule_get(user=request.user, pk=pk)
        try:
            text = self.act(request, schedule)
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc  # a role that may not do this gets 403, not a redirect
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, text)
        return redirect("reports:schedule_detail", pk=schedule.pk)

    def act(self, request, schedule) -> str:
        raise NotImplementedError


class ScheduleDeactivateView(_ScheduleAction):
    """Switch a schedule off."""

    def act(self, request, schedule) -> str:
        services.schedule_deactivate(actor=request.user, schedule=schedule)
        return _("The schedule is switched off: nothing more is sent.")


class ScheduleActivateView(_ScheduleAction):
    """Switch a schedule back on."""

    def act(self, request, schedule) -> str:
        services.schedule_activate(actor=request.user, schedule=schedule)
        return _("The schedule is switched on again, from its next sending day.")


class ScheduleSendView(_ScheduleAction):
    """ "Send now": e-mail an ended period's report (once per period; a failed delivery is retried)."""

    def act(self, request, schedule) -> str:
        form = SendForm(request.POST)
        key = form.cleaned_data["period"] if form.is_valid() else ""
        delivery = services.delivery_send(
            schedule=schedule, period=services.period_to_send(schedule, key), actor=request.user
        )
        counts = {outcome: 0 for outcome in RecipientOutcome.values}
        for outcome in delivery.outcomes.values_list("outcome", flat=True):
            counts[outcome] += 1
        return _("The report of %(period)s was sent: %(sent)s e-mailed, %(skipped)s skipped, %(failed)s failed.") % {
            "period": delivery.period_key,
            **counts,
        }
