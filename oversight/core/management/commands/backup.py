"""`manage.py backup [--output FOLDER]`: copy the whole database with a manifest of every table's row count and
checksum (oversight.core.backup; docs/operations/backup.md). PostgreSQL: pg_dump's custom format on one snapshot;
SQLite: the online backup API. Safe while the site runs."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from oversight.core import clock
from oversight.core.backup import BackupError, Target, backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump or SQLite's online backup) with a manifest of row counts and checksums."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="Folder to create for this backup (default: <OVERSIGHT_VAR_DIR>/backups/<UTC time>).",
        )

    def handle(self, *args, **options):
        now = clock.now()
        folder = Path(options["output"] or Path(settings.VAR_DIR) / "backups" / f"{now:%Y%m%dT%H%M%SZ}")
        source = Target.from_settings(settings.DATABASES["default"])
        sqlite_connection = None
        if source.engine == "sqlite":
            connection.ensure_connection()
            sqlite_connection = connection.connection
        try:
            manifest = backup(source, folder, now=now, sqlite_connection=sqlite_connection)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(f"{folder}: {len(manifest['tables'])} tables, {rows} rows, sha256 {manifest['sha256']}")
