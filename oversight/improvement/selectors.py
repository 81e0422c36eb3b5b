"""Reads of the improvement register, limited to what the acting user may see (the one gate, ADR 0007).

Client roles see their organisation's items; vendor managers and agents only their own vendor's; requesters none.
Measurements and timeline steps are seen with their item.
"""

from __future__ import annotations

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from oversight.contracts.selectors import contract_list
from oversight.improvement.models import EffectMeasurement, ImprovementActivity, ImprovementItem
from oversight.tenancy.visibility import restrict

LIST_RELATED = ("vendor", "owner", "approver")


def item_list(*, user) -> QuerySet[ImprovementItem]:
    """Items the user may see, with their latest measurement's outcome annotated (one query)."""
    latest = EffectMeasurement.objects.filter(item=OuterRef("pk")).order_by("-measured_at", "-id")
    return restrict(ImprovementItem.objects.select_related(*LIST_RELATED), user).annotate(
        last_target_met=Subquery(latest.values("target_met")[:1]),
        last_after=Subquery(latest.values("after_value")[:1]),
    )


def item_get(*, user, pk) -> ImprovementItem:
    """One visible item, or 404 (never 403: nobody learns that an invisible one exists)."""
    try:
        return restrict(
            ImprovementItem.objects.select_related(*LIST_RELATED, "contract", "service", "organisation", "created_by"),
            user,
        ).get(pk=pk)
    except (ImprovementItem.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def item_timeline(*, item: ImprovementItem) -> QuerySet[ImprovementActivity]:
    """The item's timeline in order (seen with the item)."""
    return item.events.select_related("actor").order_by("seq")


def measurements(*, user, item: ImprovementItem) -> QuerySet[EffectMeasurement]:
    """The item's measurements, newest first."""
    return (
        restrict(EffectMeasurement.objects.filter(item=item), user)
        .select_related("measured_by", "vendor")
        .order_by("-measured_at", "-id")
    )


def latest_measurement(*, user, item: ImprovementItem) -> EffectMeasurement | None:
    """The item's latest measurement (None before any)."""
    return measurements(user=user, item=item).first()


def items_for_report(*, user, organisation_id: int, vendor_id: int, start, end, contract_id=None):
    """The items of a vendor a service report lists for ``[start, end)``: every item raised before the period ends
    that was still open at its start (not closed or rejected before it), oldest first, each with its measurements
    taken before the period ends (newest first, in ``period_measurements``). A contract's report lists the items
    of that contract and those naming no contract."""
    qs = item_list(user=user).filter(organisation_id=organisation_id, vendor_id=vendor_id, created_at__lt=end)
    if contract_id is not None:
        qs = qs.filter(Q(contract_id=contract_id) | Q(contract__isnull=True))
    taken = EffectMeasurement.objects.filter(measured_at__lt=end).order_by("-measured_at", "-id")
    return (
        qs.filter(Q(closed_at__isnull=True) | Q(closed_at__gte=start))
        .prefetch_related(Prefetch("measurements", queryset=taken, to_attr="period_measurements"))
        .order_by("created_at", "pk")
    )


def contract_choices(*, user):
    """Contracts an item may be scoped to."""
    return contract_list(user=user)
