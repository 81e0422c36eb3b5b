"""The permission matrix's knowledge of the contact-centre app: queues, their interval facts and the dashboard.

Rules (issue 12, the contact-centre app's stated design): the client side of the organisation sees every queue
of its own with its interval data; vendor staff only their own vendor's queues; requesters and other
organisations none. Every page here is a read for the staff roles (client and vendor sides).
"""

from __future__ import annotations

import datetime as dt

from oversight.contactcentre import services
from oversight.contactcentre.models import IntervalFact, Queue
from oversight.core import clock
from tests.permissions.permissions_support import CLIENT_SIDE, VENDOR_SIDE, Matrix, describe_app, secret, side

READERS = CLIENT_SIDE | VENDOR_SIDE
QUEUES = {"A.V1": ("vendor", "A"), "A.V2": ("other_vendor", "A"), "X": ("foreign_vendor", "X")}


def _key(instance: str) -> str:
    return "Ccq" + instance.replace(".", "")


def build(matrix: Matrix) -> None:
    world = matrix.world
    queues = {}
    start = clock.now().replace(minute=0, second=0, microsecond=0) - dt.timedelta(hours=3)
    for instance, (vendor_attr, org) in QUEUES.items():
        actor = matrix.users["foreign_admin" if org == "X" else "client_supervisor"]
        key = _key(instance)
        queue = services.queue_create(
            actor=actor, vendor=getattr(world, vendor_attr), code=key.lower(), name=secret(key, "Queue")
        )
        IntervalFact.objects.create(
            queue=queue, interval_start=start, offered=10, answered=9, answered_within_threshold=8, abandoned=1
        )
        queues[instance] = queue
    matrix.objects["contact_queue"] = queues


def sees(matrix: Matrix, role: str, obj) -> bool:
    user = matrix.user(role)
    if user is None or user.organisation_id != obj.organisation_id:
        return False
    who = side(user)
    return who == "client" or (who == "vendor" and obj.vendor_id == user.vendor_id)


def words(matrix: Matrix, role: str) -> dict[str, str]:
    out = {}
    for instance, queue in matrix.objects["contact_queue"].items():
        if not sees(matrix, role, queue):
            out[secret(_key(instance), "Queue")] = f"contactcentre {instance}"
    return out


describe_app(
    "contactcentre",
    models={"contact_queue": Queue},
    build=build,
    rules={"contact_queue": sees},
    words=words,
    tables=(Queue, IntervalFact),
    pk_models={"contactcentre:queue_detail": "contact_queue"},
    gates={
        "contactcentre:dashboard": READERS,
        "contactcentre:queues": READERS,
        "contactcentre:queue_detail": READERS,
    },
)
