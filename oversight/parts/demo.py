"""Demo spare parts of the demo hospital, made through the real services (so the ledger, balances, audit trail
and low-stock alerts are what a user would have produced).

`load_demo_parts(organisation)` is idempotent (an organisation that already has parts is left alone) and dates
the movements relative to today in the organisation's time zone, over the last 80 days:

* two stock locations: 信息科备件库 (at the IT centre's machine room) and 门诊楼机房 (the outpatient building);
* 桌面运维 (``desk``): toner cartridges, USB keyboards and barcode printers' print heads;
* 网络运维 (``net``): 10G SFP+ modules and a 24-port access switch — of 10 SFP modules ordered only 3 were
  delivered, so they stay below their reorder point of 4 (7 still on order; a low-stock alert once one is used);
* HIS 应用支持 (``his``): HIS server disks;
* each part is ordered and received, used on the vendor's open work orders, and some are transferred or
  adjusted after a stock count.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from oversight.core import clock
from oversight.core.zones import local_today, zone_of
from oversight.parts import services
from oversight.parts.models import PartItem
from oversight.tenancy.choices import Role
from oversight.tenancy.models import Site, User, Vendor
from oversight.tickets.choices import FINAL_STATUSES
from oversight.tickets.models import WorkOrder

# code, vendor code, name, English name, unit, unit price, home location, reorder point, target, ordered,
# received, uses on work orders
PARTS = [
    ("TN-88A", "desk", "硒鼓（HP 88A）", "Toner cartridge (HP 88A)", "个", "380.00", "store", 5, 20, 20, 20, 9),
    ("KB-USB", "desk", "USB 有线键盘", "USB keyboard", "个", "65.00", "store", 3, 10, 12, 12, 4),
    ("PH-ZD888", "desk", "条码打印机打印头（斑马 ZD888）", "Barcode printer print head (Zebra ZD888)", "个",
     "1650.00", "store", 1, 3, 3, 3, 1),
    ("SFP-10G-LR", "net", "万兆光模块（SFP+ 10G LR）", "10G SFP+ module (LR)", "个", "980.00", "room", 4, 10, 10, 3, 2),
    ("SW-24P", "net", "24 口千兆接入交换机", "24-port gigabit access switch", "台", "4200.00", "room", 1, 2, 2, 2, 0),
    ("HDD-1.2T", "his", "HIS 服务器硬盘（1.2TB SAS）", "HIS server disk (1.2 TB SAS)", "块", "2300.00", "store",
     2, 4, 4, 4, 1),
]  # fmt: skip
# code, name, English name, site code
LOCATIONS = {
    "store": ("IT-STORE", "信息科备件库", "IT department spare parts store", "server-room"),
    "room": ("OPD-ROOM", "门诊楼机房", "Outpatient building machine room", "opd-bldg"),
}


def _at(day: dt.date, hour: int, organisation) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=zone_of(organisation))


def _site(organisation, code: str):
    return (
        Site.objects.filter(organisation=organisation, code=code).first()
        or Site.objects.filter(organisation=organisation).order_by("pk").first()
    )


def _open_work_orders(organisation, vendor, since: dt.datetime) -> list:
    """The vendor's work orders still open (or resolved, not closed) received since `since`, oldest first."""
    return list(
        WorkOrder.objects.filter(organisation=organisation, vendor=vendor, created_at__gte=since)
        .exclude(status__in=FINAL_STATUSES)
        .select_related("assignee")
        .order_by("created_at", "pk")
    )


def load_demo_parts(organisation) -> list[PartItem]:
    """Create (once) the demo parts, locations and movements of the organisation; return its parts."""
    existing = list(PartItem.objects.filter(organisation=organisation).order_by("code"))
    if existing:
        return existing
    supervisor = (
        User.objects.filter(organisation=organisation, role=Role.CLIENT_SUPERVISOR, is_active=True)
        .order_by("pk")
        .first()
    )
    vendors = {v.code: v for v in Vendor.objects.filter(organisation=organisation)}
    if supervisor is None or not all(code in vendors for code in ("desk", "net", "his")):
        return []
    today = local_today(organisation)
    start = today - dt.timedelta(days=80)
    latest = clock.now() - dt.timedelta(minutes=5)
    with clock.frozen_at(_at(start - dt.timedelta(days=1), 9, organisation)):
        locations = {
            key: services.location_create(
                actor=supervisor, site=_site(organisation, site), code=code, name=name, name_en=name_en
            )
            for key, (code, name, name_en, site) in LOCATIONS.items()
        }
    items = []
    for index, (
        code,
        vendor_code,
        name,
        name_en,
        unit,
        price,
        home,
        reorder,
        target,
        ordered,
        received,
        used,
    ) in enumerate(PARTS):
        vendor = vendors[vendor_code]
        location = locations[home]
        with clock.frozen_at(_at(start, 9, organisation)):
            item = services.item_create(
                actor=supervisor,
                code=code,
                name=name,
                name_en=name_en,
                unit=unit,
                unit_price=Decimal(price),
                vendor=vendor,
            )
            services.level_set(
                actor=supervisor, item=item, location=location, reorder_point=reorder, target_stock=target
            )
            services.movement_record(
                actor=supervisor, item=item, location=location, kind="order", quantity=ordered, reference=f"PO-{code}"
            )
        received_at = _at(start + dt.timedelta(days=3 + index), 10, organisation)
        with clock.frozen_at(received_at):
            services.movement_record(
                actor=supervisor,
                item=item,
                location=location,
                kind="receive",
                quantity=received,
                reference=f"DN-{code}",
            )
        work_orders = _open_work_orders(organisation, vendor, received_at)
        for n, work_order in enumerate(work_orders[:used]):
            actor = work_order.assignee if work_order.assignee and work_order.assignee.vendor_id == vendor.pk else None
            at = min(work_order.created_at + dt.timedelta(hours=2 + n % 3), latest)
            with clock.frozen_at(max(at, received_at)):
                services.movement_record(
                    actor=actor or supervisor,
                    item=item,
                    location=location,
                    kind="consume",
                    quantity=1,
                    work_order=work_order,
                )
        items.append(item)
    _later_movements(organisation, supervisor, locations, {item.code: item for item in items}, today)
    return sorted(items, key=lambda item: item.code)


def _later_movements(organisation, supervisor, locations, items, today) -> None:
    """A transfer to the outpatient machine room, a stock-count adjustment, and an open order."""
    with clock.frozen_at(_at(today - dt.timedelta(days=20), 15, organisation)):
        services.level_set(
            actor=supervisor, item=items["TN-88A"], location=locations["room"], reorder_point=2, target_stock=5
        )
        services.stock_transfer(
            actor=supervisor,
            item=items["TN-88A"],
            source=locations["store"],
            destination=locations["room"],
            quantity=4,
            reason="门诊楼打印机集中更换",
        )
    with clock.frozen_at(_at(today - dt.timedelta(days=10), 16, organisation)):
        services.movement_record(
            actor=supervisor,
            item=items["KB-USB"],
            location=locations["store"],
            kind="adjust",
            quantity=-1,
            reason="月度盘点：1 个键盘外壳破损报废",
        )
    with clock.frozen_at(_at(today - dt.timedelta(days=2), 11, organisation)):
        services.movement_record(
            actor=supervisor,
            item=items["HDD-1.2T"],
            location=locations["store"],
            kind="order",
            quantity=1,
            reference="PO-HDD-2",
        )
