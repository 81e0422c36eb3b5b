"""Sign-in lockout with django-axes: the limits, the page a locked-out person sees, and the audit adapter.

Two limits count failed sign-ins within the cool-off (``AXES_COOLOFF_TIME``):

- one account from one client address: ``AXES_FAILURE_LIMIT`` (5) failures lock that account *on that
  address* — a guesser is stopped, while the same person can still sign in from another address and a
  hospital's shared NAT address is not locked for everybody;
- one client address, all accounts together: ``OVERSIGHT_LOGIN_ADDRESS_FAILURE_LIMIT`` (100) failures lock the
  address, which stops password spraying across many accounts.

axes compares one number with one limit, so `LoginLockoutHandler.get_failures` scales each group's count to
``AXES_FAILURE_LIMIT`` (floor(count × limit / group limit)): the result reaches the limit exactly when one of the
groups reaches its own. A successful sign-in clears only its own account-and-address count, never the
address's total (else an attacker could reset it by signing in to an account of their own).
"""

from __future__ import annotations

import datetime as dt
import math

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import ngettext

from oversight.tenancy import services

ACCOUNT = "account"
ADDRESS = "address"


def _group_limits(request, credentials) -> dict[str, int]:
    account_limit = get_failure_limit(request, credentials)
    address_limit = int(getattr(settings, "OVERSIGHT_LOGIN_ADDRESS_FAILURE_LIMIT", 100))
    return {ACCOUNT: account_limit, ADDRESS: max(address_limit, account_limit)}


class LoginLockoutHandler(AxesDatabaseHandler):
    """axes' database handler with a limit per account-and-address and a much higher one per address."""

    def _groups(self, request, credentials) -> dict[str, object]:
        """The recent attempts of this account on this address, and of this address for all accounts."""
        threshold = timezone.now() - (get_cool_off(request) or dt.timedelta(0))
        recent = AccessAttempt.objects.filter(ip_address=request.axes_ip_address, attempt_time__gte=threshold)
        username = get_client_username(request, credentials)
        return {ACCOUNT: recent.filter(username=username), ADDRESS: recent}

    def get_failures(self, request, credentials: dict | None = None) -> int:
        limits = _group_limits(request, credentials)
        scaled = 0
        for group, attempts in self._groups(request, credentials).items():
            count = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            scaled = max(scaled, math.floor(count * limits[ACCOUNT] / limits[group]))
        return scaled

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        count, _deleted = self._groups(request, credentials)[ACCOUNT].delete()
        return count

    def lockout(self, request, credentials: dict | None = None) -> tuple[str, dt.datetime] | None:
        """Which lock holds (ACCOUNT or ADDRESS) and until when; None when none does."""
        limits = _group_limits(request, credentials)
        cool_off = get_cool_off(request) or dt.timedelta(0)
        found = None
        for group, attempts in self._groups(request, credentials).items():
            row = attempts.aggregate(total=Sum("failures_since_start"), last=Max("attempt_time"))
            if (row["total"] or 0) >= limits[group] and row["last"] is not None:
                until = row["last"] + cool_off
                if found is None or until > found[1]:
                    found = (group, until)
        return found


def lockout_message(scope: str, until: dt.datetime) -> str:
    """What the login page says to a locked-out person: why, for how long, and who can help."""
    minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
    if scope == ADDRESS:
        text = ngettext(
            "Too many failed sign-ins from your network address. Sign-in from this address is paused; "
            "try again in %(minutes)d minute, or ask an administrator to unlock it.",
            "Too many failed sign-ins from your network address. Sign-in from this address is paused; "
            "try again in %(minutes)d minutes, or ask an administrator to unlock it.",
            minutes,
        )
    else:
        text = ngettext(
            "Too many failed sign-ins for this account. It is locked on this device's network for "
            "%(minutes)d minute; try again then, reset your password, or ask an administrator to unlock it.",
            "Too many failed sign-ins for this account. It is locked on this device's network for "
            "%(minutes)d minutes; try again then, reset your password, or ask an administrator to unlock it.",
            minutes,
        )
    return text % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """axes' lockout page: Oversight's sign-in page with the reason and the wait, status 429 with Retry-After."""
    handler = AxesProxyHandler.get_implementation()
    state = handler.lockout(request, credentials) if isinstance(handler, LoginLockoutHandler) else None
    scope, until = state or (ACCOUNT, timezone.now() + (get_cool_off(request) or dt.timedelta(minutes=15)))
    username = get_client_username(request, credentials) or ""
    form = AuthenticationForm(request, initial={"username": username})
    response = render(
        request,
        "registration/login.html",
        {"form": form, "lockout_message": lockout_message(scope, until), "next": request.POST.get("next", "")},
        status=429,
    )
    response["Retry-After"] = str(max(1, math.ceil((until - timezone.now()).total_seconds())))
    return response


def record_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    """axes' `user_locked_out` signal → the audit service, once per lockout (not for each refused retry)."""
    if request is None or getattr(request, "axes_failures_since_start", None) is None:
        return  # a retry while already locked: axes refused it before counting
    services.login_locked_out(username=username or "", ip_address=ip_address or "", path=request.path)
