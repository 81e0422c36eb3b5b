"""The permission matrix's knowledge of the vendor portfolio: the organisation's vendors, their tiers, monthly
scores, staff compliance, critical-service coverage, service qualifications and portfolio settings.

Rules (MISSION.md "Visibility", the portfolio app's stated design): the client side reads the portfolio of its
own organisation's vendors; a vendor manager reads only their own vendor's compliance page; everyone else is
refused (403) before any lookup. Client administrators and supervisors set tiers, enter scores, add and remove
service qualifications and change the portfolio settings; executives and auditors read them. The vendors,
services and organisations are the shared world's (rules in permissions_support.sees); a qualification is seen
by the client side of the service's organisation.
"""

from __future__ import annotations

import datetime as dt

from oversight.catalog.models import Service
from oversight.core import clock
from oversight.portfolio.models import PortfolioSettings, ServiceQualification, VendorMonthlyScore, VendorTierChange
from oversight.tenancy.choices import Role
from oversight.tenancy.models import Vendor
from tests.permissions.permissions_support import CLIENT_SIDE, Matrix, Payload, describe_app, side

COMPLIANCE_READERS = CLIENT_SIDE | {Role.VENDOR_MANAGER}


def _month() -> str:
    return clock.now().date().replace(day=1).isoformat()


def build(matrix: Matrix) -> None:
    """A: vendor 2 qualified as a backup for vendor 1's service; X: the other organisation's owner as primary."""
    world = matrix.world
    start = dt.date(2026, 1, 1)
    matrix.objects["qualification"] = {
        "A": ServiceQualification.objects.create(
            service=world.service, vendor=world.other_vendor, role="backup", valid_from=start
        ),
        "X": ServiceQualification.objects.create(
            service=world.foreign_service, vendor=world.foreign_vendor, role="primary", valid_from=start
        ),
    }


def sees_qualification(matrix: Matrix, role: str, qualification) -> bool:
    user = matrix.user(role)
    return user is not None and side(user) == "client" and qualification.service.organisation_id == user.organisation_id


def _qualify_on_page(target, matrix: Matrix) -> Payload:
    service = target.obj
    world = matrix.world
    vendor = world.other_vendor if service is not None and service.vendor_id == world.vendor.pk else world.vendor
    prefix = f"s{service.pk if service is not None else 0}"
    return Payload(
        {
            f"{prefix}-vendor": vendor.pk,
            f"{prefix}-role": "backup",
            f"{prefix}-valid_from": clock.now().date().isoformat(),
        }
    )


def _qualify_by_api(target, matrix: Matrix) -> Payload:
    world = matrix.world
    body = {"service": world.other_service.pk, "vendor": world.vendor.pk, "valid_from": clock.now().date().isoformat()}
    return Payload(body, json=True)


describe_app(
    "portfolio",
    models={"vendor": Vendor, "service": Service, "qualification": ServiceQualification},
    build=build,
    rules={"qualification": sees_qualification},
    tables=(VendorTierChange, VendorMonthlyScore, ServiceQualification, PortfolioSettings),
    pk_models={
        "portfolio:vendor": "vendor",
        "portfolio:compliance": "vendor",
        "portfolio:qualification_add": "service",
        "portfolio:qualification_remove": "qualification",
    },
    gates={
        "portfolio:qualification_add": CLIENT_SIDE,
        "portfolio:qualification_remove": CLIENT_SIDE,
        "portfolio:settings": CLIENT_SIDE,
        "api:portfolio-qualification-list": CLIENT_SIDE,
        "api:portfolio-qualification-detail": CLIENT_SIDE,
        "api:portfolio-settings-detail": CLIENT_SIDE,
        "portfolio:overview": CLIENT_SIDE,
        "portfolio:coverage": CLIENT_SIDE,
        "portfolio:vendor": CLIENT_SIDE,
        "portfolio:compliance": COMPLIANCE_READERS,
        "api:portfolio-vendor-list": CLIENT_SIDE,
        "api:portfolio-vendor-detail": CLIENT_SIDE,
        "api:portfolio-vendor-tier-changes": CLIENT_SIDE,
        "api:portfolio-vendor-monthly-scores": CLIENT_SIDE,
        "api:portfolio-vendor-set-tier": CLIENT_SIDE,
        "api:portfolio-vendor-enter-score": CLIENT_SIDE,
        "api:portfolio-vendor-compliance": COMPLIANCE_READERS,
        "api:portfolio-coverage-list": CLIENT_SIDE,
    },
    uncounted_lists={
        "api:portfolio-coverage-list": "one computed row per critical service (tests/portfolio count them)",
    },
    payloads={
        ("portfolio:qualification_add", "post"): _qualify_on_page,
        ("portfolio:qualification_remove", "post"): lambda target, matrix: Payload({}),
        ("portfolio:settings", "post"): lambda target, matrix: Payload(
            {"min_critical_vendors": "3", "target_cost_per_work_order": ""}
        ),
        ("api:portfolio-qualification-list", "post"): _qualify_by_api,
        ("api:portfolio-qualification-detail", "delete"): lambda target, matrix: Payload({}, json=True),
        ("api:portfolio-settings-detail", "put"): lambda target, matrix: Payload(
            {"min_critical_vendors": 3, "target_cost_per_work_order": None}, json=True
        ),
        ("api:portfolio-settings-detail", "patch"): lambda target, matrix: Payload(
            {"min_critical_vendors": 3}, json=True
        ),
        ("api:portfolio-vendor-set-tier", "post"): lambda target, matrix: Payload(
            {"tier": "core", "reason": "PmxTier"}, json=True
        ),
        ("api:portfolio-vendor-enter-score", "post"): lambda target, matrix: Payload(
            {"month": _month(), "dimension": "technical", "value": "90", "note": "PmxScore"}, json=True
        ),
    },
)
