"""Benchmark the contact-centre interval import against a straightforward row-by-row ORM save.

Usage:
    .venv/bin/python bench/bench_cc_import.py [--rows 100000]

By default it runs on a fresh SQLite database in a temporary directory (migrated by the script); with
``DATABASE_URL=postgres://...`` it runs on that database, in a new organisation of its own (left there).

In one run it measures, on the same generated CSV (--rows 30-minute intervals over 8 queues):
* **import**: `contactcentre.services.imports.import_run` — the job's code path: read the file, check every row,
  load the current rows of the span in one query, write with ``bulk_create`` in batches, in one transaction;
* **again**: the same file a second time (every row identical: nothing written);
* **reference**: for each row, parse it, look the queue up, look for its current row and save a new
  ``IntervalFact`` with ``.save()`` (what a simple loop over ``csv.DictReader`` would do), into another vendor's
  queues, in one transaction.
Wall-clock seconds (the database's work counts on both sides) and rows/s; the headline is the ratio
reference time / import time. It checks both sides wrote every row.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.settings")
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = ""
    os.environ["OVERSIGHT_VAR_DIR"] = tempfile.mkdtemp(prefix="bench-cc-")

QUEUES = 8
HEADER = (
    "queue,interval_start,offered,answered,answered_within_threshold,abandoned,wait_seconds,talk_seconds,staffed_agents"
)


def csv_text(rows: int) -> str:
    out = [HEADER]
    start = dt.datetime(2025, 1, 1)
    for i in range(rows):
        queue, step = i % QUEUES, i // QUEUES
        when = start + dt.timedelta(minutes=30 * step)
        offered = 20 + (i * 7) % 60
        out.append(
            f"Q{queue},{when:%Y-%m-%d %H:%M},{offered},{offered - 2},{offered - 6},2,{offered * 9},{offered * 280},4.5"
        )
    return "\n".join(out) + "\n"


def setup(code: str):
    from oversight.contactcentre.models import Queue
    from oversight.tenancy.choices import Role
    from oversight.tenancy.models import Organisation, User, Vendor

    org = Organisation.objects.create(name=f"Bench {code}", code=code, work_order_prefix=code[:6].upper())
    vendor = Vendor.objects.create(organisation=org, name=f"BPO {code}", code=f"bpo-{code}")
    user = User.objects.create(username=f"bench-{code}", organisation=org, role=Role.CLIENT_ADMIN)
    for q in range(QUEUES):
        Queue.objects.create(organisation=org, vendor=vendor, code=f"Q{q}", name=f"Queue {q}")
    return vendor, user


def reference(text: str, vendor) -> int:
    """Row by row: parse, look up, save (one transaction)."""
    from django.db import transaction

    from oversight.contactcentre.models import IntervalFact, Queue
    from oversight.core.zones import zone_of

    zone = zone_of(vendor.organisation)
    written = 0
    with transaction.atomic():
        for row in csv.DictReader(io.StringIO(text)):
            queue = Queue.objects.get(vendor=vendor, code=row["queue"])
            start = dt.datetime.strptime(row["interval_start"], "%Y-%m-%d %H:%M").replace(tzinfo=zone)
            current = IntervalFact.objects.filter(queue=queue, interval_start=start, is_current=True).first()
            if current is not None:
                continue
            IntervalFact(
                queue=queue,
                interval_start=start,
                offered=int(row["offered"]),
                answered=int(row["answered"]),
                answered_within_threshold=int(row["answered_within_threshold"]),
                abandoned=int(row["abandoned"]),
                wait_seconds=Decimal(row["wait_seconds"]),
                talk_seconds=Decimal(row["talk_seconds"]),
                staffed_agents=Decimal(row["staffed_agents"]),
            ).save()
            written += 1
    return written


def main() -> int:
    args = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    args.add_argument("--rows", type=int, default=100_000)
    options = args.parse_args()
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    if os.environ["DATABASE_URL"] == "":
        call_command("migrate", verbosity=0)
    from oversight.contactcentre.models import IntervalFact
    from oversight.contactcentre.services import imports

    stamp = str(int(time.time()))[-6:]
    text = csv_text(options.rows)
    vendor, user = setup(f"cci{stamp}")
    ref_vendor, _ref_user = setup(f"ccr{stamp}")
    data = text.encode()

    def run_import():
        upload = SimpleUploadedFile("bench.csv", data, content_type="text/csv")
        started = time.perf_counter()
        # Without a Celery worker the job runs in-process when the upload commits (the demo's way).
        run = imports.import_upload(actor=user, vendor=vendor, upload=upload)
        imports.import_run(import_id=run.pk)  # a no-op when the job already ran
        run.refresh_from_db()
        return run, time.perf_counter() - started

    run, seconds = run_import()
    assert run.status == "done", (run.status, run.failure, run.errors[:3])
    again, seconds_again = run_import()
    assert again.status == "unchanged" and again.unchanged_rows == options.rows
    started = time.perf_counter()
    written = reference(text, ref_vendor)
    ref_seconds = time.perf_counter() - started
    assert written == options.rows == IntervalFact.objects.filter(queue__vendor=ref_vendor).count()
    assert IntervalFact.objects.filter(queue__vendor=vendor).count() == options.rows
    print(f"rows: {options.rows:,} ({QUEUES} queues of 30-minute intervals)")
    print(f"import (read, check, bulk write):  {seconds:8.2f} s  {options.rows / seconds:10,.0f} rows/s")
    print(f"same file again (nothing written): {seconds_again:8.2f} s  {options.rows / seconds_again:10,.0f} rows/s")
    print(f"reference (row-by-row ORM save):   {ref_seconds:8.2f} s  {options.rows / ref_seconds:10,.0f} rows/s")
    print(f"ratio reference / import: {ref_seconds / seconds:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
