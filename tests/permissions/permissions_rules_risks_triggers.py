"""The permission matrix's knowledge of the trigger part of the risks app: key risk indicators with their readings,
the risk events their breaches raise, and the Markov model of vendor states.

Rules (issue 10 "Key risk indicators and live triggers", the risks app's shared design): the client side of the
organisation (administrator, supervisor, executive, auditor) reads its KRIs, readings, risk events and vendor
states; vendor staff and requesters are refused (403) before anything is read; another organisation's objects are
404. Client administrators and supervisors create, change and evaluate KRIs and change the vendor-state settings.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from oversight.core import clock
from oversight.risks.models import (
    KeyRiskIndicator,
    KriReading,
    KriRiskLink,
    RiskEvent,
    RiskEventEffect,
    VendorStateSettings,
)
from oversight.tenancy.choices import Role
from tests.permissions.permissions_support import CLIENT_SIDE, Matrix, Payload, describe_app, secret, side

OPERATORS = frozenset({Role.CLIENT_ADMIN, Role.CLIENT_SUPERVISOR})
START = dt.date(2026, 1, 1)


def build(matrix: Matrix) -> None:
    """A KRI with a reading and a risk event in our organisation (A) and in the other one (X)."""
    world = matrix.world
    now = clock.now()
    kris, events = {}, {}
    for key, org, vendor in (("A", world.org, world.vendor), ("X", world.other_org, world.foreign_vendor)):
        kri = KeyRiskIndicator.objects.create(
            organisation=org,
            name=secret(f"Kri{key}", "Name"),
            rule="cost_deviation",
            vendor=vendor,
            amber_threshold=Decimal("5"),
            red_threshold=Decimal("10"),
            starts_on=START,
            created_at=now,
            updated_at=now,
        )
        KriReading.objects.create(
            kri=kri,
            period_start=START,
            period_end=START.replace(day=31),
            value=Decimal("12.5"),
            status="red",
            computed_at=now,
        )
        kris[key] = kri
        events[key] = RiskEvent.objects.create(
            organisation=org,
            kri=kri,
            episode_start=START,
            breached_on=START,
            value=Decimal("12.5"),
            raised_at=now,
            applied_at=now,
        )
    matrix.objects["kri"] = kris
    matrix.objects["risk_event"] = events


def _sees(matrix: Matrix, role: str, obj) -> bool:
    user = matrix.user(role)
    return user is not None and side(user) == "client" and obj.organisation_id == user.organisation_id


def _kri_form(target, matrix: Matrix) -> Payload:
    return Payload(
        {
            "name": "PmxNewKri",
            "rule": "cost_deviation",
            "vendor": matrix.world.vendor.pk,
            "higher_is_worse": "1",
            "amber_threshold": "5",
            "red_threshold": "10",
            "window": "month",
            "window_days": "1",
            "persistence": "2",
            "rule_days": "30",
            "starts_on": START.isoformat(),
            "is_active": "on",
            "raise_levels": "1",
        }
    )


def _kri_json(target, matrix: Matrix) -> Payload:
    return Payload(
        {
            "name": "PmxApiKri",
            "rule": "cost_deviation",
            "vendor": matrix.world.vendor.pk,
            "amber_threshold": "5",
            "red_threshold": "10",
            "starts_on": START.isoformat(),
        },
        json=True,
    )


def _settings_form(target, matrix: Matrix) -> Payload:
    return Payload(
        {
            "watch_below": "85",
            "warning_below": "75",
            "remediation_below": "60",
            "warning_missed": "2",
            "remediation_missed": "3",
            "watch_breaches": "5",
            "prior": "0.85 0.1 0.03 0.015 0.005\n0.3 0.5 0.12 0.06 0.02\n0.1 0.25 0.4 0.2 0.05\n"
            "0.05 0.1 0.2 0.5 0.15\n0 0 0 0 1",
            "prior_strength": "2",
            "min_observations": "6",
        }
    )


describe_app(
    "risks",
    models={"kri": KeyRiskIndicator, "risk_event": RiskEvent},
    build=build,
    rules={"kri": _sees, "risk_event": _sees},
    tables=(KeyRiskIndicator, KriReading, KriRiskLink, RiskEvent, RiskEventEffect, VendorStateSettings),
    pk_models={
        "risks:kri_detail": "kri",
        "risks:kri_edit": "kri",
        "risks:kri_evaluate": "kri",
        "risks:vendor_state_detail": "vendor",
    },
    gates={
        "risks:kri_list": CLIENT_SIDE,
        "risks:kri_detail": CLIENT_SIDE,
        "risks:risk_events": CLIENT_SIDE,
        "risks:vendor_states": CLIENT_SIDE,
        "risks:vendor_state_detail": CLIENT_SIDE,
        "risks:kri_create": OPERATORS,
        "risks:kri_edit": OPERATORS,
        "risks:kri_evaluate": OPERATORS,
        "risks:vendor_state_settings": OPERATORS,
        "api:kri-list": CLIENT_SIDE,
        "api:kri-detail": CLIENT_SIDE,
        "api:kri-readings": CLIENT_SIDE,
        "api:kri-evaluate": CLIENT_SIDE,
        "api:risk-event-list": CLIENT_SIDE,
        "api:risk-event-detail": CLIENT_SIDE,
        "api:vendor-state-list": CLIENT_SIDE,
        "api:vendor-state-detail": CLIENT_SIDE,
    },
    uncounted_lists={
        "api:vendor-state-list": "one computed model (the matrix and a forecast per vendor), not rows of a model",
    },
    payloads={
        ("risks:kri_create", "post"): _kri_form,
        ("risks:kri_edit", "post"): _kri_form,
        ("risks:kri_evaluate", "post"): lambda target, matrix: Payload({}),
        ("risks:vendor_state_settings", "post"): _settings_form,
        ("api:kri-list", "post"): _kri_json,
        ("api:kri-detail", "put"): _kri_json,
        ("api:kri-evaluate", "post"): lambda target, matrix: Payload({}, json=True),
    },
)
