"""Benchmark the CMDB import (dry run and apply) against recording the same CIs one by one through the service.

Usage:
    .venv/bin/python bench/bench_cmdb_import.py [--rows 5000]

By default it runs on a fresh SQLite database in a temporary directory (migrated by the script); with
``DATABASE_URL=postgres://...`` it runs on that database instead, in a new organisation of its own (left there).

In one run it measures the CPU time of this process (``time.process_time``, so the load of other processes on a
shared machine counts against neither side; on SQLite the database works inside this process, so its time is
counted too; on PostgreSQL the server's time is not, and the wall clock printed beside it is the figure to read):

* **dry run**: reading a CSV of --rows new servers (class, name, host name, serial, asset tag, site, owner vendor,
  two typed attributes) and planning every row (`configuration.imports.import_check`);
* **apply, creates**: writing those rows in one transaction (`import_start`, the job's code path, run in process);
* **dry run and apply, updates**: the same file again with one attribute changed on every row;
* **reference**: recording the same number of servers one by one with `configuration.services.ci_create` (what a
  script calling the API row by row would do), in another organisation.

It prints rows/s for each and the ratio reference time / import apply time (how many times faster the import
writes the rows than the one-by-one service), and checks that the import wrote exactly the rows it planned.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.settings")
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = ""
    os.environ["OVERSIGHT_VAR_DIR"] = tempfile.mkdtemp(prefix="bench-cmdb-")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000, help="Rows of the file (at most the import's limit).")
    return parser.parse_args()


def csv_file(rows: int, cores: int) -> bytes:
    lines = ["class,name,host name,serial,asset tag,site,owner vendor,cpu_cores,os"]
    lines += [
        f"server,SRV-{i:05d},srv-{i:05d},SN-{i:07d},AT-{i:07d},Ward A,Bench Co,{cores},Linux" for i in range(rows)
    ]
    return ("\n".join(lines) + "\n").encode()


def organisation(code: str):
    from oversight.configuration import services
    from oversight.configuration.choices import AttributeType
    from oversight.tenancy.choices import Role
    from oversight.tenancy.models import Organisation, Site, User, Vendor

    org = Organisation.objects.create(name=f"Bench {code}", code=code, work_order_prefix=f"{code[:6].upper()}-")
    Site.objects.create(organisation=org, name="Ward A", code="ward-a")
    vendor = Vendor.objects.create(organisation=org, name="Bench Co", code="bench")
    admin = User.objects.create(username=f"admin-{code}", organisation=org, role=Role.CLIENT_ADMIN)
    services.ci_classes_seed(actor=admin, organisation=org)
    server = org_class(org, "server")
    services.ci_attribute_define(actor=admin, ci_class=server, code="cpu_cores", name="CPU", type=AttributeType.INTEGER)
    services.ci_attribute_define(
        actor=admin, ci_class=server, code="os", name="OS", type=AttributeType.CHOICE, choices=["Linux", "Windows"]
    )
    return org, admin, vendor


def org_class(org, code):
    from oversight.configuration.models import CIClass

    return CIClass.objects.get(organisation=org, code=code)


def timed(label: str, rows: int, function):
    started, wall = time.process_time(), time.perf_counter()
    result = function()
    seconds, wall = time.process_time() - started, time.perf_counter() - wall
    print(
        f"{label:<38} {rows:>6} rows {seconds:>8.2f} s CPU {rows / seconds:>8.0f} rows/s  (wall {wall:.2f} s)",
        flush=True,
    )
    return result, seconds


def main() -> None:
    args = parse_args()
    import django

    django.setup()
    from django.core.management import call_command

    from oversight.configuration import importing, imports
    from oversight.configuration import services as cmdb
    from oversight.configuration.models import ConfigurationItem
    from oversight.tenancy.models import Site

    if args.rows > importing.MAX_ROWS:
        sys.exit(f"--rows is at most {importing.MAX_ROWS}, the import's limit")
    call_command("migrate", verbosity=0)
    from django.db import connection

    print(f"database: {connection.vendor}; rows: {args.rows}")
    imports.SYNC_ROWS = args.rows  # apply in this process, as the job does, so that the timing is the apply's own
    stamp = str(int(time.time()))
    org, admin, _vendor = organisation(f"imp{stamp}")

    data = csv_file(args.rows, cores=8)
    checked, dry_seconds = timed(
        "dry run (read + plan), creates",
        args.rows,
        lambda: imports.import_check(actor=admin, file_name="bench.csv", data=data),
    )
    assert checked.counts["create"] == args.rows, checked.counts
    applied, apply_seconds = timed(
        "apply, creates", args.rows, lambda: imports.import_start(actor=admin, ci_import=checked)
    )
    assert applied.counts["create"] == args.rows
    assert ConfigurationItem.objects.filter(organisation=org).count() == args.rows

    changed = csv_file(args.rows, cores=16)
    checked, update_dry_seconds = timed(
        "dry run (read + plan), updates",
        args.rows,
        lambda: imports.import_check(actor=admin, file_name="bench-2.csv", data=changed),
    )
    assert checked.counts["update"] == args.rows, checked.counts
    _applied, update_seconds = timed(
        "apply, updates", args.rows, lambda: imports.import_start(actor=admin, ci_import=checked)
    )
    assert ConfigurationItem.objects.filter(organisation=org, attributes__cpu_cores=16).count() == args.rows

    reference_org, reference_admin, reference_vendor = organisation(f"ref{stamp}")
    server = org_class(reference_org, "server")
    site = Site.objects.get(organisation=reference_org)

    def one_by_one():
        for i in range(args.rows):
            cmdb.ci_create(
                actor=reference_admin,
                ci_class=server,
                name=f"SRV-{i:05d}",
                host_name=f"srv-{i:05d}",
                serial=f"SN-{i:07d}",
                asset_tag=f"AT-{i:07d}",
                site=site,
                vendor=reference_vendor,
                attributes={"cpu_cores": "8", "os": "Linux"},
            )

    _none, reference_seconds = timed("reference: ci_create one by one", args.rows, one_by_one)
    print()
    print(f"import apply (creates) is {reference_seconds / apply_seconds:.1f}× faster than ci_create one by one")
    print(
        f"dry run + apply (creates) is {reference_seconds / (dry_seconds + apply_seconds):.1f}× faster than "
        "ci_create one by one"
    )
    print(
        f"updates: dry run {args.rows / update_dry_seconds:.0f} rows/s, apply {args.rows / update_seconds:.0f} rows/s"
    )


if __name__ == "__main__":
    main()
