"""The permission matrix's knowledge of the client administrator's setup pages (catalog and people).

Rules (issue 8, "Administration"): services, SLA policies, business calendars and people are managed on these
pages by the client administrator alone, and only for their own organisation. Every other role gets 403 on
every page; another organisation's objects are 404 (never a hint that they exist). The objects are the
matrix's own (services, policies, calendars, users of both organisations)."""

from __future__ import annotations

from oversight.catalog.models import (
    BusinessCalendar,
    CalendarDay,
    CalendarInterval,
    CalendarYear,
    Service,
    SLAPolicy,
    SLAPolicyVersion,
)
from oversight.tenancy.choices import Role
from oversight.tenancy.models import User
from tests.permissions.permissions_support import Payload, describe_app

ADMINISTRATORS = frozenset({Role.CLIENT_ADMIN})


def _form(data):
    return lambda target, matrix: Payload(data(target, matrix) if callable(data) else dict(data))


def _service(target, matrix):
    world = matrix.world
    return {
        "code": "pmx-setup",
        "name": "PmxSetupService",
        "category": world.service.category_id,
        "vendor": world.vendor.pk,
        "sla_policy": world.policy.pk,
    }


def _calendar(target, matrix):
    return {
        "name": "PmxSetupCalendar",
        "time_zone": "Asia/Shanghai",
        "holiday_source": "none",
        "hours_0": "08:00-17:00",
    }


describe_app(
    "catalog",
    models={"service": Service, "sla_policy": SLAPolicy, "calendar": BusinessCalendar},
    gates={
        name: ADMINISTRATORS
        for name in (
            "catalog:services",
            "catalog:service_create",
            "catalog:service_edit",
            "catalog:service_active",
            "catalog:policies",
            "catalog:policy_create",
            "catalog:policy",
            "catalog:policy_version",
            "catalog:calendars",
            "catalog:calendar_create",
            "catalog:calendar",
            "catalog:calendar_edit",
            "catalog:calendar_day",
            "catalog:calendar_year",
            "tickets:calendar_apply",
        )
    },
    pk_models={
        "catalog:service_edit": "service",
        "catalog:service_active": "service",
        "catalog:policy": "sla_policy",
        "catalog:policy_version": "sla_policy",
        "catalog:calendar": "calendar",
        "catalog:calendar_edit": "calendar",
        "catalog:calendar_day": "calendar",
        "catalog:calendar_year": "calendar",
        "tickets:calendar_apply": "calendar",
    },
    payloads={
        ("catalog:service_create", "post"): _form(_service),
        ("catalog:service_edit", "post"): _form(_service),
        ("catalog:service_active", "post"): _form({"active": "0"}),
        ("catalog:policy_create", "post"): _form({"name": "PmxSetupPolicy", "code": "pmx-setup"}),
        ("catalog:policy_version", "post"): _form({"warning_percent": "80", "hours_P1_response": "1"}),
        ("catalog:calendar_create", "post"): _form(_calendar),
        ("catalog:calendar_edit", "post"): _form(_calendar),
        ("catalog:calendar_day", "post"): _form({"date": "2026-12-04", "kind": "holiday", "name": "PmxHoliday"}),
        ("catalog:calendar_year", "post"): _form({"year": "2099", "action": "confirm"}),
        ("tickets:calendar_apply", "post"): _form({}),
    },
    tables=(Service, SLAPolicy, SLAPolicyVersion, BusinessCalendar, CalendarInterval, CalendarDay, CalendarYear),
)

describe_app(
    "people",
    models={"user": User},
    gates={
        name: ADMINISTRATORS
        for name in ("people:list", "people:invite", "people:detail", "people:active", "people:invite_again")
    },
    pk_models={"people:detail": "user", "people:active": "user", "people:invite_again": "user"},
    payloads={
        ("people:invite", "post"): _form(
            {"username": "pmx_invited", "email": "pmx@example.org", "role": Role.REQUESTER, "language": "en"}
        ),
        ("people:detail", "post"): _form({"role": Role.CLIENT_SUPERVISOR}),
        ("people:active", "post"): _form({"active": "0"}),
        ("people:invite_again", "post"): _form({}),
    },
    excluded={
        "password_reset_confirm": "the public single-use link of an invitation (a token, no object of the matrix): "
        "tests/tenancy/test_tenancy_people_pages.py",
    },
)
