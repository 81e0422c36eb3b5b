"""Writes to spare parts: the catalogue (parts, locations, reorder settings) and the stock ledger.

Every movement appends ledger rows and updates the balance of its item × location in the same transaction,
under the balance row's lock, so two people taking the last unit at once queue on the row: the first takes it,
the second is refused (``OutOfStock``), and on hand never goes below zero (the database refuses it too)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Sum
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import audit_record, diff_snapshots, model_snapshot
from oversight.core import clock
from oversight.core.errors import ApplicationError
from oversight.core.events import publish
from oversight.parts import calc, permissions
from oversight.parts.choices import MOVEMENT_SIGNS, MovementKind
from oversight.parts.events import STOCK_LOW, STOCK_MOVED
from oversight.parts.models import PartItem, StockLevel, StockLocation, StockMovement
from oversight.tickets.choices import FINAL_STATUSES

ITEM_FIELDS = ("code", "name", "name_en", "unit", "unit_price", "currency", "vendor", "contract", "is_active")
LOCATION_FIELDS = ("code", "name", "name_en", "site", "is_active")


class OutOfStock(ApplicationError):
    """A movement would take more than is on hand: refused, nothing is written."""

    status_code = 409
    code = "out_of_stock"


def _clean_text(value) -> str:
    return (value or "").strip()


def _check_item(*, organisation_id: int, code: str, name: str, unit: str, unit_price, vendor, contract) -> None:
    if not code or not name or not unit:
        raise ApplicationError(_("Give the part a code, a name and a unit."))
    if unit_price is None or Decimal(unit_price) < 0:
        raise ApplicationError(_("The unit price cannot be negative."))
    if vendor is None or vendor.organisation_id != organisation_id:
        raise ApplicationError(_("Choose a vendor of your own organisation."))
    if contract is not None and contract.vendor_id != vendor.pk:
        raise ApplicationError(_("The contract must be one of the part's vendor's contracts."))


def _check_code_free(model, organisation_id: int, code: str, exclude_pk=None) -> None:
    taken = model.objects.filter(organisation_id=organisation_id, code=code).exclude(pk=exclude_pk).exists()
    if taken:
        raise ApplicationError(_("This code is already used: %(code)s") % {"code": code})


@transaction.atomic
def item_create(
    *,
    actor,
    code: str,
    name: str,
    unit: str,
    unit_price: Decimal,
    vendor,
    name_en: str = "",
    currency: str = "CNY",
    contract=None,
) -> PartItem:
    """Add a spare part to the organisation's catalogue."""
    permissions.require(permissions.may_manage_catalogue(actor, getattr(actor, "organisation_id", None)))
    organisation_id = actor.organisation_id
    code, name, unit = _clean_text(code), _clean_text(name), _clean_text(unit)
    _check_item(
        organisation_id=organisation_id,
        code=code,
        name=name,
        unit=unit,
        unit_price=unit_price,
        vendor=vendor,
        contract=contract,
    )
    _check_code_free(PartItem, organisation_id, code)
    now = clock.now()
    item = PartItem.objects.create(
        organisation_id=organisation_id,
        code=code,
        name=name,
        name_en=_clean_text(name_en),
        unit=unit,
        unit_price=Decimal(unit_price),
        currency=(currency or "CNY").upper(),
        vendor=vendor,
        contract=contract,
        created_at=now,
        updated_at=now,
    )
    audit_record(actor=actor, action="parts.item.created", obj=item, after=model_snapshot(item))
    return item


@transaction.atomic
def item_update(*, actor, item: PartItem, **changes) -> PartItem:
    """Change a part's details (the ledger keeps the unit price each movement was made at)."""
    unknown = set(changes) - set(ITEM_FIELDS)
    if unknown:
        raise ApplicationError(_("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(unknown)})
    locked = PartItem.objects.select_for_update().get(pk=item.pk)
    permissions.require(permissions.may_manage_catalogue(actor, locked.organisation_id))
    before = model_snapshot(locked)
    for name, value in changes.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    _check_item(
        organisation_id=locked.organisation_id,
        code=locked.code,
        name=locked.name,
        unit=locked.unit,
        unit_price=locked.unit_price,
        vendor=locked.vendor,
        contract=locked.contract,
    )
    _check_code_free(PartItem, locked.organisation_id, locked.code, exclude_pk=locked.pk)
    old, new = diff_snapshots(before, model_snapshot(locked))
    if new:
        locked.updated_at = clock.now()
        locked.save(update_fields=[*changes, "updated_at"])
        audit_record(actor=actor, action="parts.item.updated", obj=locked, before=old, after=new)
    return locked


@transaction.atomic
def location_create(*, actor, site, code: str, name: str, name_en: str = "") -> StockLocation:
    """Add a place where parts are kept, at one site of the organisation."""
    permissions.require(permissions.may_manage_catalogue(actor, getattr(actor, "organisation_id", None)))
    organisation_id = actor.organisation_id
    code, name = _clean_text(code), _clean_text(name)
    if not code or not name:
        raise ApplicationError(_("Give the location a code and a name."))
    if site is None or site.organisation_id != organisation_id:
        raise ApplicationError(_("Choose a site of your own organisation."))
    _check_code_free(StockLocation, organisation_id, code)
    location = StockLocation.objects.create(
        organisation_id=organisation_id, site=site, code=code, name=name, name_en=_clean_text(name_en)
    )
    audit_record(actor=actor, action="parts.location.created", obj=location, after=model_snapshot(location))
    return location


def _level_locked(item: PartItem, location: StockLocation, now: dt.datetime) -> StockLevel:
    """The balance row of an item × location, created empty when missing, reloaded under its row lock."""
    level, _created = StockLevel.objects.get_or_create(item=item, location=location, defaults={"updated_at": now})
    return StockLevel.objects.select_for_update(of=("self",)).get(pk=level.pk)


@transaction.atomic
def level_set(*, actor, item: PartItem, location: StockLocation, reorder_point: int, target_stock: int) -> StockLevel:
    """Set the reorder point and the target stock of an item at a location."""
    permissions.require(permissions.may_manage_catalogue(actor, item.organisation_id))
    if location.organisation_id != item.organisation_id:
        raise ApplicationError(_("Choose a location of the part's organisation."))
    if reorder_point is None or target_stock is None or int(reorder_point) < 0 or int(target_stock) < 0:
        raise ApplicationError(_("The reorder point and the target stock are whole numbers, 0 or more."))
    if int(target_stock) < int(reorder_point):
        raise ApplicationError(_("The target stock cannot be below the reorder point."))
    now = clock.now()
    level = _level_locked(item, location, now)
    before = {"reorder_point": level.reorder_point, "target_stock": level.target_stock}
    level.reorder_point, level.target_stock, level.updated_at = int(reorder_point), int(target_stock), now
    level.save(update_fields=["reorder_point", "target_stock", "updated_at"])
    after = {"reorder_point": level.reorder_point, "target_stock": level.target_stock}
    if after != before:
        audit_record(actor=actor, action="parts.level.updated", obj=item, before=before, after=after)
    return level


def _check_location(item: PartItem, location: StockLocation) -> None:
    if location is None or location.organisation_id != item.organisation_id:
        raise ApplicationError(_("Choose a stock location of the part's organisation."))
    if not location.is_active:
        raise ApplicationError(_("This stock location is no longer in use."))


def _check_work_order(actor, item: PartItem, work_order, kind: str) -> None:
    if work_order is None:
        if kind == MovementKind.CONSUME:
            raise ApplicationError(_("Give the number of the work order the part is used on."))
        return
    if kind not in (MovementKind.CONSUME, MovementKind.RETURN):
        raise ApplicationError(_("Only a use or a return refers to a work order."))
    if work_order.organisation_id != item.organisation_id:
        raise ApplicationError(_("The work order must belong to the part's organisation."))
    if work_order.status in FINAL_STATUSES:
        raise ApplicationError(_("Parts cannot be used on or returned from a closed or cancelled work order."))
    permissions.require(
        permissions.may_use_on(actor, work_order),
        _("You may use parts only on your own vendor's work orders."),
    )


def _refuse_out_of_stock(item: PartItem, location: StockLocation, on_hand: int, wanted: int):
    return OutOfStock(
        _("Only %(on_hand)s %(unit)s of %(item)s are on hand at %(location)s: %(wanted)s cannot be taken.")
        % {
            "on_hand": on_hand,
            "unit": item.unit,
            "item": item.localized_name,
            "location": location.localized_name,
            "wanted": wanted,
        },
        extra={"on_hand": on_hand, "requested": wanted},
    )


def _append(
    *,
    actor,
    item: PartItem,
    location: StockLocation,
    level: StockLevel,
    kind: str,
    hand: int,
    order: int,
    now: dt.datetime,
    **fields,
) -> StockMovement:
    """Write one ledger row and move the locked balance by the same amounts (refused below zero)."""
    if level.on_hand + hand < 0:
        raise _refuse_out_of_stock(item, location, level.on_hand, -hand)
    if level.on_order + order < 0:
        raise ApplicationError(
            _("Only %(on_order)s are on order: %(wanted)s cannot be cancelled.")
            % {"on_order": level.on_order, "wanted": -order}
        )
    # The balance moves only if it still allows it (the lock already guarantees it; this guards the rule
    # even for a caller that forgot the lock, and the check constraints guard it once more).
    moved = StockLevel.objects.filter(pk=level.pk, on_hand__gte=-hand, on_order__gte=-order).update(
        on_hand=F("on_hand") + hand, on_order=F("on_order") + order, updated_at=now
    )
    if not moved:
        level.refresh_from_db(fields=["on_hand"])
        raise _refuse_out_of_stock(item, location, level.on_hand, -hand)
    level.on_hand += hand
    level.on_order += order
    movement = StockMovement.objects.create(
        organisation_id=item.organisation_id,
        item=item,
        location=location,
        kind=kind,
        quantity=hand,
        on_order_change=order,
        unit_price=item.unit_price,
        currency=item.currency,
        vendor_id=item.vendor_id,
        actor=actor,
        at=now,
        **fields,
    )
    publish(STOCK_MOVED, movement_id=movement.pk, actor_id=actor.pk)
    if hand < 0 and calc.is_low(on_hand=level.on_hand, reorder_point=level.reorder_point):
        publish(STOCK_LOW, item_id=item.pk, location_id=location.pk)
    return movement


def _whole(quantity) -> int | None:
    """The quantity as a whole number, or None when it is not one (1.5, "two", True)."""
    if isinstance(quantity, bool):
        return None
    if isinstance(quantity, int):
        return quantity
    try:
        return int(str(quantity).strip())
    except ValueError:
        return None


def _positive(quantity) -> int:
    value = _whole(quantity)
    if value is None or value <= 0:
        raise ApplicationError(_("The quantity is a whole number above 0."))
    return value


def _returnable(item: PartItem, work_order) -> int:
    """Units of the item used on the work order and not yet returned."""
    rows = StockMovement.objects.filter(
        item=item, work_order=work_order, kind__in=[MovementKind.CONSUME, MovementKind.RETURN]
    )
    return -(rows.aggregate(total=Sum("quantity"))["total"] or 0)


@transaction.atomic
def movement_record(
    *,
    actor,
    item: PartItem,
    location: StockLocation,
    kind: str,
    quantity: int,
    work_order=None,
    reference: str = "",
    reason: str = "",
) -> StockMovement:
    """Record an order, a cancelled order, a receipt, a use on a work order, a return or an adjustment.

    ``quantity`` is the number of units, above 0, except for an adjustment, whose sign says whether stock is
    added or removed (and which needs a reason). Refused with ``OutOfStock`` when it would take more than is on
    hand; a receipt settles what is on order as far as something is."""
    if kind not in MOVEMENT_SIGNS or kind in (MovementKind.TRANSFER_IN, MovementKind.TRANSFER_OUT):
        raise ApplicationError(_("Unknown kind of movement."))
    permissions.require(permissions.may_move(actor, item, kind))
    _check_location(item, location)
    if not item.is_active and kind in (MovementKind.ORDER, MovementKind.RECEIVE):
        raise ApplicationError(_("This part is no longer in use: it cannot be ordered or received."))
    _check_work_order(actor, item, work_order, kind)
    reason = _clean_text(reason)
    if kind == MovementKind.ADJUST:
        amount = _whole(quantity)
        if not amount:
            raise ApplicationError(_("An adjustment adds or removes at least one unit (e.g. 2 or -1)."))
        if not reason:
            raise ApplicationError(_("Say why the stock is adjusted."))
    else:
        amount = _positive(quantity)
    now = clock.now()
    level = _level_locked(item, location, now)
    hand_sign, order_sign = MOVEMENT_SIGNS[kind]
    hand = amount if hand_sign is None else hand_sign * amount
    order = order_sign * amount
    if kind == MovementKind.RECEIVE:
        order = -calc.receipt_settles(received=amount, on_order=level.on_order)
    elif kind in (MovementKind.ORDER, MovementKind.ORDER_CANCEL):
        hand = 0
    if kind == MovementKind.RETURN and work_order is not None:
        returnable = _returnable(item, work_order)
        if amount > returnable:
            raise ApplicationError(
                _("Only %(count)s of this part were used on %(number)s and not yet returned.")
                % {"count": returnable, "number": work_order.number}
            )
    movement = _append(
        actor=actor,
        item=item,
        location=location,
        level=level,
        kind=kind,
        hand=hand,
        order=order,
        now=now,
        work_order=work_order,
        reference=_clean_text(reference)[:100],
        reason=reason,
    )
    # The action codes are written out so the audit labels can be checked against them.
    for code, action in (
        (MovementKind.ORDER, "parts.movement.order"),
        (MovementKind.ORDER_CANCEL, "parts.movement.order_cancel"),
        (MovementKind.RECEIVE, "parts.movement.receive"),
        (MovementKind.CONSUME, "parts.movement.consume"),
        (MovementKind.RETURN, "parts.movement.return"),
        (MovementKind.ADJUST, "parts.movement.adjust"),
    ):
        if kind == code:
            audit_record(actor=actor, action=action, obj=item, after=model_snapshot(movement))
    return movement


@transaction.atomic
def stock_transfer(
    *, actor, item: PartItem, source: StockLocation, destination: StockLocation, quantity: int, reason: str = ""
) -> tuple[StockMovement, StockMovement]:
    """Move units of a part from one location to another: two ledger rows in one transaction."""
    permissions.require(permissions.may_move(actor, item, MovementKind.TRANSFER_OUT))
    _check_location(item, source)
    _check_location(item, destination)
    if source.pk == destination.pk:
        raise ApplicationError(_("Choose two different locations."))
    amount = _positive(quantity)
    now = clock.now()
    # Lock the two balances in one fixed order, so two opposite transfers never wait on each other forever.
    locked = {}
    for location in sorted((source, destination), key=lambda loc: loc.pk):
        locked[location.pk] = _level_locked(item, location, now)
    key = uuid.uuid4().hex
    common = {"transfer_key": key, "reason": _clean_text(reason)}
    out = _append(
        actor=actor,
        item=item,
        location=source,
        level=locked[source.pk],
        kind=MovementKind.TRANSFER_OUT,
        hand=-amount,
        order=0,
        now=now,
        counterpart=destination,
        **common,
    )
    into = _append(
        actor=actor,
        item=item,
        location=destination,
        level=locked[destination.pk],
        kind=MovementKind.TRANSFER_IN,
        hand=amount,
        order=0,
        now=now,
        counterpart=source,
        **common,
    )
    audit_record(
        actor=actor,
        action="parts.movement.transfer",
        obj=item,
        after={"from": source.code, "to": destination.code, "quantity": amount, "transfer": key},
    )
    return out, into


def ledger_balances(*, organisation_id: int) -> dict[tuple[int, int], tuple[int, int]]:
    """(item, location) -> (on hand, on order) summed from the ledger alone: what the balances must equal."""
    rows = (
        StockMovement.objects.filter(organisation_id=organisation_id)
        .values("item_id", "location_id")
        .annotate(hand=Sum("quantity"), order=Sum("on_order_change"))
        .order_by()
    )
    return {(r["item_id"], r["location_id"]): (r["hand"], r["order"]) for r in rows}


def stock_mismatches(*, organisation_id: int) -> list[tuple[int, int, tuple[int, int], tuple[int, int]]]:
    """Every item × location whose kept balance differs from its ledger: (item, location, kept, ledger)."""
    ledger = ledger_balances(organisation_id=organisation_id)
    found = []
    levels = StockLevel.objects.filter(item__organisation_id=organisation_id)
    kept = {(lv.item_id, lv.location_id): (lv.on_hand, lv.on_order) for lv in levels}
    for key in sorted(set(ledger) | set(kept)):
        if kept.get(key, (0, 0)) != ledger.get(key, (0, 0)):
            found.append((*key, kept.get(key, (0, 0)), ledger.get(key, (0, 0))))
    return found


@transaction.atomic
def stock_rebuild(*, organisation_id: int) -> int:
    """Set every kept balance of the organisation back to what its ledger says; returns how many changed."""
    fixed = 0
    now = clock.now()
    for item_id, location_id, _kept, (hand, order) in stock_mismatches(organisation_id=organisation_id):
        level, _created = StockLevel.objects.select_for_update().get_or_create(
            item_id=item_id, location_id=location_id, defaults={"updated_at": now}
        )
        level.on_hand, level.on_order, level.updated_at = hand, order, now
        level.save(update_fields=["on_hand", "on_order", "updated_at"])
        fixed += 1
    return fixed
