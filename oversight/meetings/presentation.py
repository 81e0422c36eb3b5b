"""How meeting things read in the reader's language and time zone: a prefilled agenda line's figures, local
times, people's names. Shared by the pages, the minutes PDF and the calendar files."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext

from oversight.catalog.choices import SLAMetric, Weekday
from oversight.core.money import format_money
from oversight.core.zones import zone_of
from oversight.meetings.choices import AgendaKind

DASH = "—"
#: iCalendar weekday codes and their names (the catalog's weekdays, Monday = 0).
WEEKDAYS = {code: Weekday(i).label for i, code in enumerate(("MO", "TU", "WE", "TH", "FR", "SA", "SU"))}


def person(user) -> str:
    """A person's full name, else their user name."""
    if user is None:
        return DASH
    return user.get_full_name() or user.username


def local_text(value: dt.datetime | None, owner, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """An instant as local wall-clock text in the owner's zone (organisation, calendar, user)."""
    if value is None:
        return DASH
    return value.astimezone(zone_of(owner)).strftime(fmt)


def _instant(text: str, owner) -> str:
    try:
        value = dt.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return text or ""
    return local_text(value, owner)


def agenda_detail(item, owner) -> str:
    """The figures of a prefilled agenda line, worded now (a typed line shows its own detail)."""
    data = item.data or {}
    kind = item.kind
    if kind == AgendaKind.MANUAL:
        return item.detail
    if kind == AgendaKind.SLA_BREACH:
        metric = dict(SLAMetric.choices).get(data.get("metric"), "")
        return gettext("%(metric)s target missed at %(at)s") % {"metric": metric, "at": _instant(data.get("at"), owner)}
    if kind == AgendaKind.LOW_RATING:
        return gettext("%(stars)s of 5 stars, %(at)s") % {
            "stars": data.get("stars"),
            "at": _instant(data.get("at"), owner),
        }
    if kind == AgendaKind.COMPLAINT:
        return gettext("Opened %(at)s") % {"at": _instant(data.get("at"), owner)}
    if kind == AgendaKind.CHANGE:
        return gettext("Planned start %(at)s") % {"at": _instant(data.get("at"), owner)}
    if kind == AgendaKind.KRI:
        return gettext("Latest reading %(value)s (period from %(period)s)") % {
            "value": data.get("value", ""),
            "period": data.get("period", ""),
        }
    if kind == AgendaKind.RISK_REVIEW:
        return gettext("Review was due %(date)s") % {"date": data.get("at", "")}
    if kind == AgendaKind.EVALUATION:
        return gettext("Score %(score)s") % {"score": data.get("score") or DASH}
    if kind == AgendaKind.SETTLEMENT:
        return gettext("Total %(total)s") % {"total": format_money(data.get("total"), data.get("currency", ""))}
    if kind == AgendaKind.ACTION_ITEM:
        return gettext("%(owner)s, due %(date)s") % {"owner": data.get("owner", ""), "date": data.get("due", "")}
    return ""


def agenda_rows(items, owner) -> list[dict]:
    """Agenda lines with their kind's label and figures in the reader's words."""
    return [{"item": i, "kind_label": AgendaKind(i.kind).label, "detail": agenda_detail(i, owner)} for i in items]


def rule_text(rule: str) -> str:
    """A recurrence rule in the reader's words for the usual shapes (weekly on days, monthly on a day, every N
    weeks or months); any other rule as written."""
    parts = dict(p.split("=", 1) for p in rule.upper().split(";") if "=" in p)
    freq, interval = parts.get("FREQ", ""), parts.get("INTERVAL", "1")
    keys = set(parts) - {"FREQ", "INTERVAL"}
    if not interval.isdigit():
        return rule
    n = int(interval)
    if freq == "WEEKLY" and keys <= {"BYDAY"}:
        codes = parts.get("BYDAY", "").split(",") if "BYDAY" in parts else []
        if not all(code in WEEKDAYS for code in codes):
            return rule
        days = ", ".join(str(WEEKDAYS[code]) for code in codes)
        if n == 1:
            return gettext("Every week on %(days)s") % {"days": days} if days else gettext("Every week")
        return gettext("Every %(n)s weeks on %(days)s") % {"n": n, "days": days} if days else rule
    if freq == "MONTHLY" and keys == {"BYMONTHDAY"} and parts["BYMONTHDAY"].isdigit():
        day = int(parts["BYMONTHDAY"])
        if n == 1:
            return gettext("Every month on day %(day)s") % {"day": day}
        return gettext("Every %(n)s months on day %(day)s") % {"n": n, "day": day}
    return rule
