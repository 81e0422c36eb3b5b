"""The change calendar's `.ics` feed and the page where a person gets, re-creates or revokes their feed key
(ADR 0029). Calendar programs send no headers, so the feed is read with the key in its address: it shows what
the key's owner may see, worded in the owner's language, and an unknown or revoked key is a 404."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View

from oversight.changes import ics, selectors, services
from oversight.changes.choices import ChangeStatus, FeedKind, WindowKind
from oversight.core import clock
from oversight.core.errors import ApplicationError
from oversight.core.files import download_response
from oversight.core.filters import parse_id
from oversight.core.preferences import user_preferences_override
from oversight.core.views import show_error
from oversight.core.zones import zone_of

#: How much of the past and the future the feed holds (a calendar program fetches it again and again).
FEED_PAST = dt.timedelta(days=92)
FEED_FUTURE = dt.timedelta(days=366)
FEED_CACHE_CONTROL = "private, max-age=300"


def _base_url() -> str:
    return settings.OVERSIGHT_BASE_URL.rstrip("/")


def _change_url(number: str) -> str:
    try:
        return _base_url() + reverse("changes:detail", args=[number])
    except NoReverseMatch:
        return ""


def _change_rows(changes) -> list[ics.ChangeRow]:
    rows = []
    for change in changes:
        details = [
            gettext("Type: %(type)s") % {"type": change.get_type_display()},
            gettext("Status: %(status)s") % {"status": change.get_status_display()},
            gettext("Implementer: %(vendor)s") % {"vendor": change.implementer},
            gettext("Risk: %(risk)s") % {"risk": change.get_risk_level_display()},
        ]
        rows.append(
            ics.ChangeRow(
                id=change.pk,
                summary=f"{change.number} {change.title}",
                description="\n".join(details),
                start=change.planned_start,
                end=change.planned_end,
                confirmed=change.status in (ChangeStatus.SCHEDULED, ChangeStatus.IMPLEMENTING),
                version=change.version,
                updated_at=change.updated_at,
                url=_change_url(change.number),
                categories=(str(change.get_type_display()),),
            )
        )
    return rows


def _window_rows(windows) -> list[ics.WindowRow]:
    rows = []
    for window in windows:
        if window.kind == WindowKind.BLACKOUT:
            kind = gettext("Hard blackout") if window.hard else gettext("Soft blackout")
        else:
            kind = str(window.get_kind_display())
        rows.append(
            ics.WindowRow(
                id=window.pk,
                summary=gettext("%(kind)s: %(name)s") % {"kind": kind, "name": window.name},
                description=window.description,
                start=window.start,
                end=window.end,
                rrule=window.rrule,
                created_at=window.created_at,
                categories=(kind,),
            )
        )
    return rows


class CalendarFeedView(View):
    """GET `/changes/calendar/feed/<key>.ics`: the owner's change calendar (planned changes and windows), optionally
    for one `service`, `vendor` or `site` (ids in the query string)."""

    def get(self, request, key: str):
        owner = services.feed_key_owner(secret=key)
        if owner is None:
            raise Http404
        scope = {name: parse_id(request.GET.get(param)) for param, name in _SCOPE.items()}
        now = clock.now()
        with user_preferences_override(owner):
            changes = selectors.feed_changes(user=owner, since=now - FEED_PAST, until=now + FEED_FUTURE, **scope)
            windows = selectors.feed_windows(user=owner, **scope)
            body = ics.build(
                name=gettext("Change calendar: %(organisation)s") % {"organisation": owner.organisation},
                zone=getattr(zone_of(owner.organisation), "key", "UTC"),
                domain=f"{owner.organisation.code}.oversight",
                changes=_change_rows(changes),
                windows=_window_rows(windows.prefetch_related("services")),
            )
        return download_response(
            body,
            filename="changes.ics",
            content_type="text/calendar; charset=utf-8",
            cache_control=FEED_CACHE_CONTROL,
        )


_SCOPE = {"service": "service_id", "vendor": "vendor_id", "site": "site_id"}


class FeedKeyPage(LoginRequiredMixin, View):
    """A page where a person gets, re-creates or revokes their key to one calendar feed (``feed``), the feed's
    address (``feed_url_name`` with the key) shown on this answer only; the meetings calendar uses it too."""

    feed = FeedKind.CHANGES
    template_name = "changes/feed_key.html"
    page_url_name = "changes:feed_key"
    feed_url_name = "changes:calendar_ics"
    revoked_message = _("Your calendar feed key was revoked; its address no longer works.")

    def context(self, request) -> dict:
        """What the page shows besides the key (a subclass adds its own)."""
        return {}

    def _page(self, request, *, address: str = "", status: int = 200):
        live = services.live_feed_key(user=request.user, feed=self.feed)
        context = {"live": live, "address": address, "may_have_feed": services.may_have_feed(request.user)}
        return render(request, self.template_name, {**context, **self.context(request)}, status=status)

    def get(self, request):
        return self._page(request)

    def post(self, request):
        try:
            if request.POST.get("action") == "revoke":
                services.feed_key_revoke(actor=request.user, feed=self.feed)
                messages.success(request, self.revoked_message)
                return redirect(self.page_url_name)
            _key, secret = services.feed_key_create(actor=request.user, feed=self.feed)
        except ApplicationError as exc:
            show_error(request, exc)
            return self._page(request, status=exc.status_code)
        # Shown in this answer only (no redirect: the key must not travel through the session).
        address = _base_url() + reverse(self.feed_url_name, args=[secret])
        return self._page(request, address=address)


class FeedKeyView(FeedKeyPage):
    """`/changes/calendar/feed/`: the person's change calendar feed key; create (or re-create) it, its address
    shown on this answer only, or revoke it."""
