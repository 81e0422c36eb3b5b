"""The one calendar action that reaches work orders: apply a calendar as it is now to its open work orders
(docs/adr/0015-effective-dated-calendars.md), a button on the client administrator's calendar page."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views import View

from oversight.catalog.selectors import calendar_administered
from oversight.core.errors import ApplicationError
from oversight.core.views import show_error
from oversight.tenancy.views import AdministratorMixin
from oversight.tickets.sla import sla_apply_calendar_to_open_work_orders


class CalendarApplyView(AdministratorMixin, View):
    """POST `/setup/calendars/<pk>/apply/`: open work orders measure all their time on the calendar as it is now."""

    def post(self, request, pk):
        calendar = calendar_administered(user=request.user, pk=pk)
        try:
            result = sla_apply_calendar_to_open_work_orders(actor=request.user, calendar=calendar)
        except ApplicationError as exc:
            show_error(request, exc)
        else:
            messages.success(
                request,
                _(
                    "The calendar as it is now applies to its %(count)s open work orders; %(changed)s of them got "
                    "new due times."
                )
                % {"count": result["work_orders"], "changed": result["work_orders_changed"]},
            )
        return redirect("catalog:calendar", pk=calendar.pk)
