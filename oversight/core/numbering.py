"""Yearly running numbers per organisation (GH2026000123, CHG-GH202600001): one counter row per organisation and
year, locked while it is incremented, so two writers never get the same number."""

from __future__ import annotations

from django.db import models
from django.db.models import F


def next_in_year(counter_model: type[models.Model], *, organisation, year: int) -> int:
    """The next number of ``organisation`` in ``year`` from a counter model with fields organisation, year, last.

    Must run inside a transaction (the counter row stays locked until it ends)."""
    counter, _created = counter_model._default_manager.select_for_update(of=("self",)).get_or_create(
        organisation=organisation, year=year
    )
    counter_model._default_manager.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db(fields=["last"])
    return counter.last
