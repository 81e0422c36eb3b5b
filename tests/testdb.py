"""The test database is migrated once and copied for every test process.

Applying the ~70 migrations costs a test process about a minute (longer on PostgreSQL), and `make test` starts
five of them (two xdist workers per database pass and the browser run). The first process to arrive builds a
template under a lock, named by a digest of every migration file, so a changed migration builds a new one; every
process then copies it (SQLite: the online backup API; PostgreSQL: CREATE DATABASE ... TEMPLATE) and Django
opens the copy as an existing test database, whose migrate finds nothing to apply. The template outlives the run
(later runs on the same migrations start at once); an older one is removed when a new one is built.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

import django
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def migrations_digest() -> str:
    """A digest of every migration file of the project and of the Django version (its own migrations)."""
    digest = hashlib.sha256(django.get_version().encode())
    for path in sorted((ROOT / "oversight").rglob("migrations/*.py")):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@contextlib.contextmanager
def _locked(name: str) -> Iterator[None]:
    path = Path(tempfile.gettempdir()) / f"oversight-{name}.lock"
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def _template_name(digest: str) -> str:
    if _is_sqlite():
        return str(Path(connection.settings_dict["TEST"]["NAME"]).with_name(f"test-template-{digest}.sqlite3"))
    return f"test_{settings.DATABASES['default']['NAME']}_tmpl_{digest}"[:63]


def _pg_execute(sql: str) -> None:
    # CREATE/DROP/ALTER DATABASE run outside a transaction, from the server's maintenance database.
    with connection._nodb_cursor() as cursor:
        cursor.execute(sql)


def _pg_databases(prefix: str) -> list[str]:
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [prefix.replace("_", r"\_") + "%"])
        return [row[0] for row in cursor.fetchall()]


def _exists(template: str) -> bool:
    if _is_sqlite():
        return Path(template).exists()
    return template in _pg_databases(template)


def _build(template: str, setup_databases, teardown_databases) -> None:
    """Migrate a fresh test database under a temporary name, then give it the template's name."""
    building = template + "-building" if _is_sqlite() else template[:54] + "_building"
    test_settings = connection.settings_dict["TEST"]
    worker_name = test_settings.get("NAME")
    test_settings["NAME"] = building
    try:
        with contextlib.suppress(FileNotFoundError):
            if _is_sqlite():
                Path(building).unlink()
        config = setup_databases(
            verbosity=0, interactive=False, aliases={"default"}, serialized_aliases=set(), keepdb=False
        )
        connection.close()
        if _is_sqlite():
            # Fold the write-ahead log into the file, so the file alone is the whole database.
            database = sqlite3.connect(building)
            try:
                database.execute("PRAGMA journal_mode=DELETE")
            finally:
                database.close()
            os.replace(building, template)
        else:
            _pg_execute(f'ALTER DATABASE "{building}" RENAME TO "{template}"')
        # Back to the real database's settings (setup_databases pointed the connection at the copy).
        for connection_, old_name, _destroy in config:
            connection_.settings_dict["NAME"] = old_name
            settings.DATABASES[connection_.alias]["NAME"] = old_name
    finally:
        test_settings["NAME"] = worker_name
    _remove_older_templates(template)


def _remove_older_templates(template: str) -> None:
    if _is_sqlite():
        for path in Path(template).parent.glob("test-template-*.sqlite3"):
            if str(path) != template:
                path.unlink(missing_ok=True)
        return
    prefix = template.rsplit("_tmpl_", 1)[0] + "_tmpl_"
    for name in _pg_databases(prefix):
        if name != template:
            with contextlib.suppress(Exception):
                _pg_execute(f'DROP DATABASE IF EXISTS "{name}"')


def _copy(template: str) -> None:
    """Give this process its own copy of the template under its test database's name."""
    target = connection.settings_dict["TEST"]["NAME"]
    if _is_sqlite():
        Path(target).unlink(missing_ok=True)
        source = sqlite3.connect(f"file:{template}?mode=ro", uri=True)
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            source.close()
            destination.close()
        return
    _pg_execute(f'DROP DATABASE IF EXISTS "{target}"')
    _pg_execute(f'CREATE DATABASE "{target}" TEMPLATE "{template}"')


def prepare_from_template(setup_databases, teardown_databases) -> None:
    """Build the template if this migration set has none yet, and copy it to this process's test database."""
    if connection.settings_dict["TEST"].get("NAME") is None:
        # The test database needs a name of its own to be copied to (settings.py gives SQLite one; pytest-django
        # names PostgreSQL's per worker).
        connection.settings_dict["TEST"]["NAME"] = connection.creation._get_test_db_name()
    digest = migrations_digest()
    template = _template_name(digest)
    with _locked(f"test-template-{digest}"):
        if not _exists(template):
            _build(template, setup_databases, teardown_databases)
        _copy(template)
