"""Template helpers shared by every page: query strings, durations, UI strings for the local JS."""

from __future__ import annotations

import json

from django import template
from django.http import QueryDict
from django.utils.html import json_script
from django.utils.translation import gettext

from oversight.core.durations import format_duration, unit_words
from oversight.core.money import format_money, rmb_in_words

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
    """Seconds as a short human duration (``core.durations.format_duration``); `duration:"hours"` never makes days."""
    return format_duration(seconds, hours_only=unit == "hours")


@register.filter
def money(value, currency: str = "") -> str:
    """An amount as the reader writes it, e.g. ``{{ statement.total|money:statement.currency }}`` → ¥466,585.00."""
    return format_money(value, currency)


@register.filter
def rmb_words(value, currency: str = "CNY") -> str:
    """An amount in Chinese capitals (大写金额) when it is in renminbi; empty for another currency or no amount."""
    if value is None or value == "" or (currency or "").upper() != "CNY":
        return ""
    return rmb_in_words(value)


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
        **unit_words(),
        "confirm": gettext("Are you sure?"),
    }
    return json_script(strings, "ui-strings")
