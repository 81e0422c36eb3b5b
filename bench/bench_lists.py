"""Benchmark the work-order lists at scale against the same queries written by hand in SQL.

Usage (PostgreSQL only; the database is created by you and migrated by this script):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/oversight_bench \\
        .venv/bin/python bench/bench_lists.py [--count 1000000] [--reps 50] [--workers 2] [--explain]

It makes sure the demo organisation has --count work orders (loading the demo scenario and running
the demo generator for the missing ones, and saying how long that took), then measures p50 and p95
over --reps repetitions of:

* the supervision board's first page (client supervisor) with its common filters, through the real
  code path: ``board_filterset`` (the selector ``work_order_list`` + ``WorkOrderFilter``), the page
  slice, ``with_live_sla`` and the fields a row shows;
* the vendor workbench queues (vendor agent: mine, unassigned, breached) through
  ``tickets.selectors.queue`` + ``WorkOrderFilter`` + the same page slice;
* the API list ``/api/v1/work-orders/`` through Django's test client with the supervisor signed in
  (page of 50 with its COUNT, serialised to JSON).

Each is paired with the same query written by hand (psycopg, same WHERE / ORDER BY / LIMIT, the
joined columns the page shows, rows turned into the same display values), timed in the same run,
interleaved with ours. The table shows p50, p95 (ms) and the ratio ours / hand-written at p50 and p95.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.settings")

from bench.loading import ensure_work_orders, refuse_unless_postgresql  # noqa: E402

OPEN = ["new", "dispatched", "accepted", "on_site", "pending_requester", "pending_third_party"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1_000_000, help="Work orders the demo organisation must have.")
    parser.add_argument("--reps", type=int, default=50, help="Timed repetitions per case.")
    parser.add_argument("--warmup", type=int, default=5, help="Untimed repetitions per case first.")
    parser.add_argument("--workers", type=int, default=min(os.cpu_count() or 1, 4), help="Generator processes.")
    parser.add_argument("--batch", type=int, default=10_000, help="Generator batch size.")
    parser.add_argument("--seed", type=int, default=2026, help="Generator seed.")
    parser.add_argument(
        "--explain", action="store_true", help="Print EXPLAIN ANALYZE of every case, not only slow ones."
    )
    return parser.parse_args()


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def main() -> None:
    args = parse_args()
    refuse_unless_postgresql("bench_lists.py")
    import django

    django.setup()

    import psycopg
    from django.db import connection
    from django.db.models import F
    from django.test import Client, RequestFactory

    from oversight.catalog.models import Service
    from oversight.core import clock
    from oversight.core.views import paginate
    from oversight.tenancy.models import Organisation, Site, User, Vendor
    from oversight.tickets.choices import Status
    from oversight.tickets.filters import WorkOrderFilter
    from oversight.tickets.models import WorkOrder
    from oversight.tickets.selectors import queue, work_order_list
    from oversight.tickets.views.display import with_live_sla
    from oversight.tickets.views.lists import board_filterset

    organisation = ensure_work_orders(count=args.count, workers=args.workers, batch=args.batch, seed=args.seed)

    now = clock.now()
    supervisor = User.objects.get(username="supervisor")
    agent = User.objects.get(username="desk_agent1")
    vendor = Vendor.objects.get(organisation=organisation, code="net")
    total = WorkOrder.objects.count()
    open_count = WorkOrder.objects.filter(status__in=OPEN).count()
    agent_open = WorkOrder.objects.filter(vendor_id=agent.vendor_id, status__in=OPEN).count()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    print(
        f"PostgreSQL {server}, {os.cpu_count()} CPUs; {total:,} work orders, {open_count:,} open "
        f"({agent_open:,} of {agent.vendor.name}); now = {now:%Y-%m-%d %H:%M} UTC; {args.reps} repetitions."
    )

    factory = RequestFactory()
    status_labels = {value: str(label) for value, label in Status.choices}
    # No server-side prepared statements: like Django, every query is planned with its actual values.
    hand = psycopg.connect(os.environ["DATABASE_URL"], autocommit=True, prepare_threshold=None)

    def render(rows) -> list[tuple]:
        """The values a board/workbench row shows (see tickets/partials/wo_table.html)."""
        return [
            (
                wo.number,
                wo.title,
                wo.get_status_display(),
                wo.priority,
                wo.live_sla_label,
                str(wo.service),
                str(wo.vendor),
                str(wo.assignee) if wo.assignee_id else "—",
                str(wo.site) if wo.site_id else "",
                wo.location_detail,
                wo.created_at.isoformat(),
            )
            for wo in rows
        ]

    def board(params: dict):
        request = factory.get("/board/", params)
        request.user = supervisor
        filterset = board_filterset(request)
        assert filterset.is_valid(), filterset.errors
        page = paginate(filterset.qs, request)
        return render(with_live_sla(page.items, now))

    def workbench(name: str):
        request = factory.get("/workbench/", {"queue": name})
        request.user = agent
        # As WorkbenchView: the queue over the visible rows, soonest due first, then the FilterSet.
        base = queue(work_order_list(user=agent), user=agent, name=name, now=now).order_by(
            F("sla_next_due_at").asc(nulls_last=True), "-created_at", "-id"
        )
        filterset = WorkOrderFilter(request.GET, queryset=base, user=agent)
        assert filterset.is_valid()
        page = paginate(filterset.qs, request)
        return render(with_live_sla(page.items, now))

    client = Client()
    client.force_login(supervisor)

    def api(params: dict):
        response = client.get("/api/v1/work-orders/", params)
        assert response.status_code == 200, response.status_code
        return response.content

    hand_columns = """
        wo.id, wo.number, wo.title, wo.status, wo.priority, wo.location_detail, wo.created_at, wo.updated_at,
        wo.resolved_at, wo.closed_at, wo.kind, wo.channel, wo.version, wo.team_id, wo.organisation_id,
        wo.sla_state, wo.sla_breached, wo.sla_next_due_at, wo.sla_next_warning_at,
        s.id, s.name, s.name_en, v.id, v.name, st.id, st.name,
        r.id, r.display_name, r.first_name, r.last_name, r.username,
        a.id, a.display_name, a.first_name, a.last_name, a.username
    """
    hand_from = """
        FROM tickets_workorder wo
        JOIN catalog_service s ON s.id = wo.service_id
        JOIN tenancy_vendor v ON v.id = wo.vendor_id
        LEFT JOIN tenancy_site st ON st.id = wo.site_id
        JOIN tenancy_user r ON r.id = wo.requester_id
        LEFT JOIN tenancy_user a ON a.id = wo.assignee_id
    """

    # "Same columns": every column of the joined tables, as the ORM's select_related fetches them, after the
    # lean ones (so both variants read the values they show from the same positions).
    lean = {c.strip() for c in hand_columns.replace("\n", " ").split(",")}
    joined = {"wo": WorkOrder, "s": Service, "v": Vendor, "st": Site, "r": User, "a": User, "o": Organisation}
    wide_columns = hand_columns + "".join(
        f", {alias}.{f.column}"
        for alias, model in joined.items()
        for f in model._meta.concrete_fields
        if f"{alias}.{f.column}" not in lean
    )
    hand_from += " JOIN tenancy_organisation o ON o.id = wo.organisation_id"

    def person(display, first, last, username):
        return display or f"{first} {last}".strip() or username

    def live(row) -> str:
        breached, due, warning, state, status = row[16], row[17], row[18], row[15], row[3]
        if breached or (due and due <= now):
            return "breached"
        if warning and warning <= now and status not in ("resolved", "closed", "cancelled"):
            return "warning"
        return state

    def hand_rows(where: str, params: list, order: str, limit: int, wide: bool) -> list[tuple]:
        sql = (
            f"SELECT {wide_columns if wide else hand_columns} {hand_from} WHERE {where} ORDER BY {order} LIMIT {limit}"
        )
        return hand.execute(sql, params).fetchall()

    def hand_render(rows) -> list[tuple]:
        return [
            (
                r[1],
                r[2],
                status_labels[r[3]],
                r[4],
                live(r),
                r[20],
                r[23],
                person(r[32], r[33], r[34], r[35]) if r[31] else "—",
                r[25] or "",
                r[5],
                r[6].isoformat(),
            )
            for r in rows[:50]
        ]

    org_open = "wo.organisation_id = %s AND wo.status = ANY(%s)"
    by_date = "wo.created_at DESC, wo.id DESC"
    by_due = "wo.sla_next_due_at ASC NULLS LAST, wo.created_at DESC, wo.id DESC"
    breached_sql = "(wo.sla_breached OR wo.sla_next_due_at <= %s)"
    org = organisation.pk

    def hand_api(where: str, params: list, wide: bool):
        count = hand.execute(f"SELECT COUNT(*) FROM tickets_workorder wo WHERE {where}", params).fetchone()[0]
        rows = hand_rows(where, params, by_date, 50, wide)
        results = [
            {
                "id": r[0], "number": r[1], "kind": r[10], "title": r[2], "status": r[3],
                "status_label": status_labels[r[3]], "priority": r[4], "channel": r[11], "organisation": r[14],
                "service": {"id": r[19], "name": r[21] or r[20]}, "vendor": {"id": r[22], "name": r[23]},
                "site": {"id": r[24], "name": r[25]} if r[24] else None,
                "requester": {"id": r[26], "name": person(r[27], r[28], r[29], r[30])},
                "assignee": {"id": r[31], "name": person(r[32], r[33], r[34], r[35])} if r[31] else None,
                "team": r[13], "created_at": r[6].isoformat(), "updated_at": r[7].isoformat(),
                "resolved_at": r[8].isoformat() if r[8] else None, "closed_at": r[9].isoformat() if r[9] else None,
                "sla_state": r[15], "sla_state_live": live(r), "sla_breached": r[16],
                "sla_next_due_at": r[17].isoformat() if r[17] else None,
                "sla_next_warning_at": r[18].isoformat() if r[18] else None, "version": r[12],
            }
            for r in rows
        ]  # fmt: skip
        return json.dumps({"count": count, "next": None, "previous": None, "results": results}).encode()

    mine = "wo.organisation_id = %s AND wo.vendor_id = %s AND wo.status = ANY(%s)"
    cases = [
        (
            "board: open",
            lambda: board({}),
            lambda wide: hand_render(hand_rows(org_open, [org, OPEN], by_date, 51, wide)),
            lambda: board_filterset_qs({}),
        ),
        (
            "board: open, one vendor",
            lambda: board({"vendor": vendor.pk}),
            lambda wide: hand_render(
                hand_rows(org_open + " AND wo.vendor_id = %s", [org, OPEN, vendor.pk], by_date, 51, wide)
            ),
            lambda: board_filterset_qs({"vendor": vendor.pk}),
        ),
        (
            "board: open, breached",
            lambda: board({"breached": "true"}),
            lambda wide: hand_render(hand_rows(f"{org_open} AND {breached_sql}", [org, OPEN, now], by_date, 51, wide)),
            lambda: board_filterset_qs({"breached": "true"}),
        ),
        (
            "board: open, P1+P2",
            lambda: board({"priority": ["P1", "P2"]}),
            lambda wide: hand_render(
                hand_rows(org_open + " AND wo.priority = ANY(%s)", [org, OPEN, ["P1", "P2"]], by_date, 51, wide)
            ),
            lambda: board_filterset_qs({"priority": ["P1", "P2"]}),
        ),
        (
            "board: all statuses, breached",
            lambda: board({"status": list(Status.values), "breached": "true"}),
            lambda wide: hand_render(
                hand_rows(f"{org_open} AND {breached_sql}", [org, list(Status.values), now], by_date, 51, wide)
            ),
            lambda: board_filterset_qs({"status": list(Status.values), "breached": "true"}),
        ),
        (
            "queue: mine",
            lambda: workbench("mine"),
            lambda wide: hand_render(
                hand_rows(mine + " AND wo.assignee_id = %s", [org, agent.vendor_id, OPEN, agent.pk], by_due, 51, wide)
            ),
            lambda: queue_qs("mine"),
        ),
        (
            "queue: unassigned",
            lambda: workbench("unassigned"),
            lambda wide: hand_render(
                hand_rows(mine + " AND wo.assignee_id IS NULL", [org, agent.vendor_id, OPEN], by_due, 51, wide)
            ),
            lambda: queue_qs("unassigned"),
        ),
        (
            "queue: breached",
            lambda: workbench("breached"),
            lambda wide: hand_render(
                hand_rows(f"{mine} AND {breached_sql}", [org, agent.vendor_id, OPEN, now], by_due, 51, wide)
            ),
            lambda: queue_qs("breached"),
        ),
        (
            "API: ?status=open",
            lambda: api({"status": "open"}),
            lambda wide: hand_api(org_open, [org, OPEN], wide),
            lambda: api_qs({"status": "open"}),
        ),
        (
            "API: ?priority=P1&status=open",
            lambda: api({"priority": "P1", "status": "open"}),
            lambda wide: hand_api(org_open + " AND wo.priority = ANY(%s)", [org, OPEN, ["P1"]], wide),
            lambda: api_qs({"priority": "P1", "status": "open"}),
        ),
        (
            "API: no filter (all 1M)",
            lambda: api({}),
            lambda wide: hand_api("wo.organisation_id = %s", [org], wide),
            lambda: api_qs({}),
        ),
    ]

    def board_filterset_qs(params):
        request = factory.get("/board/", params)
        request.user = supervisor
        return board_filterset(request).qs[:51]

    def queue_qs(name):
        return queue(work_order_list(user=agent), user=agent, name=name, now=now).order_by(
            F("sla_next_due_at").asc(nulls_last=True), "-created_at", "-id"
        )[:51]

    def api_qs(params):
        return WorkOrderFilter(params, queryset=work_order_list(user=supervisor), user=supervisor).qs[:50]

    spent = {"sql": 0.0, "queries": 0}

    def timed_execute(execute, sql, params, many, context):
        """Time every query Django sends (execution and transfer of the rows)."""
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent["sql"] += time.perf_counter() - started
            spent["queries"] += 1

    results = []
    with connection.execute_wrapper(timed_execute):
        for name, ours, theirs, _qs in cases:
            runs = [("ours", ours), ("same", lambda f=theirs: f(True)), ("lean", lambda f=theirs: f(False))]
            for _ in range(args.warmup):
                for _label, fn in runs:
                    fn()
            times = {label: [] for label, _fn in runs}
            t_sql, queries = [], 0
            for rep in range(args.reps):
                # Rotate the order so that no variant always runs first (or last) on a warm cache.
                for label, fn in runs[rep % 3 :] + runs[: rep % 3]:
                    spent["sql"], spent["queries"] = 0.0, 0
                    started = time.perf_counter()
                    fn()
                    times[label].append((time.perf_counter() - started) * 1000)
                    if label == "ours":
                        t_sql.append(spent["sql"] * 1000)
                        queries = spent["queries"]
            results.append((name, times, t_sql, queries))
            print(f"  measured {name}", flush=True)

    print()
    print("ours: the real code path (selector + FilterSet + page + row values; the API through the test client)")
    print("same: the same query by hand with psycopg, selecting every column of the joined tables as the ORM does")
    print("lean: the same query by hand, selecting only the columns the page shows")
    print("ours DB: time spent inside Django's queries; q: queries per request. Times in ms.")
    header = (
        f"{'case':32} {'ours p50':>8} {'ours p95':>8} {'same p50':>8} {'same p95':>8} {'ratio p50':>9} "
        f"{'ratio p95':>9} {'lean p50':>8} {'lean p95':>8} {'/lean p95':>9} {'ours DB':>7} {'q':>2}"
    )
    print(header)
    print("-" * len(header))
    slow = []
    for (name, times, t_sql, queries), case in zip(results, cases):
        o50, o95 = percentile(times["ours"], 0.5), percentile(times["ours"], 0.95)
        s50, s95 = percentile(times["same"], 0.5), percentile(times["same"], 0.95)
        l50, l95 = percentile(times["lean"], 0.5), percentile(times["lean"], 0.95)
        flag = "" if o95 < 100 and o95 / s95 <= 2 else "  <-- over target"
        print(
            f"{name:32} {o50:8.2f} {o95:8.2f} {s50:8.2f} {s95:8.2f} {o50 / s50:9.2f} {o95 / s95:9.2f} "
            f"{l50:8.2f} {l95:8.2f} {o95 / l95:9.2f} {percentile(t_sql, 0.5):7.2f} {queries:2d}{flag}"
        )
        if percentile(t_sql, 0.95) > 2 * s95 or o95 >= 100 or args.explain:
            slow.append((name, case[3]))
    print("\nTarget: ours p95 < 100 ms and within 2x of the same query by hand (ratio p95).")
    for name, make_qs in slow:
        print(f"\nEXPLAIN (ANALYZE, BUFFERS) {name}:")
        print(make_qs().explain(analyze=True, buffers=True))
    hand.close()


if __name__ == "__main__":
    main()
