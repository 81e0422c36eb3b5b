"""The permission matrix's knowledge of the spare parts app: parts, stock locations, stock levels and the ledger.

Rules (the parts app's stated design): the client side of the organisation sees every part, its stock and its
ledger; vendor staff see the parts their own vendor supplies (with their stock and ledger rows) and every stock
location of their organisation; requesters and other organisations see none. The pages are for client and
vendor staff; the catalogue (new part, new location, reorder settings) is the client operators'; movements are
recorded by the client operators and the part's vendor staff (the services refine who may record which kind).
"""

from __future__ import annotations

from decimal import Decimal

from oversight.parts import services
from oversight.parts.models import PartItem, StockLevel, StockLocation, StockMovement
from oversight.tenancy.choices import Role
from tests.factories import SiteFactory
from tests.permissions.permissions_support import CLIENT_SIDE, VENDOR_SIDE, Matrix, Payload, describe_app, secret, side

READERS = CLIENT_SIDE | VENDOR_SIDE
OPERATORS = frozenset({Role.CLIENT_ADMIN, Role.CLIENT_SUPERVISOR})
WRITERS = OPERATORS | VENDOR_SIDE
# Instance key -> (vendor attribute of the world, the client operator who creates it).
ITEMS = {
    "A.V1": ("vendor", "client_admin"),
    "A.V2": ("other_vendor", "client_admin"),
    "X": ("foreign_vendor", "foreign_admin"),
}


def _key(instance: str) -> str:
    return "P" + instance.replace(".", "")


def build(matrix: Matrix) -> None:
    world = matrix.world
    admin, foreign_admin = matrix.users["client_admin"], matrix.users["foreign_admin"]
    locations = {
        "A.store": services.location_create(actor=admin, site=world.dept, code="pmx-store", name=secret("LA", "Store")),
        "A.ward": services.location_create(
            actor=admin, site=world.other_dept, code="pmx-ward", name=secret("LA", "Ward")
        ),
        "X": services.location_create(
            actor=foreign_admin,
            site=SiteFactory(organisation=world.other_org, code="pmx-far"),
            code="pmx-far",
            name=secret("LX", "Store"),
        ),
    }
    items, levels, movements = {}, {}, {}
    for instance, (vendor_attr, creator) in ITEMS.items():
        actor = matrix.users[creator]
        key = _key(instance)
        item = services.item_create(
            actor=actor,
            code=f"PMX-{key}",
            name=secret(key, "Part"),
            unit="pcs",
            unit_price=Decimal("10.00"),
            vendor=getattr(world, vendor_attr),
        )
        items[instance] = item
        places = ("X",) if instance == "X" else ("A.store", "A.ward")
        for place in places:
            movements[f"{instance}@{place}"] = services.movement_record(
                actor=actor, item=item, location=locations[place], kind="receive", quantity=5, reference=f"PMX-DN{key}"
            )
            levels[f"{instance}@{place}"] = StockLevel.objects.get(item=item, location=locations[place])
    movements["A.V1.used"] = services.movement_record(
        actor=matrix.users["vendor_agent"],
        item=items["A.V1"],
        location=locations["A.store"],
        kind="consume",
        quantity=1,
        work_order=matrix.work_orders["A1"],
    )
    matrix.objects["part_item"] = items
    matrix.objects["part_location"] = locations
    matrix.objects["part_level"] = levels
    matrix.objects["part_movement"] = movements


def sees_item(matrix: Matrix, role: str, item) -> bool:
    user = matrix.user(role)
    if user is None or user.organisation_id != item.organisation_id:
        return False
    who = side(user)
    return who == "client" or (who == "vendor" and item.vendor_id == user.vendor_id)


def sees_location(matrix: Matrix, role: str, location) -> bool:
    user = matrix.user(role)
    return user is not None and user.organisation_id == location.organisation_id and side(user) in ("client", "vendor")


def words(matrix: Matrix, role: str) -> dict[str, str]:
    out = {}
    for instance, item in matrix.objects["part_item"].items():
        if not sees_item(matrix, role, item):
            out[item.name] = f"part {instance}"
    for instance, location in matrix.objects["part_location"].items():
        if not sees_location(matrix, role, location):
            out[location.name] = f"stock location {instance}"
    return out


def _form(data):
    return lambda target, matrix: Payload(data(matrix) if callable(data) else dict(data))


def _json(data):
    return lambda target, matrix: Payload(data(matrix) if callable(data) else dict(data), json=True)


def _place(matrix: Matrix, name: str) -> int:
    return matrix.objects["part_location"][name].pk


def _part(matrix: Matrix) -> int:
    return matrix.objects["part_item"]["A.V1"].pk


describe_app(
    "parts",
    models={
        "part_item": PartItem,
        "part_location": StockLocation,
        "part_level": StockLevel,
        "part_movement": StockMovement,
    },
    build=build,
    rules={
        "part_item": sees_item,
        "part_location": sees_location,
        "part_level": lambda matrix, role, level: sees_item(matrix, role, level.item),
        "part_movement": lambda matrix, role, movement: sees_item(matrix, role, movement.item),
    },
    words=words,
    tables=(PartItem, StockLocation, StockLevel, StockMovement),
    pk_models={
        "parts:item_detail": "part_item",
        "parts:movement": "part_item",
        "parts:transfer": "part_item",
        "parts:level": "part_item",
    },
    gates={
        "parts:overview": READERS,
        "parts:item_detail": READERS,
        "parts:item_create": OPERATORS,
        "parts:location_create": OPERATORS,
        "parts:movement": WRITERS,
        "parts:transfer": WRITERS,
        "parts:level": OPERATORS,
        "parts:consume": WRITERS,
    },
    payloads={
        ("parts:item_create", "post"): _form(
            lambda m: {
                "code": "PMX-NEW",
                "name": "PmxNewPart",
                "unit": "pcs",
                "unit_price": "1.00",
                "vendor": m.world.vendor.pk,
            }
        ),
        ("parts:location_create", "post"): _form(
            lambda m: {"code": "pmx-new", "name": "PmxNewPlace", "site": m.world.dept.pk}
        ),
        ("parts:movement", "post"): _form(
            lambda m: {"kind": "receive", "location": _place(m, "A.store"), "quantity": "1"}
        ),
        ("parts:transfer", "post"): _form(
            lambda m: {"source": _place(m, "A.store"), "destination": _place(m, "A.ward"), "quantity": "1"}
        ),
        ("parts:level", "post"): _form(
            lambda m: {"location": _place(m, "A.store"), "reorder_point": "1", "target_stock": "2"}
        ),
        ("parts:consume", "post"): _form(
            lambda m: {"item": _part(m), "location": _place(m, "A.store"), "quantity": "1"}
        ),
        ("api:part-item-list", "post"): _json(
            lambda m: {
                "code": "PMX-API",
                "name": "PmxApiPart",
                "unit": "pcs",
                "unit_price": "1.00",
                "vendor": m.world.vendor.pk,
            }
        ),
        ("api:part-location-list", "post"): _json(
            lambda m: {"code": "pmx-api", "name": "PmxApiPlace", "site": m.world.dept.pk}
        ),
        ("api:part-movement-list", "post"): _json(
            lambda m: {"item": _part(m), "location": _place(m, "A.store"), "kind": "receive", "quantity": 1}
        ),
        ("api:part-movement-transfer", "post"): _json(
            lambda m: {
                "item": _part(m),
                "source": _place(m, "A.store"),
                "destination": _place(m, "A.ward"),
                "quantity": 1,
            }
        ),
    },
)
