"""API throttles: DRF's anonymous, per-user and scoped rates, counted in the Django cache per client address.

Two differences from DRF's classes: the rates are read when a request comes in (so the settings in force,
including a test's override, apply — DRF binds them when the class is imported), and anonymous callers are
told apart by `core.ratelimit.client_ip`, which trusts X-Forwarded-For only from configured proxies (DRF's
own rule trusts the whole header when NUM_PROXIES is unset, so a client could pick a new identity per request).
"""

from __future__ import annotations

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle, UserRateThrottle

from oversight.core.ratelimit import client_ip


class _LiveRatesMixin:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        return client_ip(request)


class AnonThrottle(_LiveRatesMixin, AnonRateThrottle):
    """Requests without a signed-in user, per client address (rate "anon")."""


class UserThrottle(_LiveRatesMixin, UserRateThrottle):
    """Requests of a signed-in user or token, per user (rate "user"); anonymous ones per address."""


class ScopedThrottle(_LiveRatesMixin, ScopedRateThrottle):
    """Views that set `throttle_scope` (e.g. "auth" for credential and token endpoints), per user or address."""
