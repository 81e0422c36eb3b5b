"""The permission matrix's knowledge of the vendor portfolio: the organisation's vendors, their tiers, monthly
scores, staff compliance and critical-service coverage.

Rules (MISSION.md "Visibility", the portfolio app's stated design): the client side reads the portfolio of its
own organisation's vendors; a vendor manager reads only their own vendor's compliance page; everyone else is
refused (403) before any lookup. Client administrators and supervisors set tiers and enter scores. The vendors
are the shared world's (rule: oversight of the `vendor` model in permissions_support.sees).
"""

from __future__ import annotations

from oversight.core import clock
from oversight.portfolio.models import VendorMonthlyScore, VendorTierChange
from oversight.tenancy.choices import Role
from oversight.tenancy.models import Vendor
from tests.permissions.permissions_support import CLIENT_SIDE, Payload, describe_app

COMPLIANCE_READERS = CLIENT_SIDE | {Role.VENDOR_MANAGER}


def _month() -> str:
    return clock.now().date().replace(day=1).isoformat()


describe_app(
    "portfolio",
    models={"vendor": Vendor},
    tables=(VendorTierChange, VendorMonthlyScore),
    pk_models={"portfolio:vendor": "vendor", "portfolio:compliance": "vendor"},
    gates={
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
        ("api:portfolio-vendor-set-tier", "post"): lambda target, matrix: Payload(
            {"tier": "core", "reason": "PmxTier"}, json=True
        ),
        ("api:portfolio-vendor-enter-score", "post"): lambda target, matrix: Payload(
            {"month": _month(), "dimension": "technical", "value": "90", "note": "PmxScore"}, json=True
        ),
    },
)
