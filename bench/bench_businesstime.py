"""Benchmark oversight.businesstime against the businesstimedelta package.

Usage: .venv/bin/python bench/bench_businesstime.py [--cases N] [--peer-cases M] [--seed S]

Calendar both engines can express: America/New_York, Monday-Friday 09:00-17:00, US federal
holidays (observed dates) 2024-2028; no weekend working days (businesstimedelta has no way to
express those). The same random cases (whole seconds, 2025-2026) go through:

* ours, single calls with aware datetimes (business_seconds_between / add_business_seconds);
* ours, batch (numpy) on int64 microsecond arrays (conversion from datetimes not timed);
* businesstimedelta (Rules([WorkDayRule, HolidayRule]).difference / start + BusinessTimeDelta),
  on the first M cases only because it is much slower; per-case figures are compared.

Answers are cross-checked: ours single == ours batch on all N cases, ours == peer on M cases
(mismatches are counted and the first few printed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

import holidays
import numpy as np
import pytz
from businesstimedelta import BusinessTimeDelta, HolidayRule, Rules, WorkDayRule

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from oversight.businesstime import (  # noqa: E402 - path set up above
    CalendarSpec,
    add_business_many,
    add_business_seconds,
    business_microseconds_between_many,
    business_seconds_between,
    clear_cache,
    datetime_to_us,
)

TZ = "America/New_York"
YEARS = range(2024, 2029)
UTC = dt.UTC


def build_calendars() -> tuple[CalendarSpec, Rules, set[dt.date]]:
    """The same calendar for both engines."""
    us_holidays = {d for d in holidays.US(years=YEARS) if d.weekday() < 5}
    spec = CalendarSpec(
        tz=TZ,
        weekly=(((540, 1020),),) * 5 + ((), ()),
        overrides={d: () for d in us_holidays},
        covered_years=frozenset(YEARS),
        name="US federal, NY office",
    )
    tz = pytz.timezone(TZ)
    rules = Rules(
        [
            WorkDayRule(start_time=dt.time(9), end_time=dt.time(17), working_days=[0, 1, 2, 3, 4], tz=tz),
            # a set, not a list: HolidayRule tests `date in holidays` day after day
            HolidayRule(us_holidays, tz=tz),
        ]
    )
    return spec, rules, us_holidays


def make_cases(n: int, seed: int) -> tuple[list[dt.datetime], list[dt.datetime], list[int]]:
    """n (start, end) pairs within 0-30 days and n add amounts of 1 s - 80 business hours."""
    rng = random.Random(seed)
    lo = int(dt.datetime(2025, 1, 1, tzinfo=UTC).timestamp())
    hi = int(dt.datetime(2027, 1, 1, tzinfo=UTC).timestamp())
    starts, ends, amounts = [], [], []
    for _ in range(n):
        s = rng.randrange(lo, hi)
        starts.append(dt.datetime.fromtimestamp(s, UTC))
        ends.append(dt.datetime.fromtimestamp(s + rng.randrange(0, 30 * 86400), UTC))
        amounts.append(rng.randrange(1, 80 * 3600))
    return starts, ends, amounts


def per_case_us(seconds: float, n: int) -> float:
    """Microseconds per case."""
    return seconds / n * 1e6


def main() -> int:
    """Run the benchmark and print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--peer-cases", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=20260918)
    args = parser.parse_args()
    n, m = args.cases, min(args.peer_cases, args.cases)

    spec, rules, _ = build_calendars()
    starts, ends, amounts = make_cases(n, args.seed)
    starts_us = np.array([datetime_to_us(s) for s in starts], dtype=np.int64)
    ends_us = np.array([datetime_to_us(e) for e in ends], dtype=np.int64)
    amounts_us = np.array(amounts, dtype=np.int64) * 1_000_000

    # ---- cold start: a fresh cache, first call compiles the year(s) it needs --------------
    clear_cache()
    t0 = time.perf_counter()
    business_seconds_between(spec, starts[0], ends[0])
    cold_first = time.perf_counter() - t0
    clear_cache()
    t0 = time.perf_counter()
    business_seconds_between(spec, dt.datetime(2024, 1, 2, tzinfo=UTC), dt.datetime(2028, 12, 30, tzinfo=UTC))
    cold_five_years = time.perf_counter() - t0
    clear_cache()
    # warm the cache over the whole benchmark range so the timed loops measure lookups only
    business_seconds_between(spec, dt.datetime(2024, 1, 2, tzinfo=UTC), dt.datetime(2028, 12, 30, tzinfo=UTC))

    # ---- ours, single calls ------------------------------------------------------------------
    t0 = time.perf_counter()
    ours_between = [business_seconds_between(spec, s, e) for s, e in zip(starts, ends, strict=True)]
    t_ours_between = time.perf_counter() - t0
    t0 = time.perf_counter()
    ours_add = [add_business_seconds(spec, s, a) for s, a in zip(starts, amounts, strict=True)]
    t_ours_add = time.perf_counter() - t0

    # ---- ours, batch ---------------------------------------------------------------------------
    t0 = time.perf_counter()
    batch_between = business_microseconds_between_many(spec, starts_us, ends_us)
    t_batch_between = time.perf_counter() - t0
    t0 = time.perf_counter()
    batch_add = add_business_many(spec, starts_us, amounts_us)
    t_batch_add = time.perf_counter() - t0

    single_vs_batch = sum(
        int(round(x * 1e6)) != int(y) for x, y in zip(ours_between, batch_between, strict=True)
    ) + sum(datetime_to_us(x) != int(y) for x, y in zip(ours_add, batch_add, strict=True))

    # ---- peer ------------------------------------------------------------------------------------
    t0 = time.perf_counter()
    peer_between = [rules.difference(s, e).timedelta for s, e in zip(starts[:m], ends[:m], strict=True)]
    t_peer_between = time.perf_counter() - t0
    t0 = time.perf_counter()
    peer_add = [s + BusinessTimeDelta(rules, seconds=a) for s, a in zip(starts[:m], amounts[:m], strict=True)]
    t_peer_add = time.perf_counter() - t0

    between_mismatch = [
        (starts[i], ends[i], ours_between[i], peer_between[i].total_seconds())
        for i in range(m)
        if ours_between[i] != peer_between[i].total_seconds()
    ]
    add_mismatch = [(starts[i], amounts[i], ours_add[i], peer_add[i]) for i in range(m) if ours_add[i] != peer_add[i]]

    # ---- report --------------------------------------------------------------------------------
    print(f"calendar: {TZ}, Mon-Fri 09:00-17:00, US federal holidays {YEARS.start}-{YEARS.stop - 1}")
    print(f"cases: {n} ours (single and batch), {m} businesstimedelta (first {m} of the same cases)")
    print(f"cold start, first call (compiles 1-2 years):   {cold_first * 1e3:8.2f} ms")
    print(f"cold start, call spanning 5 years:             {cold_five_years * 1e3:8.2f} ms")
    print()
    header = (
        f"{'operation':<10} {'ours single':>12} {'ours batch':>12} {'peer':>12} {'peer/single':>12} {'peer/batch':>12}"
    )
    print(header + "   (µs per case)")
    for label, t_single, t_batch, t_peer in (
        ("between", t_ours_between, t_batch_between, t_peer_between),
        ("add", t_ours_add, t_batch_add, t_peer_add),
    ):
        single, batch, peer = per_case_us(t_single, n), per_case_us(t_batch, n), per_case_us(t_peer, m)
        print(f"{label:<10} {single:12.3f} {batch:12.4f} {peer:12.1f} {peer / single:11.0f}x {peer / batch:11.0f}x")
    print()
    print(f"ours single vs ours batch mismatches: {single_vs_batch} of {2 * n}")
    print(f"ours vs peer mismatches: between {len(between_mismatch)} of {m}, add {len(add_mismatch)} of {m}")
    for s, e, ours, peer in between_mismatch[:5]:
        print(f"  between {s.isoformat()} .. {e.isoformat()}: ours {ours} s, peer {peer} s")
    for s, a, ours, peer in add_mismatch[:5]:
        print(f"  add {s.isoformat()} + {a} s: ours {ours.isoformat()}, peer {peer.isoformat()}")
    print()
    print("semantic differences outside the benchmark's whole-second cases (computed now):")
    ny = pytz.timezone(TZ)
    s1, e1 = ny.localize(dt.datetime(2026, 3, 3, 9, 0, 0, 250_000)), ny.localize(dt.datetime(2026, 3, 3, 10))
    print(
        f"  sub-second start 09:00:00.25 -> 10:00: ours {business_seconds_between(spec, s1, e1)} s, "
        f"peer {rules.difference(s1, e1).timedelta.total_seconds()} s (peer drops microseconds)"
    )
    s2 = ny.localize(dt.datetime(2026, 3, 3, 20))
    print(
        f"  add 0 s at 20:00 (off hours): ours {add_business_seconds(spec, s2, 0).astimezone(ny).isoformat()}, "
        f"peer {(s2 + BusinessTimeDelta(rules, seconds=0)).isoformat()} (peer jumps to the next period)"
    )
    print(
        f"  between(10:00, 09:00): ours {business_seconds_between(spec, e1, s1.replace(microsecond=0))} s, "
        f"peer {rules.difference(e1, s1.replace(microsecond=0)).timedelta.total_seconds()} s (peer is unsigned)"
    )
    return 0 if single_vs_batch == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
