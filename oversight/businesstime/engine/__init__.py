"""Exact, fast business-time arithmetic on UTC instants (pure Python + numpy, no Django).

Model
-----
A :class:`CalendarSpec` says, for every *local* date of an IANA time zone, which wall-clock
minute intervals ``[start, end)`` are working time: the override for that date if there is one
(an empty tuple = non-working day, a non-empty tuple = working day with those intervals, e.g. a
Chinese adjusted working Saturday), otherwise the weekly pattern for its weekday.

A UTC instant ``t`` is business time iff its local wall-clock time in ``spec.tz`` lies inside one
of the intervals of its local date. Wall-clock time is ``t + utcoffset(t)``, so the definition is
exact across DST transitions: in a spring-forward gap the missing wall times simply never occur
(an interval 02:00-04:00 is one real hour that day), in a fall-back the repeated wall times occur
twice and both occurrences count (an interval 01:00-02:00 is two real hours that day).

Representation
--------------
For each local year the calendar is compiled once into a sorted list of disjoint UTC working
segments ``[s_i, e_i)`` in integer microseconds since the Unix epoch; years are concatenated
into contiguous *blocks* with a prefix array of cumulative business microseconds. Every query is
then one or two ``bisect`` calls (``numpy.searchsorted`` for the batch functions). Compiled data
is cached per spec (specs are frozen and hashable) and grown year by year on demand.

Single calls are built for speed (see ``_Block`` and the comment above the public functions): the
block used last is reachable from the spec in two attribute loads, its lists are laid out so that
a query needs no range test and no ``- 1``, and UTC datetimes (what the ORM returns) are bisected
and added as datetimes/timedeltas directly, with no int <-> datetime conversion; other aware
datetimes go through exact integer microseconds. Everything stays exact: datetime and timedelta
arithmetic is integer microseconds, and no float is ever involved except the float *result* of
the ``*_seconds_between`` functions (exactly microseconds / 10**6, correctly rounded).

Years without holiday data
--------------------------
If ``spec.covered_years`` is a set, any computation that needs a local date of another year
raises :class:`CalendarDataMissing` - the engine never guesses holidays.

All public functions take and return *aware* datetimes (results are in UTC); naive datetimes are
rejected with ``ValueError``. Amounts are exact integers of microseconds internally.

Layout
------
The package is split by concern, each module importing only the ones before it:
:mod:`.specification` (the spec, its validation, the µs units and conversions),
:mod:`.compilation` (spec -> per-year chunks -> blocks, and the per-spec cache),
:mod:`.queries` (single calls on datetimes) and :mod:`.batch` (numpy arrays). Callers import the
public names from here (or from ``oversight.businesstime``).
"""

from oversight.businesstime.engine.batch import (
    add_business_many,
    business_microseconds_between_many,
    business_seconds_between_many,
)
from oversight.businesstime.engine.compilation import MAX_BLOCK_YEARS, MAX_HORIZON_YEARS, clear_cache
from oversight.businesstime.engine.queries import (
    add_business_microseconds,
    add_business_seconds,
    business_microseconds_between,
    business_seconds_between,
    is_business_time,
    next_business_instant,
    working_segments,
)
from oversight.businesstime.engine.specification import (
    CalendarDataMissing,
    CalendarSpec,
    DayIntervals,
    datetime_to_us,
    us_to_datetime,
)

__all__ = [
    "MAX_BLOCK_YEARS",
    "MAX_HORIZON_YEARS",
    "CalendarDataMissing",
    "CalendarSpec",
    "DayIntervals",
    "add_business_many",
    "add_business_microseconds",
    "add_business_seconds",
    "business_microseconds_between",
    "business_microseconds_between_many",
    "business_seconds_between",
    "business_seconds_between_many",
    "clear_cache",
    "datetime_to_us",
    "is_business_time",
    "next_business_instant",
    "us_to_datetime",
    "working_segments",
]
