"""Each person's language and time zone: activated for their own request, or overridden to render for them."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.utils import timezone, translation

from oversight.core.zones import zone_named


def user_zone(user) -> zoneinfo.ZoneInfo | None:
    """The user's time zone, or None when the stored name is unusable (callers then use the default zone)."""
    name = user.time_zone
    return zone_named(name) if isinstance(name, str) else None


def activate_user_preferences(request, user) -> None:
    """Activate the user's chosen language and time zone for the rest of this request.

    The saved language wins over the request's Accept-Language, for pages and for the API alike.
    """
    if user.language:
        translation.activate(user.language)
        request.LANGUAGE_CODE = translation.get_language()
    zone = user_zone(user)
    if zone is None:
        timezone.deactivate()
    else:
        timezone.activate(zone)


@contextmanager
def user_preferences_override(user) -> Iterator[None]:
    """Render in the user's language and time zone (not the actor's or the worker's), then restore both."""
    with translation.override(user.language or settings.LANGUAGE_CODE), timezone.override(user_zone(user)):
        yield


def local_time_text(value: dt.datetime | None) -> str:
    """An instant as "YYYY-MM-DD HH:MM" in the active time zone ("-" when there is none), for plain-text messages."""
    if value is None:
        return "-"
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
