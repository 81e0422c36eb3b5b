"""Django's PostgreSQL backend with a fast reader of ``timestamptz`` values (settings use it for PostgreSQL).

Django (5.2, psycopg 3) reads every ``timestamptz`` through a Python subclass of psycopg's text loader, so the
C loader of ``psycopg[binary]`` is never used: a regular expression and a ``replace`` per value. Loading the
facts of a big vendor's month decodes about 300,000 timestamps, and that decoding was a quarter of the time of
recomputing an evaluation. The server writes them in ISO format (``2026-11-01 03:04:05.123456+00``), which
``datetime.fromisoformat`` reads in C. Anything it cannot read (a year beyond 9999, BC, infinity, another
``DateStyle``) goes to Django's loader, so every value reads as before: the same instant, in the connection's
time zone (``tests/core/test_core_db_timestamps.py`` compares the two loaders).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from django.db.backends.postgresql import base
from django.db.backends.postgresql.psycopg_any import BaseTzLoader
from psycopg import adapt
from psycopg.pq import Format


class FastTzLoader(BaseTzLoader):
    """``BaseTzLoader`` (the value in the connection's zone, ``timezone`` set as Django does), parsed in C."""

    def load(self, data):
        if self.timezone is None:  # naive datetimes (USE_TZ off): Django's rules
            return super().load(data)
        try:
            value = dt.datetime.fromisoformat(bytes(data).decode())
        except ValueError:
            return super().load(data)
        if value.tzinfo is None:  # not a timestamptz as PostgreSQL writes it: let Django's loader decide
            return super().load(data)
        return value if value.tzinfo is self.timezone else value.astimezone(self.timezone)


def register_fast_tzloader(tz, context) -> None:
    """Django's ``register_tzloader`` with the fast loader."""

    class SpecificTzLoader(FastTzLoader):
        timezone = tz

    context.adapters.register_loader("timestamptz", SpecificTzLoader)


@lru_cache
def _adapters(template, tz):
    """Django's adapters map of a connection, with the fast loader (one per template and zone, as Django caches)."""
    context = adapt.AdaptersMap(template)
    register_fast_tzloader(tz, context)
    return context


class DatabaseWrapper(base.DatabaseWrapper):
    """Connections and cursors register the fast loader where Django registers its own."""

    def get_connection_params(self):
        params = super().get_connection_params()
        params["context"] = _adapters(params["context"], self.timezone)
        return params

    def create_cursor(self, name=None):
        cursor = super().create_cursor(name)
        # Django re-registers its own loader on a cursor whose zone differs from the connection's: ours instead.
        loader = cursor.adapters.get_loader(base.TIMESTAMPTZ_OID, Format.TEXT)
        if not issubclass(loader, FastTzLoader):
            register_fast_tzloader(self.timezone, cursor)
        return cursor
