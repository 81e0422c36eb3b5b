"""Pages of communication plans and meeting series: the plan list, a new plan, a plan with its rows and series,
a series with its meetings (and scheduling them on the business calendar)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from oversight.core.errors import ApplicationError
from oversight.core.views import RoleRequiredMixin, paginate, save_form, show_error
from oversight.core.zones import local_date, local_today
from oversight.meetings import permissions, selectors, services
from oversight.meetings.forms import MeetingForm, PlanForm, PlanRowForm, SeriesForm, people_of
from oversight.meetings.presentation import rule_text
from oversight.meetings.views.common import READERS, post_form
from oversight.tenancy.roles import CLIENT_OPERATORS


class PlanListView(RoleRequiredMixin, TemplateView):
    """`/meetings/plans/`: the communication plans the user may see."""

    allowed_roles = READERS
    template_name = "meetings/plan_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page"] = paginate(selectors.plan_list(user=self.request.user), self.request)
        context["may_plan"] = permissions.may_plan(self.request.user)
        return context


class PlanCreateView(RoleRequiredMixin, View):
    """`/meetings/plans/new/`: open a communication plan for a vendor."""

    allowed_roles = CLIENT_OPERATORS
    template_name = "meetings/plan_form.html"

    def get(self, request):
        return render(request, self.template_name, {"form": PlanForm(user=request.user)})

    def post(self, request):
        form = PlanForm(request.POST, user=request.user)

        def save(data):
            return services.plan_create(actor=request.user, **{k: v for k, v in data.items() if v not in (None, "")})

        return save_form(request, form, save, message=_("Plan created."), template_name=self.template_name, context={})


def _people(request, plan):
    return people_of(user=request.user, organisation_id=plan.organisation_id, vendor_id=plan.vendor_id).order_by(
        "username"
    )


def plan_page(request, plan, *, status: int = 200, forms: dict | None = None):
    """A plan with its rows, series and meetings, and the forms of those who may change it."""
    user = request.user
    forms = forms or {}
    may_plan = permissions.may_plan(user, plan.organisation_id)
    if may_plan:
        people = _people(request, plan)
        forms.setdefault("row", PlanRowForm(people=people))
        forms.setdefault("series", SeriesForm(people=people))
        forms.setdefault("meeting", MeetingForm(people=people))
    context = {
        "plan": plan,
        "rows": selectors.plan_rows(user=user, plan=plan),
        "series": selectors.series_list(user=user).filter(plan=plan),
        "meetings": selectors.meeting_list(user=user)
        .filter(plan=plan, series__isnull=True)
        .order_by("-starts_at")[:20],
        "may_plan": may_plan,
        "forms": forms,
    }
    return render(request, "meetings/plan_detail.html", context, status=status)


class PlanDetailView(RoleRequiredMixin, View):
    """`/meetings/plans/<pk>/`: a plan."""

    allowed_roles = READERS

    def get(self, request, pk):
        return plan_page(request, selectors.plan_get(user=request.user, pk=pk))


class PlanRowCreateView(RoleRequiredMixin, View):
    """`/meetings/plans/<pk>/rows/`: add a row to a plan."""

    allowed_roles = CLIENT_OPERATORS

    def post(self, request, pk):
        plan = selectors.plan_get(user=request.user, pk=pk)
        form = PlanRowForm(request.POST, people=_people(request, plan))
        return post_form(
            request,
            plan,
            form,
            call=lambda data: services.plan_row_add(actor=request.user, plan=plan, **data),
            success=_("Row added."),
            page=lambda status, form: plan_page(request, plan, status=status, forms={"row": form}),
        )


class SeriesCreateView(RoleRequiredMixin, View):
    """`/meetings/plans/<pk>/series/`: add a meeting series to a plan."""

    allowed_roles = CLIENT_OPERATORS

    def post(self, request, pk):
        plan = selectors.plan_get(user=request.user, pk=pk)
        form = SeriesForm(request.POST, people=_people(request, plan))

        def call(data):
            start = data.pop("start_time")
            series = services.series_create(
                actor=request.user,
                plan=plan,
                start_minute=start.hour * 60 + start.minute,
                **{k: v for k, v in data.items() if k == "participants" or v not in (None, "")},
            )
            services.series_schedule(actor=request.user, series=series)

        return post_form(
            request,
            plan,
            form,
            call=call,
            success=_("Series added and its meetings scheduled."),
            page=lambda status, form: plan_page(request, plan, status=status, forms={"series": form}),
        )


class MeetingCreateView(RoleRequiredMixin, View):
    """`/meetings/plans/<pk>/meetings/`: schedule a meeting outside the plan's series."""

    allowed_roles = CLIENT_OPERATORS

    def post(self, request, pk):
        plan = selectors.plan_get(user=request.user, pk=pk)
        form = MeetingForm(request.POST, people=_people(request, plan))
        created = {}

        def call(data):
            created["meeting"] = services.meeting_create(actor=request.user, plan=plan, **data)

        response = post_form(
            request,
            plan,
            form,
            call=call,
            success=_("Meeting scheduled."),
            page=lambda status, form: plan_page(request, plan, status=status, forms={"meeting": form}),
        )
        return redirect(created["meeting"]) if "meeting" in created else response


class SeriesDetailView(RoleRequiredMixin, TemplateView):
    """`/meetings/series/<pk>/`: a series, its rule and its meetings (moved ones marked)."""

    allowed_roles = READERS
    template_name = "meetings/series_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        series = selectors.series_get(user=user, pk=kwargs["pk"])
        calendar = series.plan.calendar
        context.update(
            series=series,
            rule_text=rule_text(series.rule),
            rows=[
                {"meeting": m, "moved": m.nominal_date != local_date(m.starts_at, calendar)}
                for m in selectors.series_meetings(user=user, series=series)
            ],
            may_plan=permissions.may_plan(user, series.organisation_id),
            today=local_today(series.plan.calendar),
        )
        return context


class SeriesScheduleView(RoleRequiredMixin, View):
    """`/meetings/series/<pk>/schedule/` (POST `until`): schedule the series' meetings up to a date."""

    allowed_roles = CLIENT_OPERATORS

    def post(self, request, pk):
        series = selectors.series_get(user=request.user, pk=pk)
        try:
            until = dt.date.fromisoformat(request.POST.get("until", "")) if request.POST.get("until") else None
        except ValueError:
            messages.error(request, _("Give a valid date."))
            return redirect(series)
        try:
            made = services.series_schedule(actor=request.user, series=series, until=until)
        except ApplicationError as exc:
            show_error(request, exc)
        else:
            messages.success(request, _("%(count)s meetings scheduled.") % {"count": len(made)})
        return redirect(series)


__all__ = [
    "MeetingCreateView",
    "PlanCreateView",
    "PlanDetailView",
    "PlanListView",
    "PlanRowCreateView",
    "SeriesCreateView",
    "SeriesDetailView",
    "SeriesScheduleView",
]
