"""Reads of spare parts, their stock and their ledger, limited to what the acting user may see.

Client roles see every part of their organisation; vendor staff the parts their own vendor supplies (and their
stock and ledger rows, through the same gate); requesters none. Locations are shared reference data."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from oversight.parts import calc
from oversight.parts.choices import MovementKind
from oversight.parts.models import PartItem, StockLevel, StockLocation, StockMovement
from oversight.tenancy.visibility import restrict


def item_list(*, user) -> QuerySet[PartItem]:
    """The parts the user may see, with their vendor."""
    return restrict(PartItem.objects.select_related("vendor", "contract"), user)


def item_get(*, user, pk) -> PartItem:
    """One visible part, or 404 (never 403)."""
    try:
        return item_list(user=user).get(pk=pk)
    except (PartItem.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def location_list(*, user) -> QuerySet[StockLocation]:
    """The stock locations of the user's organisation (every staff role sees them)."""
    return restrict(StockLocation.objects.select_related("site"), user)


def location_get(*, user, pk) -> StockLocation:
    """One visible stock location, or 404."""
    try:
        return location_list(user=user).get(pk=pk)
    except (StockLocation.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def level_list(*, user) -> QuerySet[StockLevel]:
    """Stock per item × location the user may see, by part code then location code."""
    return (
        restrict(StockLevel.objects.select_related("item__vendor", "location"), user)
        .filter(item__is_active=True)
        .order_by("item__code", "location__code")
    )


def movement_list(*, user) -> QuerySet[StockMovement]:
    """Ledger rows the user may see, newest first."""
    return restrict(
        StockMovement.objects.select_related("item", "location", "counterpart", "work_order", "actor"), user
    ).order_by("-at", "-id")


def work_order_parts(*, user, work_order) -> QuerySet[StockMovement]:
    """The uses and returns of parts on a work order that the user may see, oldest first."""
    return movement_list(user=user).filter(work_order=work_order).order_by("at", "id")


def vendor_consumption(*, organisation_id: int, vendor_id: int, start, end) -> list[calc.Consumption]:
    """What the vendor's parts were used for on work orders in ``[start, end)``, net of returns, per part and unit
    price (`calc.consumption`). A read for a whole vendor, made by the service report and the settlement of a
    period (which decide who may see them); people's pages read the ledger through `movement_list`."""
    rows = (
        StockMovement.objects.filter(
            organisation_id=organisation_id,
            vendor_id=vendor_id,
            kind__in=(MovementKind.CONSUME, MovementKind.RETURN),
            work_order__isnull=False,
            at__gte=start,
            at__lt=end,
        )
        .order_by("id")
        .values_list("item_id", "item__code", "unit_price", "quantity", "work_order__number")
    )
    return calc.consumption(calc.UseRow(*row) for row in rows)


def items_by_id(ids) -> dict[int, PartItem]:
    """The parts with these ids (the names, units and currencies of a `vendor_consumption`)."""
    return {item.pk: item for item in PartItem.objects.filter(pk__in=set(ids))}
