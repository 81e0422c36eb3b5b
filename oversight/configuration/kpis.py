"""The CMDB accuracy indicator, registered in `oversight.core.kpis` (from `ConfigurationConfig.ready()`).

The loader reads the vendor's spot check items dated up to the period's end; the formula is the pure
`configuration.indicators.cmdb_accuracy` (docs/formulas.md §"CMDB accuracy"). The records behind a figure are
spot check items, listed through the gate (`configuration.selectors.spot_check_item_list`).
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from oversight.configuration import indicators, selectors
from oversight.configuration.models import SpotCheckItem
from oversight.core import zones
from oversight.core.kpis import SCHEME, Dimension, Loader, RecordKind, Scope, Source, Unit, registry
from oversight.kpi import Period
from oversight.tenancy.models import Organisation

LOADER = "configuration.spot_checks"
RECORD_SPOT_CHECK_ITEM = "configuration.spot_check_item"


def load_checked_items(scope: Scope, period: Period) -> list[indicators.CheckedItem]:
    """The vendor's checked items of spot checks dated on or before the period's last local day."""
    organisation = Organisation.objects.get(pk=scope.organisation_id)
    zone = zones.zone_of(organisation)
    last_day = period.end.astimezone(zone).date()
    rows = SpotCheckItem.objects.filter(
        spot_check__organisation_id=scope.organisation_id,
        spot_check__vendor_id=scope.vendor_id,
        spot_check__checked_on__lte=last_day,
    ).values_list("pk", "spot_check__checked_on", "correct")
    return [
        indicators.CheckedItem(id=pk, checked_at=dt.datetime.combine(day, dt.time(0), tzinfo=zone), correct=correct)
        for pk, day, correct in rows
    ]


def _items(*, user, period, ids):
    return selectors.spot_check_item_list(user=user).filter(pk__in=ids)


SPOT_CHECK_ITEMS = RecordKind(
    RECORD_SPOT_CHECK_ITEM,
    _("Spot check items"),
    _items,
    ("spot_check__checked_on", "pk"),
    lambda r: {
        "id": r.pk,
        "checked_on": r.spot_check.checked_on.isoformat(),
        "ci": r.ci_id,
        "field": r.field,
        "correct": r.correct,
    },
    "configuration/partials/records/spot_check_item.html",
)

CMDB_ACCURACY = Source(
    code=indicators.CMDB_ACCURACY,
    dimension=Dimension.PROCESSES,
    unit=Unit.PERCENT,
    higher_is_better=True,
    label=_("CMDB accuracy (%)"),
    short_label=_("CMDB accuracy"),
    definition=_(
        "Of the fields of the vendor's configuration items checked in the client's spot checks dated in the "
        "period, the share found as recorded. No figure when nothing was checked."
    ),
    record_kind=RECORD_SPOT_CHECK_ITEM,
    loader=LOADER,
    compute=lambda facts, window: indicators.cmdb_accuracy(facts, window.period),
    uses=frozenset({SCHEME}),
    owner="configuration",
)


def register() -> None:
    """Register the loader, the record kind and the source (once, from `ConfigurationConfig.ready()`)."""
    if registry.find(indicators.CMDB_ACCURACY) is not None:
        return
    registry.register_loader(Loader(LOADER, load_checked_items, list))
    registry.register_record_kind(SPOT_CHECK_ITEMS)
    registry.register(CMDB_ACCURACY)
