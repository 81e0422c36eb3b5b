"""How evaluation figures are shown: values with their unit, and the named drill-down sets of a result."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from oversight.scorecards import selectors

SET_LABELS = {
    "numerator": _("Numerator"),
    "denominator": _("Denominator"),
    "excluded": _("Excluded by disputes"),
    "pending": _("Pending"),
    "promoters": _("Promoters"),
    "passives": _("Passives"),
    "detractors": _("Detractors"),
    "reassigned": _("Reassigned"),
    "escalated": _("Escalated"),
    "reopened": _("Reopened"),
    "calendar_time": _("Measured in calendar time"),
    "requester": _("Same requester"),
    "ci": _("Same asset"),
    "category": _("Same category"),
    "surplus": _("Beyond the contracted posts"),
    "uncontracted": _("Positions not contracted"),
    "expiring": _("Expiring within 30 days"),
    "expired": _("Expired"),
}
# What follows a figure of each unit on the pages.
UNIT_SUFFIX = {"percent": " %", "seconds": " s", "stars": " ★", "count": "", "nps": "", "points": ""}


def figure(value: Decimal | None, unit: str) -> str:
    """A value as shown on the pages: two decimals (counts as they are) and the unit's suffix; a dash for none."""
    if value is None:
        return "—"
    text = f"{value.quantize(Decimal('0.01'))}" if unit != "count" else f"{value.normalize():f}"
    return text + UNIT_SUFFIX.get(unit, "")


def labelled_sets(result) -> list[tuple[str, object, int]]:
    """(set name, label, count) of every non-empty drill-down set of a result."""
    return [(name, SET_LABELS.get(name, name), count) for name, count in selectors.record_sets(result)]
