"""The permission matrix's knowledge of the contact-centre app: queues, their interval facts and the dashboard.

Rules (issue 12, the contact-centre app's stated design): the client side of the organisation sees every queue
of its own with its interval data; vendor staff only their own vendor's queues; requesters and other
organisations none. Every page here is a read for the staff roles (client and vendor sides).
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from oversight.contactcentre import services
from oversight.contactcentre.models import ColumnMapping, IntervalFact, IntervalImport, PeriodLock, Queue
from oversight.core import clock
from oversight.core.zones import zone_of
from oversight.tenancy.choices import Role
from tests.permissions.permissions_support import (
    CLIENT_SIDE,
    VENDOR_SIDE,
    Matrix,
    Payload,
    describe_app,
    secret,
    side,
)

READERS = CLIENT_SIDE | VENDOR_SIDE
OPERATORS = frozenset({Role.CLIENT_ADMIN, Role.CLIENT_SUPERVISOR})
QUEUES = {"A.V1": ("vendor", "A"), "A.V2": ("other_vendor", "A"), "X": ("foreign_vendor", "X")}


def _key(instance: str) -> str:
    return "Ccq" + instance.replace(".", "")


def build(matrix: Matrix) -> None:
    world = matrix.world
    queues, imports = {}, {}
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
        local = start.astimezone(zone_of(queue.organisation)) + dt.timedelta(hours=1)
        text = f"queue,interval_start,offered,answered\n{queue.code},{local:%Y-%m-%d %H:%M},7,6\n"
        upload = SimpleUploadedFile(f"{key}.csv", text.encode(), content_type="text/csv")
        run = services.import_upload(actor=actor, vendor=queue.vendor, upload=upload)
        imports[instance] = services.import_run(import_id=run.pk)
    matrix.objects["contact_queue"] = queues
    matrix.objects["contact_import"] = imports


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


def _facts(target, matrix) -> Payload:
    world = matrix.world
    start = clock.now().replace(minute=0, second=0, microsecond=0) - dt.timedelta(hours=5)
    row = {"queue": "ccqav1", "interval_start": start.isoformat(), "offered": 3, "answered": 2}
    return Payload({"vendor": world.vendor.pk, "rows": [row]}, json=True)


def _upload(target, matrix) -> Payload:
    text = b"queue,interval_start,offered,answered\nccqav1,2020-01-01 10:00,3,2\n"
    return Payload({"vendor": matrix.world.vendor.pk, "file": SimpleUploadedFile("pmx.csv", text)})


describe_app(
    "contactcentre",
    models={"contact_queue": Queue, "contact_import": IntervalImport, "contact_interval_fact": IntervalFact},
    build=build,
    rules={
        "contact_queue": sees,
        "contact_import": sees,
        # An interval fact is seen with its queue.
        "contact_interval_fact": lambda matrix, role, fact: sees(matrix, role, fact.queue),
    },
    words=words,
    tables=(Queue, IntervalFact, IntervalImport, PeriodLock, ColumnMapping),
    pk_models={
        "contactcentre:queue_detail": "contact_queue",
        "contactcentre:import_detail": "contact_import",
        "contactcentre:import_progress": "contact_import",
        "contactcentre:terms": "contract",
    },
    gates={
        "contactcentre:dashboard": READERS,
        "contactcentre:queues": READERS,
        "contactcentre:queue_detail": READERS,
        "contactcentre:imports": READERS,
        "contactcentre:import_detail": READERS,
        "contactcentre:import_progress": READERS,
        "contactcentre:mapping": READERS,
        "contactcentre:locks": READERS,
        "contactcentre:terms": READERS,
        "api:contact-queue-list": READERS,
        "api:contact-queue-detail": READERS,
        "api:contact-interval-fact-list": READERS,
    },
    payloads={
        ("contactcentre:imports", "post"): _upload,
        ("contactcentre:mapping", "post"): lambda t, m: Payload(
            {"vendor": m.world.vendor.pk, "datetime_format": "%Y-%m-%d %H:%M", "time_zone": "Asia/Shanghai"}
        ),
        ("contactcentre:locks", "post"): lambda t, m: Payload({"vendor": m.world.vendor.pk, "month": "2020-01"}),
        ("contactcentre:terms", "post"): lambda t, m: Payload(
            {
                # The probe (a contract that does not exist) names no version: any id will do.
                "version": t.obj.versions.order_by("number").last().pk if t.obj is not None else 987654321,
                "variant": "w_over_a",
                "threshold_seconds": "20",
                "target_percent": "80",
                "short_abandon_seconds": "5",
                "max_occupancy_percent": "85",
                "shrinkage_percent": "30",
            }
        ),
        ("api:contact-interval-fact-list", "post"): _facts,
    },
)
