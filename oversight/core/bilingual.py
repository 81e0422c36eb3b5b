"""Names that people type, in two languages: the organisation's name (Chinese) plus an optional English one.

One rule everywhere (services, categories, offerings, indicators, SLA commitments): an English reader sees the
English name when there is one, everyone else the primary name.
"""

from __future__ import annotations

from django.utils.translation import get_language


def pick_name(name: str, name_en: str = "") -> str:
    """The name in the active language: ``name_en`` for an English reader when it is filled in, else ``name``."""
    if name_en and (get_language() or "").startswith("en"):
        return name_en
    return name or ""


class BilingualName:
    """Mixin for a model with ``name`` and ``name_en``: ``localized_name`` is the name for the active language."""

    @property
    def localized_name(self) -> str:
        """The English name for English users when there is one, else the primary name."""
        return pick_name(self.name, self.name_en)
