"""The permission matrix's knowledge of the service reports (服务报告): a vendor's or a contract's report of a month
or quarter as a page, PDF, XLSX and through the API.

Rules (issue 3 §7, the reports' stated design): the client side (administrator, supervisor, executive, auditor)
reads the report of every vendor of its organisation and of every contract it may see; a vendor manager reads only
their own vendor's report and its activated contracts'; vendor agents and requesters are refused (403) before
anything is looked up; another organisation's or vendor's vendor or contract is a 404. A report is computed from
the vendors, contracts, work orders, evaluations and statements the matrix already builds, so it adds no model;
the hidden words of other vendors' objects must never appear in it. The `<period>` keyword is tried as the current
month and the current quarter.
"""

from __future__ import annotations

from oversight.core import clock
from oversight.tenancy.choices import Role
from tests.permissions.permissions_support import CLIENT_SIDE, describe_app

READERS = CLIENT_SIDE | {Role.VENDOR_MANAGER}
_TODAY = clock.now().date()
PERIOD_KEYS = (f"{_TODAY:%Y-%m}", f"{_TODAY.year}-Q{(_TODAY.month - 1) // 3 + 1}")
VENDOR_PAGES = ("reports:vendor", "reports:vendor_pdf", "reports:vendor_xlsx")
CONTRACT_PAGES = ("reports:contract", "reports:contract_pdf", "reports:contract_xlsx")
API_NAMES = ("api:service-report-detail", "api:service-report-pdf", "api:service-report-xlsx")

describe_app(
    "reports",
    pk_models={name: "vendor" for name in VENDOR_PAGES} | {name: "contract" for name in CONTRACT_PAGES},
    action_kwargs={(name, "period"): PERIOD_KEYS for name in VENDOR_PAGES + CONTRACT_PAGES},
    gates={name: READERS for name in ("reports:index", *VENDOR_PAGES, *CONTRACT_PAGES, *API_NAMES)},
)
