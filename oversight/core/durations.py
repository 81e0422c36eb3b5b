"""The one way to write a duration for people: translated units ("1 d 1 h 23 min" = "1 天 1 小时 23 分钟").

Pages (the ``duration`` template filter), SLA badges, service reports (web, PDF, XLSX) and the API's text
figures all call these functions, so a unit is never left in English on a Chinese page.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext, pgettext

HOUR = Decimal(3600)


def _seconds(value) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(round(float(value)))
    except (TypeError, ValueError):
        return None


def format_duration(seconds, *, hours_only: bool = False, with_minutes: bool = False) -> str:
    """Seconds as a short duration in the active language: "2 d 3 h", "1 h 05 min", "12 min", "40 s".

    ``hours_only`` never rolls hours into days (business time: "40 h 00 min" is not wall-clock days).
    ``with_minutes`` keeps the minutes next to days and never goes below a minute (a lateness:
    "1 d 1 h 23 min", "< 1 min"). Empty text for a missing or unreadable value.
    """
    total = _seconds(seconds)
    if total is None:
        return ""
    sign = "-" if total < 0 else ""
    total = abs(total)
    days, rest = (0, total) if hours_only else divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if with_minutes and 0 < total < 60:
        text = gettext("< 1 min")
    elif days and with_minutes:
        text = gettext("%(d)d d %(h)d h %(m)02d min") % {"d": days, "h": hours, "m": minutes}
    elif days:
        text = gettext("%(d)d d %(h)d h") % {"d": days, "h": hours}
    elif hours:
        text = gettext("%(h)d h %(m)02d min") % {"h": hours, "m": minutes}
    elif minutes or with_minutes:
        text = gettext("%(m)d min") % {"m": minutes}
    else:
        text = gettext("%(s)d s") % {"s": secs}
    return sign + text


def format_hours(seconds) -> str:
    """Seconds as hours with one decimal in the active language ("10.8 h" = "10.8 小时"), e.g. a mean time."""
    if seconds is None:
        return "—"
    hours = (Decimal(seconds) / HOUR).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return gettext("%(hours)s h") % {"hours": hours}


def unit_words() -> dict[str, str]:
    """The single-letter units for the local JavaScript countdowns, translated."""
    return {
        "d": pgettext("time unit: days", "d"),
        "h": pgettext("time unit: hours", "h"),
        "min": pgettext("time unit: minutes", "min"),
        "s": pgettext("time unit: seconds", "s"),
    }
