"""Who is calling (the client address, proxies trusted only when configured) and fixed-window rate limits.

One place for both, used by the rating page, the password-reset form, the login lockout (django-axes) and the
API throttles, so that a forged `X-Forwarded-For` header is ignored everywhere or honoured everywhere.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.core.cache import cache

from oversight.core import clock


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str:
    """The caller's address: REMOTE_ADDR, or with `OVERSIGHT_TRUSTED_PROXIES` = N reverse proxies in front,
    the address the outermost trusted proxy saw (the N-th entry from the right of X-Forwarded-For).

    Entries left of that one were written by the client and are never trusted; without trusted proxies the
    header is ignored altogether.
    """
    request = getattr(request, "_request", request)  # a DRF request wraps Django's
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    proxies = int(getattr(settings, "OVERSIGHT_TRUSTED_PROXIES", 0) or 0)
    if proxies <= 0:
        return remote
    forwarded = [item for item in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if item.strip()]
    if not forwarded:
        return remote
    return _valid_ip(forwarded[-min(proxies, len(forwarded))]) or remote


def client_ip_address(request) -> str | None:
    """``client_ip`` when it is an IP address, else None: what django-axes stores in its log, whose column is an
    ``inet`` on PostgreSQL (a request without REMOTE_ADDR, such as the test client's ``force_login``, has none)."""
    return _valid_ip(client_ip(request))


def rate_limit_hit(key: str, *, limit: int, window: int) -> bool:
    """Count one request against `key` in the current fixed window of `window` seconds; True when over `limit`."""
    slot = int(clock.now().timestamp()) // window
    cache_key = f"ratelimit:{key}:{slot}"
    cache.add(cache_key, 0, timeout=window + 5)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # evicted between add and incr
        cache.set(cache_key, 1, timeout=window + 5)
        count = 1
    return count > limit
