"""`manage.py restore FOLDER --target URL`: restore a backup into a fresh database and verify every table's row
count and checksum against its manifest (oversight.core.backup; docs/operations/backup.md). The target is an
existing, empty PostgreSQL database (``postgres://user@host:port/name``, made with createdb) or a new SQLite file
(``sqlite:////absolute/path.sqlite3``); the running site's own database is never overwritten."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from oversight.core.backup import BackupError, Target, restore


class Command(BaseCommand):
    help = "Restore a backup into a fresh database and verify it against the backup's manifest."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="The backup's folder (with manifest.json).")
        parser.add_argument("--target", required=True, help="Database URL of the fresh database to restore into.")

    def handle(self, *args, **options):
        try:
            target = Target.from_url(options["target"])
            current = Target.from_settings(settings.DATABASES["default"])
            if (target.engine, target.name, target.host, target.port) == (
                current.engine,
                current.name,
                current.host,
                current.port,
            ):
                raise BackupError("the target is this site's own database: restore into a fresh one")
            found = restore(Path(options["folder"]), target)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(table["rows"] for table in found.values())
        self.stdout.write(f"restored and verified: {len(found)} tables, {rows} rows, every count and checksum match")
