"""Backup and restore of the whole database, with a manifest that proves the restore (docs/operations/backup.md).

A backup is a folder: the database copy and ``manifest.json`` (engine, creation time, the copy's SHA-256, and for
every table its row count and a checksum of its rows). PostgreSQL: ``pg_dump`` in the custom format, run on a
snapshot exported by a REPEATABLE READ transaction in which the manifest is computed too, so under load the
counts describe exactly the rows dumped. SQLite: the online backup API copies a consistent image while the site
runs, and the manifest is computed from the copy. A restore goes into a fresh, empty database (``pg_restore``, or a
copy of the SQLite image), then recomputes the manifest there and compares every table.

A table's checksum is order-free: the sum of the first 60 bits of each row's MD5 (PostgreSQL, of ``row::text``)
or SHA-256 (SQLite, of the row's values), with the count beside it; it is compared only between databases of the
same engine, which is what a restore makes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

MANIFEST = "manifest.json"
PG_DUMP_FILE = "database.dump"
SQLITE_FILE = "database.sqlite3"


class BackupError(Exception):
    """A backup or restore that cannot be made or does not verify (the message says why)."""


@dataclass(frozen=True)
class Target:
    """Where a database is: its engine and the parameters to reach it (a file for SQLite)."""

    engine: str  # "postgresql" or "sqlite"
    name: str
    host: str = ""
    port: str = ""
    user: str = ""
    password: str = ""

    @classmethod
    def from_settings(cls, db: dict) -> Target:
        engine = "postgresql" if "postgresql" in db["ENGINE"] else "sqlite" if "sqlite" in db["ENGINE"] else ""
        if not engine:
            raise BackupError(f"unsupported database engine {db['ENGINE']}")
        return cls(
            engine,
            str(db["NAME"]),
            str(db.get("HOST") or ""),
            str(db.get("PORT") or ""),
            str(db.get("USER") or ""),
            str(db.get("PASSWORD") or ""),
        )

    @classmethod
    def from_url(cls, url: str) -> Target:
        import dj_database_url

        return cls.from_settings(dj_database_url.parse(url))

    def pg_env(self) -> dict[str, str]:
        """The environment of pg_dump / pg_restore (libpq variables: the password never on a command line)."""
        env = dict(os.environ)
        for key, value in (
            ("PGHOST", self.host),
            ("PGPORT", self.port),
            ("PGUSER", self.user),
            ("PGPASSWORD", self.password),
            ("PGDATABASE", self.name),
        ):
            if value:
                env[key] = value
        return env

    def connect(self):
        """A DB-API connection of its own (never Django's), autocommit off."""
        if self.engine == "sqlite":
            return sqlite3.connect(self.name)
        import psycopg

        return psycopg.connect(
            dbname=self.name,
            host=self.host or None,
            port=self.port or None,
            user=self.user or None,
            password=self.password or None,
        )


def _program(name: str) -> str:
    """The full path of a PostgreSQL client program (postgresql-client, the server's major version or newer)."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return path


def _run_pg(target: Target, program: str, *arguments: str) -> None:
    """Run pg_dump or pg_restore against ``target``; raise BackupError with its message when it fails."""
    run = subprocess.run(  # noqa: S603 - a resolved program; arguments from settings and the command line
        [_program(program), *arguments], env=target.pg_env(), capture_output=True, text=True, check=False
    )
    if run.returncode != 0:
        raise BackupError(f"{program} failed: {run.stderr.strip()}")


# ------------------------------------------------------------------------------------------------ manifest


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_names(conn, engine: str) -> list[str]:
    """The user tables of the database, sorted."""
    if engine == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    else:
        sql = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
    cur = conn.cursor()
    cur.execute(sql)
    return sorted(row[0] for row in cur.fetchall())


def _sqlite_row_hash(row: tuple) -> int:
    text = json.dumps([v.hex() if isinstance(v, bytes) else v for v in row], default=str, ensure_ascii=False)
    return int(hashlib.sha256(text.encode()).hexdigest()[:15], 16)


def table_summary(conn, engine: str, table: str) -> dict:
    """{"rows": count, "checksum": order-free sum of the rows' hashes (as a decimal string)}."""
    cur = conn.cursor()
    if engine == "sqlite":
        cur.execute(f"SELECT * FROM {_quote(table)}")  # noqa: S608 - a table name read from the catalogue
        rows = total = 0
        while batch := cur.fetchmany(5000):
            rows += len(batch)
            total += sum(_sqlite_row_hash(row) for row in batch)
        return {"rows": rows, "checksum": str(total)}
    cur.execute(
        f"SELECT count(*), coalesce(sum(('x' || substr(md5(t::text), 1, 15))::bit(60)::bigint::numeric), 0) "  # noqa: S608
        f"FROM {_quote(table)} AS t"
    )
    count, total = cur.fetchone()
    return {"rows": int(count), "checksum": str(int(total))}


def database_summary(conn, engine: str) -> dict[str, dict]:
    """Every table's row count and checksum."""
    return {table: table_summary(conn, engine, table) for table in table_names(conn, engine)}


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def compare(expected: dict[str, dict], found: dict[str, dict]) -> list[str]:
    """The differences between two summaries, one line each (empty when they match)."""
    problems = []
    for table in sorted(set(expected) | set(found)):
        want, got = expected.get(table), found.get(table)
        if want is None:
            problems.append(f"{table}: not in the backup")
        elif got is None:
            problems.append(f"{table}: missing after the restore")
        elif want != got:
            problems.append(
                f"{table}: {want['rows']} rows / {want['checksum']} expected, {got['rows']} / {got['checksum']} found"
            )
    return problems


# ------------------------------------------------------------------------------------------------ backup


def backup(source: Target, folder: Path, *, now: dt.datetime, sqlite_connection=None) -> dict:
    """Write the database copy and its manifest into ``folder`` (created; must not exist yet); returns the
    manifest. ``sqlite_connection``: an open sqlite3 connection to copy from (Django's, which also works for an
    in-memory database) instead of opening ``source.name``."""
    if folder.exists():
        raise BackupError(f"{folder} already exists: a backup never overwrites another")
    folder.mkdir(parents=True)
    if source.engine == "sqlite":
        copy = folder / SQLITE_FILE
        with sqlite3.connect(copy) as dest:
            own = sqlite_connection is None
            src = sqlite3.connect(source.name) if own else sqlite_connection
            try:
                src.backup(dest)
            finally:
                if own:
                    src.close()
        dest.close()
        with sqlite3.connect(copy) as conn:
            tables = database_summary(conn, "sqlite")
        conn.close()
        data_file = copy
    else:
        data_file = folder / PG_DUMP_FILE
        import psycopg

        conn = source.connect()
        try:
            conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            conn.read_only = True
            snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
            _run_pg(
                source,
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={data_file}",
            )
            tables = database_summary(conn, "postgresql")
            conn.rollback()
        finally:
            conn.close()
    manifest = {
        "format": 1,
        "created_at": now.astimezone(dt.UTC).isoformat(),
        "engine": source.engine,
        "file": data_file.name,
        "sha256": file_sha256(data_file),
        "tables": tables,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    return manifest


# ------------------------------------------------------------------------------------------------ restore


def read_manifest(folder: Path) -> dict:
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupError(f"{folder} holds no {MANIFEST}: not a backup")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    data_file = folder / manifest["file"]
    if not data_file.is_file():
        raise BackupError(f"{data_file} is missing")
    if file_sha256(data_file) != manifest["sha256"]:
        raise BackupError(f"{data_file} does not match the manifest's SHA-256: the copy is damaged")
    return manifest


def restore(folder: Path, target: Target) -> dict[str, dict]:
    """Restore the backup in ``folder`` into ``target`` (an existing, empty PostgreSQL database, or a SQLite file
    that does not exist yet or is empty), then verify every table against the manifest; returns the restored
    summary. Raises BackupError when anything does not match."""
    manifest = read_manifest(folder)
    if manifest["engine"] != target.engine:
        raise BackupError(f"a {manifest['engine']} backup cannot be restored into {target.engine}")
    data_file = folder / manifest["file"]
    if target.engine == "sqlite":
        path = Path(target.name)
        if path.exists() and path.stat().st_size > 0:
            with sqlite3.connect(path) as conn:
                existing = table_names(conn, "sqlite")
            conn.close()
            if existing:
                raise BackupError(f"{path} already has tables: restore into a new file")
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(data_file, path)
    else:
        conn = target.connect()
        try:
            existing = table_names(conn, "postgresql")
        finally:
            conn.close()
        if existing:
            raise BackupError(f"database {target.name} already has tables: restore into a fresh database")
        _run_pg(
            target,
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            f"--dbname={target.name}",
            str(data_file),
        )
    conn = target.connect()
    try:
        found = database_summary(conn, target.engine)
    finally:
        conn.close()
    problems = compare(manifest["tables"], found)
    if problems:
        raise BackupError("the restored database does not match the backup:\n" + "\n".join(problems))
    return found
