"""Reads of spare parts, their stock and their ledger, limited to what the acting user may see.

Client roles see every part of their organisation; vendor staff the parts their own vendor supplies (and their
stock and ledger rows, through the same gate); requesters none. Locations are shared reference data."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

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
