"""The permission matrix's knowledge of the improvement register.

Rules (issue 11 "Continuous improvement register", brief H4): the client side of the organisation sees every
improvement; vendor staff only their own vendor's; requesters and other organisations none; measurements and the
timeline are seen with their item. The client's administrators and supervisors and the vendor managers raise
items; the edit page opens for the client's operators and the item's owner; executives and auditors read.
"""

from __future__ import annotations

from oversight.improvement import services
from oversight.improvement.choices import ItemAction
from oversight.improvement.models import EffectMeasurement, ImprovementActivity, ImprovementItem
from oversight.tenancy.choices import Role
from tests.permissions.permissions_support import (
    CLIENT_SIDE,
    VENDOR_SIDE,
    Matrix,
    Payload,
    Target,
    describe_app,
    secret,
    side,
)

READERS = CLIENT_SIDE | VENDOR_SIDE
OPERATORS = frozenset({Role.CLIENT_ADMIN, Role.CLIENT_SUPERVISOR})
# Item key -> (vendor attribute of the world, organisation "A" or "X").
ITEMS = {"A.V1": ("vendor", "A"), "A.V2": ("other_vendor", "A"), "X": ("foreign_vendor", "X")}


def _key(instance: str) -> str:
    return "Imp" + instance.replace(".", "")


def build(matrix: Matrix) -> None:
    world = matrix.world
    items = {}
    for instance, (vendor_attr, org) in ITEMS.items():
        actor = matrix.users["foreign_admin" if org == "X" else "client_supervisor"]
        owner = matrix.users["vendor_agent"] if instance == "A.V1" else actor
        key = _key(instance)
        items[instance] = services.item_create(
            actor=actor,
            title=secret(key, "Title"),
            description=secret(key, "Desc"),
            owner=owner,
            approver=matrix.users["foreign_admin" if org == "X" else "client_admin"],
            vendor=getattr(world, vendor_attr),
        )
    matrix.objects["improvement_item"] = items


def sees_item(matrix: Matrix, role: str, item) -> bool:
    user = matrix.user(role)
    if user is None or user.organisation_id != item.organisation_id:
        return False
    who = side(user)
    return who == "client" or (who == "vendor" and item.vendor_id == user.vendor_id)


def words(matrix: Matrix, role: str) -> dict[str, str]:
    out = {}
    for instance, item in matrix.objects["improvement_item"].items():
        if not sees_item(matrix, role, item):
            for what in ("Title", "Desc"):
                out[secret(_key(instance), what)] = f"improvement {instance}"
    return out


def get_status(matrix: Matrix, role: str, target: Target) -> int | None:
    """The edit page opens for the client's operators and the item's owner; other readers are refused."""
    if target.endpoint.name != "improvement:edit" or target.obj is None:
        return None
    user = matrix.user(role)
    if user.role in OPERATORS or target.obj.owner_id == user.pk:
        return None
    return 403


def _form(data):
    return lambda target, matrix: Payload(data(target, matrix) if callable(data) else dict(data))


def _json(data):
    return lambda target, matrix: Payload(data(target, matrix) if callable(data) else dict(data), json=True)


def _new_item(t, m) -> dict:
    return {
        "title": "PmxNewImprovement",
        "description": "PmxNewDescription",
        "size": "m",
        "priority": "medium",
        "owner": m.users["client_supervisor"].pk,
        "approver": m.users["client_admin"].pk,
        "source_kind": "manual",
    }


describe_app(
    "improvement",
    models={"improvement_item": ImprovementItem},
    build=build,
    rules={"improvement_item": sees_item},
    words=words,
    get_status=get_status,
    tables=(ImprovementItem, EffectMeasurement, ImprovementActivity),
    pk_models={
        "improvement:detail": "improvement_item",
        "improvement:edit": "improvement_item",
        "improvement:transition": "improvement_item",
        "improvement:measure": "improvement_item",
        "improvement:benefit": "improvement_item",
    },
    gates={
        "improvement:list": READERS,
        "improvement:export": READERS,
        "improvement:detail": READERS,
        "improvement:create": OPERATORS | {Role.VENDOR_MANAGER},
        "improvement:edit": READERS,
        "improvement:transition": READERS,
        "improvement:measure": READERS,
        "improvement:benefit": READERS,
        "api:improvement-list": READERS,
        "api:improvement-detail": READERS,
        "api:improvement-transition": READERS,
        "api:improvement-measurements": READERS,
        "api:improvement-benefit": READERS,
    },
    action_kwargs={("api:improvement-transition", "transition"): tuple(ItemAction.values)},
    payloads={
        ("improvement:create", "post"): _form(_new_item),
        ("improvement:edit", "post"): _form(
            lambda t, m: {**_new_item(t, m), "title": "PmxEdited", "version": getattr(t.obj, "version", 1)}
        ),
        ("improvement:transition", "post"): _form(
            lambda t, m: {"action": "accept", "version": getattr(t.obj, "version", 1)}
        ),
        ("improvement:measure", "post"): _form({"days": "1"}),
        ("improvement:benefit", "post"): _form({"benefits": "PmxBenefit", "benefit_amount": "10"}),
        ("api:improvement-list", "post"): _json(
            lambda t, m: {
                "title": "PmxApiImprovement",
                "description": "PmxApiDescription",
                "owner": m.users["client_supervisor"].pk,
                "approver": m.users["client_admin"].pk,
            }
        ),
        ("api:improvement-detail", "patch"): _json({"title": "PmxApiPatched"}),
        ("api:improvement-transition", "post"): _json({}),
        ("api:improvement-measurements", "post"): _json({}),
        ("api:improvement-benefit", "post"): _json({"benefits": "PmxApiBenefit"}),
    },
)
