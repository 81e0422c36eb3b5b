"""Effective-dated calendars through the services (docs/adr/0015): an edit applies from when it is made; time
already counted keeps the calendar it was counted on, unless an administrator applies the edit to open work
orders, which is audited. Before, clocks were rebuilt on today's calendar and a past holiday erased counted time.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from oversight.audit.models import AuditEntry
from oversight.catalog.models import CalendarRevision
from oversight.catalog.services import calendar_set_day
from oversight.core.clock import frozen_at
from oversight.core.errors import NotAllowed
from oversight.tickets import services
from oversight.tickets.choices import Action
from oversight.tickets.models import WorkOrder
from oversight.tickets.sla import sla_apply_calendar_to_open_work_orders, sla_clocks_rebuild
from tests.factories import signed_in

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)  # a Monday; the world's calendar is 24x7 in UTC
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


def resolution(wo) -> object:
    return WorkOrder.objects.get(pk=wo.pk).clocks.get(metric="resolution")


def create(world):
    with frozen_at(T0):
        return services.work_order_create(actor=world.users["requester"], service=world.service, title="Printer")


def act(world, wo, action, at, who="vendor_agent", **kwargs):
    with frozen_at(at):
        return services.work_order_transition(actor=world.users[who], work_order=wo, action=action, **kwargs)


def make_holiday(world, day: dt.date, at: dt.datetime) -> None:
    with frozen_at(at):
        calendar_set_day(actor=world.users["client_admin"], calendar=world.calendar, date=day, is_working=False)


def test_a_past_day_made_a_holiday_keeps_the_time_counted_on_it(world):
    wo = create(world)
    wo = act(world, wo, Action.ACCEPT, T0 + HOUR)
    wo = act(world, wo, Action.RESOLVE, T0 + 2 * HOUR, resolution="replaced toner")
    assert resolution(wo).elapsed_seconds == 7200
    make_holiday(world, T0.date(), T0 + 3 * DAY)
    wo = act(world, wo, Action.REOPEN, T0 + 3 * DAY + HOUR, who="requester", note="jammed again")
    assert resolution(wo).elapsed_seconds == 7200  # was 0 when clocks were rebuilt on today's calendar
    assert CalendarRevision.objects.filter(calendar=world.calendar).count() >= 2


def test_a_future_holiday_moves_the_deadline_of_an_open_work_order(world):
    wo = create(world)
    due = resolution(wo).due_at
    assert due.date() == T0.date() + DAY  # 16 hours after Monday 09:00
    make_holiday(world, T0.date() + DAY, T0 + HOUR)
    with frozen_at(T0 + 2 * HOUR):
        sla_clocks_rebuild(work_order=WorkOrder.objects.get(pk=wo.pk))
    assert resolution(wo).due_at == due + DAY


def test_applying_an_edit_to_open_work_orders_is_explicit_and_audited(world):
    wo = create(world)
    with frozen_at(T0 + DAY):
        sla_clocks_rebuild(work_order=WorkOrder.objects.get(pk=wo.pk))
    assert resolution(wo).elapsed_seconds == 24 * 3600
    make_holiday(world, T0.date(), T0 + DAY)  # Monday made a holiday on Tuesday morning
    with frozen_at(T0 + DAY + HOUR):
        sla_clocks_rebuild(work_order=WorkOrder.objects.get(pk=wo.pk))
    assert resolution(wo).elapsed_seconds == 25 * 3600  # the edit applies from Tuesday on
    with pytest.raises(NotAllowed):
        sla_apply_calendar_to_open_work_orders(actor=world.users["client_supervisor"], calendar=world.calendar)
    with frozen_at(T0 + DAY + HOUR):
        result = sla_apply_calendar_to_open_work_orders(actor=world.users["client_admin"], calendar=world.calendar)
    assert result["work_orders_changed"] == 1 and result["clocks_changed"] >= 1
    # Monday's 15 hours (09:00 to midnight) no longer count: for this work order Monday is a holiday throughout.
    assert resolution(wo).elapsed_seconds == 25 * 3600 - 15 * 3600
    entry = AuditEntry.objects.get(action="catalog.calendar.applied_to_open_work_orders")
    assert entry.actor == world.users["client_admin"] and entry.after["work_orders_changed"] == 1
    # A later rebuild keeps the applied change.
    with frozen_at(T0 + DAY + 2 * HOUR):
        sla_clocks_rebuild(work_order=WorkOrder.objects.get(pk=wo.pk))
    assert resolution(wo).elapsed_seconds == 26 * 3600 - 15 * 3600


def test_the_calendar_page_applies_an_edit_to_open_work_orders_for_the_client_administrator_only(world):
    wo = create(world)
    make_holiday(world, T0.date(), T0 + DAY)
    url = reverse("tickets:calendar_apply", args=[world.calendar.pk])
    assert signed_in(world.users["client_supervisor"]).post(url).status_code == 403
    assert signed_in(world.users["foreign_admin"]).post(url).status_code == 404
    assert not AuditEntry.objects.filter(action="catalog.calendar.applied_to_open_work_orders").exists()
    with frozen_at(T0 + DAY + HOUR):
        response = signed_in(world.users["client_admin"]).post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("catalog:calendar", args=[world.calendar.pk])
    entry = AuditEntry.objects.get(action="catalog.calendar.applied_to_open_work_orders")
    assert entry.actor == world.users["client_admin"] and entry.after["work_orders"] == 1
    assert resolution(wo).elapsed_seconds == 25 * 3600 - 15 * 3600
