"""Load the demo organisation up to a number of work orders, for the benchmarks in ``bench/``.

Shared by ``bench_lists.py`` and ``bench_facts.py`` (and runnable alone to prepare a database in the
background): it migrates the database, loads the demo scenario when the demo organisation is missing,
then runs ``oversight.demo.generator`` for the work orders still missing and analyses the big tables.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/oversight_bench \\
        .venv/bin/python bench/loading.py --count 1000000 [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.settings")

BIG_TABLES = ("tickets_workorder", "tickets_workorderevent", "tickets_slaclock", "tickets_comment")


def refuse_unless_postgresql(script: str) -> None:
    """Stop with a message unless DATABASE_URL names PostgreSQL: figures on SQLite say nothing about production."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            f"{script} measures PostgreSQL only: set DATABASE_URL=postgres://user@host:port/database "
            "(a database of your own: the script migrates it and loads up to --count work orders into it). "
            "It refuses to run on SQLite, whose figures would say nothing about production."
        )


def ensure_work_orders(*, count: int, workers: int, batch: int, seed: int):
    """Migrate, make sure the demo organisation exists and has `count` work orders; return the organisation.

    Generation is incremental (the seed moves with the rows already there), so a database loaded to
    100,000 can be topped up to 1,000,000 later. Needs ``django.setup()`` done.
    """
    from django.core.management import call_command
    from django.db import connection

    from oversight.demo.generator import generate_work_orders
    from oversight.demo.scenario import DEMO_ORGANISATION_CODE, build_scenario
    from oversight.tenancy.models import Organisation
    from oversight.tickets.models import WorkOrder

    if connection.vendor != "postgresql":
        sys.exit("The benchmarks measure PostgreSQL only (DATABASE_URL does not point at PostgreSQL).")
    call_command("migrate", verbosity=0)
    organisation = Organisation.objects.filter(code=DEMO_ORGANISATION_CODE).first()
    if organisation is None:
        organisation = build_scenario().organisation
    existing = WorkOrder.objects.filter(organisation=organisation).count()
    if existing >= count:
        print(f"The demo organisation has {existing:,} work orders already (no generation needed).")
        return organisation
    missing = count - existing
    print(f"Generating {missing:,} work orders ({workers} workers, batches of {batch:,})...", flush=True)

    def progress(done: int, total: int, seconds: float) -> None:
        if done % (batch * 10) == 0 or done == total:
            print(f"  {done:>9,} / {total:,}  {seconds:7.1f} s  ({done / seconds:,.0f}/s)", flush=True)

    result = generate_work_orders(
        organisation=organisation,
        count=missing,
        seed=seed + existing,
        batch_size=batch,
        workers=workers,
        progress=progress,
    )
    print(
        f"Generated {missing:,} work orders in {result.seconds:.1f} s ({missing / result.seconds:,.0f}/s): "
        f"{result.events:,} events, {result.clocks:,} clocks, {result.comments:,} comments."
    )
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for table in BIG_TABLES:
            cursor.execute(f"VACUUM ANALYZE {table}")
    print(f"VACUUM ANALYZE: {time.perf_counter() - started:.1f} s")
    return organisation


def main() -> None:
    """Prepare a benchmark database from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1_000_000, help="Work orders the demo organisation must have.")
    parser.add_argument("--workers", type=int, default=min(os.cpu_count() or 1, 4), help="Generator processes.")
    parser.add_argument("--batch", type=int, default=10_000, help="Generator batch size.")
    parser.add_argument("--seed", type=int, default=2026, help="Generator seed.")
    args = parser.parse_args()
    refuse_unless_postgresql("bench/loading.py")
    import django

    django.setup()
    ensure_work_orders(count=args.count, workers=args.workers, batch=args.batch, seed=args.seed)


if __name__ == "__main__":
    main()
