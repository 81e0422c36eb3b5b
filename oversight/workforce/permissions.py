"""Who may do what in workforce supervision. Visibility is the selectors' gate: the client side sees its
organisation's queues, vendor staff their own vendor's, requesters none; vendor staff see only the vendor
forecasts (the client's own forecasts, backtests and the staffing it computes are the client's).

- Client administrators and supervisors publish the client's forecasts, run backtests, import or post the
  vendor's forecast on its behalf and apply breach attribution.
- Vendor managers submit their own vendor's forecasts (CSV import or API).
- Executives, auditors and vendor agents read.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from oversight.core.errors import NotAllowed
from oversight.tenancy.roles import is_client, is_client_operator, is_vendor_manager_of
from oversight.workforce.choices import ForecastSource


def may_publish(user, queue, source: str) -> bool:
    """Client operators publish both kinds; the queue's vendor managers their own (vendor) forecasts."""
    if is_client_operator(user, queue.organisation_id):
        return True
    return source == ForecastSource.VENDOR and is_vendor_manager_of(user, queue.vendor_id)


def require_publish(user, queue, source: str) -> None:
    if not may_publish(user, queue, source):
        raise NotAllowed(_("You may not publish this forecast."))


def may_manage(user, queue) -> bool:
    """Run backtests and attribution: the client's operators."""
    return is_client_operator(user, queue.organisation_id)


def sees_client_side(user) -> bool:
    """The client's own forecasts, backtests and staffing analysis: client roles only."""
    return is_client(user)
