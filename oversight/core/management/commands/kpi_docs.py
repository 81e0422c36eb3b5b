"""Write docs/indicators.md from the registered KPI sources, or check that it is up to date (--check)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from oversight.core import kpi_docs


class Command(BaseCommand):
    help = "Write docs/indicators.md from the registered KPI sources (--check: fail when it is stale)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Only compare; exit with an error when it differs.")

    def handle(self, *args, **options):
        text = kpi_docs.render()
        current = kpi_docs.PATH.read_text(encoding="utf-8") if kpi_docs.PATH.exists() else ""
        if options["check"]:
            if current != text:
                raise CommandError(f"{kpi_docs.PATH} is stale: run `python manage.py kpi_docs`.")
            self.stdout.write("docs/indicators.md is up to date.")
            return
        kpi_docs.PATH.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {kpi_docs.PATH}.")
