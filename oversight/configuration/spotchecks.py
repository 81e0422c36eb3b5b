"""Spot checks of the CMDB's accuracy: a client supervisor checks a sample of one vendor's CIs against the things
themselves and records, for each checked field, whether the record was correct. The accuracy indicator
(`configuration.kpis`) is correct checked items / checked items of the vendor's CIs in the period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import audit_record
from oversight.configuration import permissions
from oversight.configuration.choices import CheckedField
from oversight.configuration.models import ConfigurationItem, SpotCheck, SpotCheckItem
from oversight.core import clock, zones
from oversight.core.errors import ApplicationError

#: How many CIs a spot check proposes to look at.
SAMPLE_SIZE = 10


def spot_check_sample(*, cis, size: int = SAMPLE_SIZE) -> list[ConfigurationItem]:
    """A random sample of the given CIs (the caller passes the vendor's CIs it may see, retired ones left out)."""
    return list(cis.order_by("?")[:size])


@transaction.atomic
def spot_check_record(
    *,
    actor,
    vendor,
    checked_on: dt.date,
    results: Iterable[tuple[ConfigurationItem, str, bool]],
    note: str = "",
) -> SpotCheck:
    """Record a spot check of the vendor's CIs: ``results`` are (CI, checked field, correct?) triples."""
    permissions.require(permissions.may_spot_check(actor) and vendor.organisation_id == actor.organisation_id)
    results = list(results)
    if not results:
        raise ApplicationError(_("Record at least one checked field."))
    if checked_on > zones.local_today(vendor.organisation):
        raise ApplicationError(_("A spot check cannot be dated in the future."))
    seen = set()
    for ci, field, correct in results:
        if ci.organisation_id != vendor.organisation_id or ci.vendor_id != vendor.pk:
            raise ApplicationError(_("Only the configuration items of the checked vendor can be in its spot check."))
        if field not in CheckedField.values or not isinstance(correct, bool):
            raise ApplicationError(_("Say for each checked field whether it was correct."))
        if (ci.pk, field) in seen:
            raise ApplicationError(_("Each field of a configuration item is checked once per spot check."))
        seen.add((ci.pk, field))
    spot_check = SpotCheck.objects.create(
        organisation_id=vendor.organisation_id,
        vendor=vendor,
        checked_on=checked_on,
        checker=actor if getattr(actor, "pk", None) else None,
        note=(note or "").strip(),
        created_at=clock.now(),
    )
    SpotCheckItem.objects.bulk_create(
        SpotCheckItem(spot_check=spot_check, ci=ci, field=field, correct=correct) for ci, field, correct in results
    )
    correct_count = sum(1 for _ci, _field, correct in results if correct)
    audit_record(
        actor=actor,
        action="configuration.spotcheck.created",
        obj=spot_check,
        after={
            "vendor": vendor.pk,
            "checked_on": checked_on.isoformat(),
            "checked": len(results),
            "correct": correct_count,
        },
    )
    return spot_check
