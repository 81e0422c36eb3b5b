"""The PostgreSQL backend's fast ``timestamptz`` reader gives exactly what Django's own loader gives."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import BaseTzLoader
from django.db.models import DateTimeField, Value
from hypothesis import given
from hypothesis import strategies as st
from psycopg import adapters

from oversight.core.dbbackends.postgresql.base import FastTzLoader
from oversight.tenancy.models import Organisation

OID = adapters.types["timestamptz"].oid
UTC = dt.UTC


class DjangoUtc(BaseTzLoader):
    timezone = UTC


class FastUtc(FastTzLoader):
    timezone = UTC


def _pg_text(value: dt.datetime, offset_minutes: int) -> bytes:
    """``value`` as PostgreSQL writes a timestamptz in a session whose zone has that offset (DateStyle ISO)."""
    zone = dt.timezone(dt.timedelta(minutes=offset_minutes))
    local = value.astimezone(zone)
    text = local.strftime("%Y-%m-%d %H:%M:%S")
    if local.microsecond:
        text += f".{local.microsecond:06d}".rstrip("0")
    sign = "+" if offset_minutes >= 0 else "-"
    hours, minutes = divmod(abs(offset_minutes), 60)
    text += f"{sign}{hours:02d}" + (f":{minutes:02d}" if minutes else "")
    return text.encode()


@given(
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(9998, 12, 31), timezones=st.just(UTC)),
    st.sampled_from([0, 480, 330, -300, 345]),
)
def test_the_fast_loader_reads_every_value_as_djangos_loader(value, offset_minutes):
    text = _pg_text(value, offset_minutes)
    fast, django = FastUtc(OID).load(text), DjangoUtc(OID).load(text)
    assert fast == django == value
    assert fast.tzinfo is UTC and django.tzinfo is UTC


@pytest.mark.parametrize(
    "text",
    [
        b"2026-11-01 03:04:05+00",
        b"2026-11-01 03:04:05.5+00",
        b"0001-01-01 00:00:00+00",
        b"9999-12-31 23:59:59.999999+00",
    ],
)
def test_edge_values_read_the_same(text):
    assert FastUtc(OID).load(text) == DjangoUtc(OID).load(text)


def test_values_it_cannot_read_go_to_djangos_loader_and_fail_the_same_way():
    for text in (b"infinity", b"10000-01-01 00:00:00+00"):
        with pytest.raises(Exception) as django_error:
            DjangoUtc(OID).load(text)
        with pytest.raises(django_error.type):
            FastUtc(OID).load(text)


@pytest.mark.django_db
def test_the_database_reads_back_the_stored_instant(db):
    written = dt.datetime(2026, 11, 1, 3, 4, 5, 123456, tzinfo=UTC)
    organisation = Organisation.objects.create(name="Timestamps", code="ts")
    read = (
        Organisation.objects.filter(pk=organisation.pk)
        .annotate(at=Value(written, output_field=DateTimeField()))
        .values_list("at", flat=True)
        .get()
    )
    assert read == written
    if connection.vendor == "postgresql":  # the backend in use reads with the fast loader
        with connection.cursor() as cursor:
            loader = cursor.cursor.adapters.get_loader(OID, 0)
        assert issubclass(loader, FastTzLoader)
