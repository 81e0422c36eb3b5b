"""Forms of the core pages (personal preferences) and what every admin/form passes to a service."""

from __future__ import annotations

from pathlib import Path

import django.forms
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from oversight.core.zones import canonical_zone_names, is_canonical_zone, utc_offset_text

# Offered first in the time-zone list, named in the reader's language: where Oversight's users mostly are.
COMMON_TIME_ZONES = {
    "Asia/Shanghai": _("China (Beijing time)"),
    "Asia/Hong_Kong": _("Hong Kong"),
    "Asia/Taipei": _("Taipei"),
    "Asia/Macau": _("Macao"),
    "Asia/Singapore": _("Singapore"),
    "Asia/Tokyo": _("Tokyo"),
    "UTC": _("Coordinated Universal Time"),
    "Europe/London": _("London"),
    "Europe/Berlin": _("Berlin"),
    "America/New_York": _("New York"),
    "America/Los_Angeles": _("Los Angeles"),
}


def time_zone_options() -> list[tuple[str, str]]:
    """(IANA name, label) of every zone a person may choose: common ones first, then the rest by name.

    The label is the place in the reader's language where there is one, and the offset from UTC now."""
    common = [(name, f"{label} ({utc_offset_text(name)})") for name, label in COMMON_TIME_ZONES.items()]
    rest = [(name, utc_offset_text(name)) for name in sorted(canonical_zone_names() - set(COMMON_TIME_ZONES))]
    return common + rest


def time_zone_choices() -> list[tuple[str, str]]:
    """The canonical zones as choices of a select (common ones first), e.g. a business calendar's zone."""
    return time_zone_options()


class TimeZoneInput(forms.TextInput):
    """A text box that suggests the canonical zones as the user types (a datalist: searchable, no script)."""

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "off", "spellcheck": "false", **(attrs or {})})

    def render(self, name, value, attrs=None, renderer=None):
        list_id = f"{(attrs or {}).get('id') or name}-options"
        box = super().render(name, value, {**(attrs or {}), "list": list_id}, renderer)
        options = format_html_join("", '<option value="{}">{}</option>', time_zone_options())
        return format_html('{}<datalist id="{}">{}</datalist>', box, list_id, options)


def clean_time_zone(value: str) -> str:
    """A zone name from a form: one of the canonical zones, else a clear error (never "PRC", "W-SU" or "Factory")."""
    value = (value or "").strip()
    if not is_canonical_zone(value):
        raise forms.ValidationError(
            _("“%(zone)s” is not a time zone of the list: type a city and choose it, e.g. Asia/Shanghai."),
            params={"zone": value[:64]},
            code="unknown_time_zone",
        )
    return value


class FormRenderer(DjangoTemplates):
    """Django's form templates with Oversight's few overrides first (`core/form_templates`): an empty choice reads
    "Choose…" in the reader's language instead of Django's "---------" in every form, admin included."""

    @cached_property
    def engine(self):
        return self.backend(
            {
                "APP_DIRS": True,
                "DIRS": [
                    Path(__file__).parent / "form_templates",
                    Path(django.forms.__file__).parent / self.backend.app_dirname,
                ],
                "NAME": "oversightforms",
                "OPTIONS": {},
            }
        )


class LanguageForm(forms.Form):
    """Just the interface language (the menu in the header)."""

    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


class PreferencesForm(LanguageForm):
    """Interface language and the time zone every time is shown in."""

    time_zone = forms.CharField(
        label=_("Time zone"),
        max_length=64,
        widget=TimeZoneInput,
        help_text=_("All dates and times are shown in this zone. Type a city or a region to find it."),
    )

    def clean_time_zone(self) -> str:
        return clean_time_zone(self.cleaned_data.get("time_zone", ""))


def changed_fields(obj, form, change: bool) -> list[str] | None:
    """What the services save: None for a new row, else the concrete fields the form changed."""
    if not change:
        return None
    concrete = {f.name for f in obj._meta.concrete_fields}
    return [name for name in form.changed_data if name in concrete]
