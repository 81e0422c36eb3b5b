"""Rebuild the pre-aggregated service facts from the work orders, ratings and complaints."""

from __future__ import annotations

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError

from oversight.facts.services import facts_add_missing, facts_rebuild
from oversight.tenancy.models import Organisation


class Command(BaseCommand):
    """``manage.py facts_rebuild [--organisation CODE] [--since YYYY-MM-DD]``: the same rows the events keep."""

    help = "Rebuild the service facts of every organisation (or one), entirely or from a local day on."

    def add_arguments(self, parser):
        parser.add_argument("--organisation", help="Code of the one organisation to rebuild.")
        parser.add_argument("--since", help="Rebuild the days from this local date (YYYY-MM-DD) on.")
        parser.add_argument(
            "--missing",
            action="store_true",
            help="Only add the work orders without facts (after a bulk load), then recompute the daily rows.",
        )

    def handle(self, *args, organisation=None, since=None, missing=False, **options):
        try:
            since_day = dt.date.fromisoformat(since) if since else None
        except ValueError as exc:
            raise CommandError(f"--since must be a date like 2026-10-01, not {since!r}") from exc
        organisations = Organisation.objects.order_by("code")
        if organisation:
            organisations = organisations.filter(code=organisation)
            if not organisations.exists():
                raise CommandError(f"No organisation with the code {organisation!r}.")
        for org in organisations:
            started = time.perf_counter()
            if missing:
                counts = facts_add_missing(organisation=org)
            else:
                counts = facts_rebuild(organisation=org, since=since_day)
            self.stdout.write(
                f"{org.code}: {counts['work_order_facts']} work-order facts, {counts['daily_rows']} daily rows "
                f"in {time.perf_counter() - started:.1f} s"
            )
