"""Benchmark the service facts against today's work-order path, in the same run, on PostgreSQL.

Usage (PostgreSQL only; the database is created by you, migrated and loaded by this script):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/oversight_bench_facts \\
        .venv/bin/python bench/bench_facts.py [--count 1000000] [--reps 20] [--old-reps 2]

It makes sure the demo organisation has --count work orders (``bench/loading.py``), a contract per vendor with
its scheme and a monthly evaluation period of the biggest vendor, and the service facts (``facts_rebuild``,
timed when it has to run). Then, for the last complete month, p50 and p95 in ms of:

* the vendor dashboard page (``/reports/dashboard/`` through Django's test client, as the client supervisor);
* the monthly service report page of the biggest vendor (``/reports/vendors/<pk>/<month>/``), and its PDF
  and XLSX with ``--documents``;
* recomputing the biggest vendor's monthly evaluation (``scorecards.services.period_compute``);

each with the new code ("facts") and with today's code ("before": the figures recomputed from every work order
by ``vendor_figures`` over the frozen pre-facts loader ``bench/legacy_facts_loader.py``, and that loader's
``pk IN (clocks due in the period)`` selection for the evaluation). Today's variant runs in a fresh process
per repetition, capped at ``--old-timeout`` seconds (it takes minutes at a million work orders). The web
worker's peak RSS is that of a fresh process serving the dashboard and the report once, per variant.
Times are wall-clock; the ratio is before / facts at p50 and p95. Default server settings:
nothing is tuned for the run. No assertions on times: the script prints.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.settings")

from bench.loading import ensure_work_orders, refuse_unless_postgresql  # noqa: E402


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1_000_000, help="Work orders the demo organisation must have.")
    parser.add_argument("--reps", type=int, default=20, help="Timed repetitions of the facts variant.")
    parser.add_argument("--old-reps", type=int, default=2, help="Timed repetitions of today's variant (slow).")
    parser.add_argument(
        "--recompute-reps", type=int, default=3, help="Timed repetitions of the evaluation recompute (each variant)."
    )
    parser.add_argument("--workers", type=int, default=min(os.cpu_count() or 1, 4), help="Generator processes.")
    parser.add_argument("--rebuild", action="store_true", help="Rebuild the facts even when they exist.")
    parser.add_argument(
        "--old-timeout", type=int, default=600, help="Seconds one run of today's variant may take (then: > that)."
    )
    parser.add_argument("--documents", action="store_true", help="Also time the report's PDF and XLSX.")
    parser.add_argument("--worker", choices=("facts", "before"), help=argparse.SUPPRESS)
    parser.add_argument("--vendor", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--period", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--case", default="", help=argparse.SUPPRESS)
    return parser.parse_args()


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


@contextlib.contextmanager
def before_facts():
    """Today's code path: every figure from the work orders, through the frozen pre-facts loader."""
    from bench import legacy_facts_loader as legacy
    from oversight.reports import dashboard, metrics
    from oversight.reports import selectors as report_selectors
    from oversight.scorecards import kpis as service_loader
    from oversight.tickets.choices import Status
    from oversight.tickets.models import WorkOrder

    def vendors_with_work(*, organisation, vendor_ids, first, last):
        # As dashboard.vendors_for read it before: the work orders received in the period.
        start, end = report_period_bounds(organisation, first, last)
        return set(
            WorkOrder.objects.filter(
                organisation=organisation, vendor_id__in=vendor_ids, created_at__gte=start, created_at__lt=end
            )
            .exclude(status=Status.CANCELLED)
            .values_list("vendor_id", flat=True)
            .distinct()
        )

    def per_vendor(*, organisation, vendor_ids, periods, version=None, only=None):
        vendors = {v.pk: v for v in organisation.vendors.filter(pk__in=vendor_ids)}
        return {
            pk: metrics.vendor_figures(organisation=organisation, vendor=vendors[pk], periods=periods, version=version)
            for pk in vendor_ids
        }

    def report_figures(organisation, vendor, trail, version):
        return metrics.vendor_figures(organisation=organisation, vendor=vendor, periods=trail, version=version)

    saved = [
        (service_loader, "load_facts", service_loader.load_facts),
        (dashboard, "vendors_with_work", dashboard.vendors_with_work),
        (dashboard, "fact_period_figures", dashboard.fact_period_figures),
        (report_selectors, "_figures", report_selectors._figures),
    ]
    # The registry's service loader feeds reports, the dashboard and the evaluation: all through the old loader.
    service_loader.load_facts = legacy.load_facts
    dashboard.vendors_with_work = vendors_with_work
    dashboard.fact_period_figures = per_vendor
    report_selectors._figures = report_figures
    try:
        yield
    finally:
        for module, name, value in saved:
            setattr(module, name, value)


def report_period_bounds(organisation, first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The UTC instants bounding local dates ``first`` .. ``last`` of the organisation."""
    from oversight.core.zones import zone_of
    from oversight.scorecards.services.common import local_midnight

    zone = zone_of(organisation)
    return local_midnight(first, zone), local_midnight(last + dt.timedelta(days=1), zone)


def setup_world(args):
    """The organisation, its biggest vendor, the supervisor, the month, and an evaluation period to recompute."""
    from django.db.models import Count

    from oversight.contracts.demo import load_demo_contracts
    from oversight.contracts.models import Contract
    from oversight.facts.models import DailyFact
    from oversight.facts.services import facts_rebuild
    from oversight.reports.periods import last_complete_period
    from oversight.scorecards import services as scorecards
    from oversight.scorecards.choices import PeriodKind
    from oversight.scorecards.models import EvaluationPeriod, IndicatorScheme
    from oversight.tenancy.choices import Role
    from oversight.tenancy.models import User
    from oversight.tickets.models import WorkOrder

    organisation = ensure_work_orders(count=args.count, workers=args.workers, batch=10_000, seed=2026)
    if args.rebuild or not DailyFact.objects.filter(organisation=organisation).exists():
        started = time.perf_counter()
        counts = facts_rebuild(organisation=organisation)
        print(
            f"facts_rebuild: {counts['work_order_facts']:,} work-order facts, {counts['daily_rows']:,} daily rows "
            f"in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        from django.db import connection

        with connection.cursor() as cursor:
            for table in ("facts_workorderfact", "facts_dailyfact", "facts_vendordailyfact"):
                cursor.execute(f"VACUUM ANALYZE {table}")
    load_demo_contracts(organisation)
    biggest = (
        WorkOrder.objects.filter(organisation=organisation)
        .values("vendor_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    vendor = organisation.vendors.get(pk=biggest["vendor_id"])
    supervisor = User.objects.get(username="supervisor")
    admin = User.objects.filter(organisation=organisation, role=Role.CLIENT_ADMIN).order_by("pk").first()
    month = last_complete_period(organisation, PeriodKind.MONTHLY)
    contract = Contract.objects.filter(vendor=vendor).order_by("pk").first()
    period = EvaluationPeriod.objects.filter(contract=contract, kind=PeriodKind.MONTHLY, starts_on=month.first).first()
    if period is None:
        if not IndicatorScheme.objects.filter(contract=contract).exists():
            scorecards.scheme_from_template(contract, admin)
        period, _created = scorecards.period_open(
            contract=contract, kind=PeriodKind.MONTHLY, day=month.first, actor=supervisor, compute=False
        )
    return organisation, vendor, supervisor, month, period, biggest["n"]


def case_functions(args, client, vendor, month, period, supervisor) -> list[tuple[str, object]]:
    """The timed cases, by name: each a function that runs one request or one recompute."""
    from oversight.scorecards.services import period_compute

    def get(url, params=None):
        def run():
            response = client.get(url, params or {})
            assert response.status_code == 200, (url, response.status_code)
            return response

        return run

    cases = [
        ("dashboard page", get("/reports/dashboard/", {"period": month.key})),
        ("monthly report page", get(f"/reports/vendors/{vendor.pk}/{month.key}/")),
    ]
    if args.documents:
        cases.append(("monthly report PDF", get(f"/reports/vendors/{vendor.pk}/{month.key}/pdf/")))
        cases.append(("monthly report XLSX", get(f"/reports/vendors/{vendor.pk}/{month.key}/xlsx/")))
    cases.append(("evaluation recompute", lambda: period_compute(period=period, actor=supervisor, note="bench")))
    return cases


def child(args) -> None:
    """A fresh process (a web worker): run one case (or the dashboard and the report) once, print the time."""
    import django

    django.setup()
    from django.test import Client

    from oversight.reports.periods import last_complete_period
    from oversight.scorecards.choices import PeriodKind
    from oversight.scorecards.models import EvaluationPeriod
    from oversight.tenancy.models import User, Vendor

    vendor = Vendor.objects.select_related("organisation").get(pk=args.vendor)
    month = last_complete_period(vendor.organisation, PeriodKind.MONTHLY)
    supervisor = User.objects.get(username="supervisor")
    period = EvaluationPeriod.objects.get(pk=args.period)
    client = Client()
    client.force_login(supervisor)
    cases = dict(case_functions(args, client, vendor, month, period, supervisor))
    # Killing this process at the limit does not stop its query on the server: let PostgreSQL end it too, so an
    # abandoned "before" query never keeps a core busy under the next measurements.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('statement_timeout', %s, false)", [str(args.old_timeout * 1000)])
    names = [args.case] if args.case else ["dashboard page", "monthly report page"]
    with before_facts() if args.worker == "before" else contextlib.nullcontext():
        started = time.perf_counter()
        for name in names:
            cases[name]()
    print(json.dumps({"ms": (time.perf_counter() - started) * 1000}), flush=True)


def run_child(args, variant: str, vendor_id: int, period_id: int, case: str = "") -> tuple[float, float]:
    """Run ``child`` in a new process within ``--old-timeout`` seconds: (ms or inf, its peak RSS in MB).

    The peak is sampled from /proc (VmHWM) while it runs, so a worker killed at the limit still shows its size.
    """
    command = [sys.executable, __file__, "--worker", variant, "--vendor", str(vendor_id), "--period", str(period_id)]
    command += ["--old-timeout", str(args.old_timeout)]
    if case:
        command += ["--case", case]
    if args.documents:
        command.append("--documents")
    env = dict(os.environ)
    if variant == "before":  # today's code reads timestamps through Django's stock backend (bench/settings_before.py)
        env["DJANGO_SETTINGS_MODULE"] = "bench.settings_before"
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    deadline, peak_kb = time.monotonic() + args.old_timeout, 0
    while process.poll() is None and time.monotonic() < deadline:
        with contextlib.suppress(OSError, StopIteration, ValueError):
            with open(f"/proc/{process.pid}/status") as status:
                peak_kb = max(peak_kb, next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")))
        time.sleep(0.2)
    if process.poll() is None:
        process.kill()
        process.wait()
        return math.inf, peak_kb / 1024
    out = process.stdout.read().strip().splitlines()
    return json.loads(out[-1])["ms"], peak_kb / 1024


def main() -> None:
    args = parse_args()
    refuse_unless_postgresql("bench_facts.py")
    if args.worker:
        child(args)
        return
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from oversight.core import clock
    from oversight.tickets.models import WorkOrder

    organisation, vendor, supervisor, month, period, vendor_count = setup_world(args)
    total = WorkOrder.objects.filter(organisation=organisation).count()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
        cursor.execute("SHOW work_mem")
        work_mem = cursor.fetchone()[0]
    print(
        f"PostgreSQL {server} (work_mem {work_mem}), {os.cpu_count()} CPUs; {total:,} work orders, the biggest "
        f"vendor {vendor.name} {vendor_count:,}; month {month.key}; now {clock.now():%Y-%m-%d %H:%M} UTC",
        flush=True,
    )
    client = Client()
    client.force_login(supervisor)
    results = []
    for name, fn in case_functions(args, client, vendor, month, period, supervisor):
        fn()  # warm-up (templates, fonts, caches) outside the timing
        reps = args.recompute_reps if name == "evaluation recompute" else args.reps
        facts_times = []
        for _rep in range(reps):
            started = time.perf_counter()
            fn()
            facts_times.append((time.perf_counter() - started) * 1000)
        # Today's code in a fresh process per repetition (it may take minutes: --old-timeout caps it).
        before_times = [run_child(args, "before", vendor.pk, period.pk, name)[0] for _rep in range(args.old_reps)]
        results.append((name, facts_times, before_times))
        print(f"  measured {name}", flush=True)
    rss = {variant: run_child(args, variant, vendor.pk, period.pk) for variant in ("facts", "before")}

    print()
    header = (
        f"{'case':24} {'facts p50':>10} {'facts p95':>10} {'before p50':>11} {'before p95':>11} "
        f"{'ratio p50':>10} {'ratio p95':>10}"
    )
    print(header)
    print("-" * len(header))
    limit = args.old_timeout * 1000
    for name, facts_times, before_times in results:
        f50, f95 = percentile(facts_times, 0.5), percentile(facts_times, 0.95)
        b50, b95 = percentile(before_times, 0.5), percentile(before_times, 0.95)
        cells = [f"{b:11.1f}" if b != math.inf else f"{'>' + str(limit):>11}" for b in (b50, b95)]
        cells += [
            f"{b / f:10.1f}" if b != math.inf else f"{'>' + format(limit / f, '.0f'):>10}"
            for b, f in ((b50, f50), (b95, f95))
        ]
        print(f"{name:24} {f50:10.1f} {f95:10.1f} {' '.join(cells)}")
    facts_mb, (before_ms, before_mb) = rss["facts"][1], rss["before"]
    note = "" if before_ms != math.inf else f" (killed at {args.old_timeout} s, still growing)"
    ratio = before_mb / facts_mb
    print(f"{'worker peak RSS (MB)':24} {facts_mb:10.0f} {'':10} {before_mb:11.0f} {'':11} {ratio:10.1f}{note}")
    print(
        f"\nms; ratio = before / facts. Facts: {args.reps} repetitions in this process after a warm-up "
        f"({args.recompute_reps} of the recompute); before: {args.old_reps} in a fresh process each, cold, capped at "
        f"{args.old_timeout} s. The recompute's facts column is this code's evaluation (it reads work orders, through "
        "the scalable selection). Worker: a fresh process serving the dashboard and the report once. Targets: "
        "dashboard and monthly report < 300 ms p95, evaluation recompute < 5,000 ms, worker < 300 MB."
    )


if __name__ == "__main__":
    main()
