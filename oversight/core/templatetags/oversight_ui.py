"""Template helpers shared by every page: query strings, durations, UI strings for the local JS."""

from __future__ import annotations

import json

from django import template
from django.http import QueryDict
from django.utils.html import json_script
from django.utils.translation import gettext, pgettext

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **changes) -> str:
    """The current query string with some parameters replaced (None or "" removes one), e.g. for pagination."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else QueryDict(mutable=True)
    for key, value in changes.items():
        if value is None or value == "":
            query.pop(key, None)
        else:
            query[key] = str(value)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def duration(seconds, unit: str = "") -> str:
    """Seconds as a short human duration: "2 d 3 h", "1 h 05 min", "12 min", "40 s".

    `duration:"hours"` never rolls hours into days: business time ("40 h 00 min") is not wall-clock days.
    """
    if seconds is None or seconds == "":
        return ""
    try:
        total = int(round(float(seconds)))
    except (TypeError, ValueError):
        return ""
    sign = "-" if total < 0 else ""
    total = abs(total)
    days, rest = (0, total) if unit == "hours" else divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        text = gettext("%(d)d d %(h)d h") % {"d": days, "h": hours}
    elif hours:
        text = gettext("%(h)d h %(m)02d min") % {"h": hours, "m": minutes}
    elif minutes:
        text = gettext("%(m)d min") % {"m": minutes}
    else:
        text = gettext("%(s)d s") % {"s": secs}
    return sign + text


@register.filter
def absolute(value):
    """The absolute value of a number (e.g. seconds overdue)."""
    try:
        return abs(value)
    except TypeError:
        return value


@register.filter
def pretty_json(value) -> str:
    """JSON indented for reading (the template escapes it)."""
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True, default=str)


@register.simple_tag
def may_use_admin(user) -> bool:
    """Whether the administration link is shown."""
    from oversight.core.admin_site import may_use_admin as check

    return check(user)


@register.simple_tag
def ui_strings():
    """Translated words the local JavaScript needs (countdowns, confirmations), as a JSON data block."""
    strings = {
        "left": gettext("%(time)s left"),
        "overdue": gettext("overdue by %(time)s"),
        "paused": gettext("paused"),
        "on_track": gettext("On track"),
        "warning": gettext("At risk"),
        "breached": gettext("Breached"),
        "d": pgettext("time unit: days", "d"),
        "h": pgettext("time unit: hours", "h"),
        "min": pgettext("time unit: minutes", "min"),
        "s": pgettext("time unit: seconds", "s"),
        "confirm": gettext("Are you sure?"),
    }
    return json_script(strings, "ui-strings")
