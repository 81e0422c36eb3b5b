"""How an improvement's effect reads, in the reader's language (the item page, the service report and its PDF/XLSX)."""

from __future__ import annotations

from django.utils.translation import gettext


def effect_statement(record) -> str:
    """The plain statement of a measurement: target met, not met, or why it cannot be told ("" before any)."""
    if record is None:
        return ""
    if record.target_met is True:
        return gettext("The target was met.")
    if record.target_met is False:
        return gettext("The target was not met.")
    if record.after_value is None:
        return gettext(
            "There was nothing to measure after the implementation: whether the target was met cannot be told."
        )
    return gettext("No target was set: only the change is shown.")
