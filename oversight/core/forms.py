"""Forms of the core pages (personal preferences) and what every admin/form passes to a service."""

from __future__ import annotations

import zoneinfo

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

# Shown first in the time-zone list: where Oversight's users mostly are.
COMMON_TIME_ZONES = (
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Taipei",
    "Asia/Singapore",
    "Asia/Tokyo",
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
)


def time_zone_choices() -> list:
    """Common zones first, then every zone the system knows, grouped."""
    common = [(tz, tz) for tz in COMMON_TIME_ZONES]
    rest = [(tz, tz) for tz in sorted(zoneinfo.available_timezones()) if tz not in COMMON_TIME_ZONES]
    return [(_("Common"), common), (_("All time zones"), rest)]


class LanguageForm(forms.Form):
    """Just the interface language (the menu in the header)."""

    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


class PreferencesForm(LanguageForm):
    """Interface language and the time zone every time is shown in."""

    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=time_zone_choices,
        help_text=_("All dates and times are shown in this zone."),
    )


def changed_fields(obj, form, change: bool) -> list[str] | None:
    """What the services save: None for a new row, else the concrete fields the form changed."""
    if not change:
        return None
    concrete = {f.name for f in obj._meta.concrete_fields}
    return [name for name in form.changed_data if name in concrete]
