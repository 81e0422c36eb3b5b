"""`manage.py backup` and `manage.py restore` (docs/operations/backup.md) on the database the suite runs on: a small
data set is backed up, restored into a fresh database (a new SQLite file, or a new PostgreSQL database made here)
and every table is compared with the source row by row by another method than the manifest's (SQLite: the
sorted rows themselves; PostgreSQL: an MD5 of the ordered row texts); a damaged copy, a tampered table, a target
that is not empty and the site's own database are refused."""

from __future__ import annotations

import json
import sqlite3
import uuid
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from oversight.audit.services import audit_record
from oversight.core import backup as backups
from oversight.core.health import heartbeat_record
from oversight.notifications.services import notification_create
from tests.factories import SiteFactory, UserFactory, VendorFactory

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump reads committed rows only


def _small_data_set() -> None:
    users = [UserFactory(email=f"person{i}@example.org", first_name="名字" if i % 2 else "Ann") for i in range(4)]
    VendorFactory(organisation=users[0].organisation, name='Vendor "quoted", comma')
    SiteFactory(organisation=users[0].organisation)
    for i, user in enumerate(users):
        notification_create(recipient=user, kind="test", dedupe_key=f"bk-{i}", subject=f"Subject {i}", body="正文")
    audit_record(action="test.backup", obj=users[0], actor=users[1], before={"a": 1}, after={"a": [1, 2]})
    heartbeat_record("worker", detail="w")


def _pg_target_url(name: str) -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def _pg_admin(sql: str) -> None:
    import psycopg

    s = connection.settings_dict
    with psycopg.connect(
        dbname="postgres", host=s["HOST"] or None, port=s["PORT"] or None, user=s["USER"] or None,
        password=s["PASSWORD"] or None, autocommit=True,
    ) as admin:  # fmt: skip
        admin.execute(sql)


def _independent_rows(conn, engine: str) -> dict[str, object]:
    """Every table's content by a method other than the manifest's: the sorted rows (SQLite), or the MD5 of the
    ordered row texts with the count (PostgreSQL)."""
    cur = conn.cursor()
    tables = backups.table_names(conn, engine)
    found = {}
    for table in tables:
        if engine == "sqlite":
            cur.execute(f'SELECT * FROM "{table}"')  # noqa: S608
            found[table] = sorted(repr(row) for row in cur.fetchall())
        else:
            ordered = "md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))"
            cur.execute(f'SELECT count(*), {ordered} FROM "{table}" t')  # noqa: S608
            found[table] = cur.fetchone()
    return found


def test_backup_then_restore_into_a_fresh_database_gives_every_table_back_row_for_row(tmp_path, settings):
    _small_data_set()
    folder = tmp_path / "backup"
    out = StringIO()
    call_command("backup", "--output", str(folder), stdout=out)
    manifest = json.loads((folder / "manifest.json").read_text())
    engine = "sqlite" if connection.vendor == "sqlite" else "postgresql"
    assert manifest["engine"] == engine
    assert manifest["tables"]["tenancy_user"]["rows"] == 4
    assert manifest["tables"]["notifications_notification"]["rows"] == 4
    assert manifest["tables"]["core_heartbeat"]["rows"] == 1
    assert manifest["tables"]["audit_auditentry"]["rows"] >= 1
    assert "django_migrations" in manifest["tables"]
    assert f"{len(manifest['tables'])} tables" in out.getvalue()

    if engine == "sqlite":
        restored_path = tmp_path / "restored.sqlite3"
        call_command("restore", str(folder), "--target", f"sqlite:///{restored_path}", stdout=out)
        # A plain connection: Django's converts values as it reads them, and the copy is read plainly too.
        with sqlite3.connect(connection.settings_dict["NAME"]) as plain:
            source = _independent_rows(plain, "sqlite")
        plain.close()
        with sqlite3.connect(restored_path) as restored:
            copy = _independent_rows(restored, "sqlite")
        restored.close()
    else:
        name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
        _pg_admin(f'CREATE DATABASE "{name}"')
        try:
            call_command("restore", str(folder), "--target", _pg_target_url(name), stdout=out)
            with connection.cursor() as cursor:
                source = _independent_rows(cursor.connection, "postgresql")
            restored = backups.Target.from_url(_pg_target_url(name)).connect()
            try:
                copy = _independent_rows(restored, "postgresql")
            finally:
                restored.close()
        finally:
            _pg_admin(f'DROP DATABASE IF EXISTS "{name}"')
    assert "every count and checksum match" in out.getvalue()
    assert set(copy) == set(source) == set(manifest["tables"])
    differing = [table for table in source if source[table] != copy[table]]
    assert differing == []


def test_a_damaged_copy_a_tampered_table_and_a_used_or_own_target_are_refused(tmp_path):
    _small_data_set()
    folder = tmp_path / "backup"
    call_command("backup", "--output", str(folder), stdout=StringIO())
    manifest = json.loads((folder / "manifest.json").read_text())
    with pytest.raises(CommandError, match="already"):  # the folder of an earlier backup is never overwritten
        call_command("backup", "--output", str(folder), stdout=StringIO())

    # The restore refuses the site's own database.
    own = connection.settings_dict
    own_url = f"sqlite:///{own['NAME']}" if connection.vendor == "sqlite" else _pg_target_url(own["NAME"])
    with pytest.raises(CommandError, match="own database"):
        call_command("restore", str(folder), "--target", own_url, stdout=StringIO())

    # A manifest that says one more row than the copy holds: the verification names the table.
    tampered = dict(manifest, tables=dict(manifest["tables"]))
    tampered["tables"]["tenancy_user"] = {**manifest["tables"]["tenancy_user"], "rows": 5}
    (folder / "manifest.json").write_text(json.dumps(tampered))
    if connection.vendor == "sqlite":
        target = tmp_path / "t1.sqlite3"
        with pytest.raises(CommandError, match=r"tenancy_user: 5 rows"):
            call_command("restore", str(folder), "--target", f"sqlite:///{target}", stdout=StringIO())
        # The target now holds tables: a second restore into it is refused before anything is written.
        (folder / "manifest.json").write_text(json.dumps(manifest))
        with pytest.raises(CommandError, match="already has tables"):
            call_command("restore", str(folder), "--target", f"sqlite:///{target}", stdout=StringIO())
    else:
        name = f"{own['NAME']}_restore_{uuid.uuid4().hex[:8]}"
        _pg_admin(f'CREATE DATABASE "{name}"')
        try:
            with pytest.raises(CommandError, match=r"tenancy_user: 5 rows"):
                call_command("restore", str(folder), "--target", _pg_target_url(name), stdout=StringIO())
            (folder / "manifest.json").write_text(json.dumps(manifest))
            with pytest.raises(CommandError, match="already has tables"):
                call_command("restore", str(folder), "--target", _pg_target_url(name), stdout=StringIO())
        finally:
            _pg_admin(f'DROP DATABASE IF EXISTS "{name}"')

    # One flipped byte in the copy: refused before any database is touched.
    data_file = Path(folder) / manifest["file"]
    content = bytearray(data_file.read_bytes())
    content[len(content) // 2] ^= 0xFF
    data_file.write_bytes(bytes(content))
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(folder), "--target", f"sqlite:///{tmp_path / 't2.sqlite3'}", stdout=StringIO())


def test_compare_names_each_missing_extra_or_changed_table():
    expected = {
        "a": {"rows": 1, "checksum": "10"},
        "b": {"rows": 2, "checksum": "20"},
        "c": {"rows": 0, "checksum": "0"},
    }
    found = {"a": {"rows": 1, "checksum": "10"}, "b": {"rows": 2, "checksum": "21"}, "d": {"rows": 0, "checksum": "0"}}
    assert backups.compare(expected, found) == [
        "b: 2 rows / 20 expected, 2 / 21 found",
        "c: missing after the restore",
        "d: not in the backup",
    ]
    assert backups.compare(expected, expected) == []


def test_the_sqlite_checksum_is_the_sum_of_the_rows_hashes_whatever_their_order(tmp_path):
    import hashlib

    conn = sqlite3.connect(tmp_path / "x.sqlite3")
    conn.execute("CREATE TABLE t (id INTEGER, name TEXT, data BLOB)")
    conn.executemany("INSERT INTO t VALUES (?, ?, ?)", [(2, "b", b"\x00\x01"), (1, "a", None)])
    expected = sum(
        int(hashlib.sha256(text.encode()).hexdigest()[:15], 16)
        for text in ('[2, "b", "0001"]', '[1, "a", null]')  # the rows as JSON, bytes in hex
    )
    assert backups.table_summary(conn, "sqlite", "t") == {"rows": 2, "checksum": str(expected)}
    conn.execute("DELETE FROM t WHERE id = 1")
    conn.execute("INSERT INTO t VALUES (1, 'a', NULL)")  # same rows, other order
    assert backups.table_summary(conn, "sqlite", "t")["checksum"] == str(expected)
    conn.close()
