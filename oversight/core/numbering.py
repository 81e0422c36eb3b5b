"""Yearly running numbers per organisation (GH2026000123, CHG-GH202600001): one counter row per organisation and
year, locked while it is incremented, so two writers never get the same number."""

from __future__ import annotations

from django.db import models
from django.db.models import F


class YearlyCounter(models.Model):
    """Per organisation and year, the last number handed out (locked while incremented). Each app's counter
    subclasses it, declares its visibility (bookkeeping: nobody reads it) and names itself in its Meta, which
    inherits this one (`class Meta(YearlyCounter.Meta)`) to keep one counter per organisation and year."""

    organisation = models.ForeignKey("tenancy.Organisation", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="%(app_label)s_%(class)s_unique")]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year}: {self.last}"


def next_in_year(counter_model: type[models.Model], *, organisation, year: int) -> int:
    """The next number of ``organisation`` in ``year`` from a counter model with fields organisation, year, last.

    Must run inside a transaction (the counter row stays locked until it ends)."""
    counter, _created = counter_model._default_manager.select_for_update(of=("self",)).get_or_create(
        organisation=organisation, year=year
    )
    counter_model._default_manager.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db(fields=["last"])
    return counter.last
