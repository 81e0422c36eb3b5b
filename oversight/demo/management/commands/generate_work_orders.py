"""Add N generated work orders to an existing organisation, for scale tests (same process as the demo)."""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand, CommandError

from oversight.core.errors import ApplicationError
from oversight.demo.generator import DEFAULT_BATCH, generate_work_orders
from oversight.demo.scenario import DEMO_DAYS, DEMO_ORGANISATION_CODE
from oversight.tenancy.models import Organisation


class Command(BaseCommand):
    help = "Generate work orders with consistent timelines and SLA clocks for an existing organisation."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="How many work orders to add.")
        parser.add_argument(
            "--organisation", default=DEMO_ORGANISATION_CODE, help="Code of the organisation (default: the demo's)."
        )
        parser.add_argument("--seed", type=int, default=1, help="Seed of the random process (same seed, same data).")
        parser.add_argument("--batch", type=int, default=DEFAULT_BATCH, help="Work orders per database batch.")
        parser.add_argument("--days", type=int, default=DEMO_DAYS, help="Spread them over this many days before now.")
        parser.add_argument(
            "--workers",
            type=int,
            default=min(os.cpu_count() or 1, 4),
            help="Parallel worker processes on PostgreSQL (SQLite always uses one).",
        )

    def handle(self, *args, **options):
        organisation = Organisation.objects.filter(code=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation with code {options['organisation']!r}.")

        def progress(done: int, total: int, seconds: float) -> None:
            rate = done / seconds if seconds else 0.0
            self.stdout.write(f"  {done:>9,} / {total:,} work orders  {seconds:7.1f} s  ({rate:,.0f}/s)")

        try:
            result = generate_work_orders(
                organisation=organisation,
                count=options["count"],
                seed=options["seed"],
                days=options["days"],
                batch_size=options["batch"],
                workers=options["workers"],
                progress=progress if options["verbosity"] > 0 else None,
            )
        except ApplicationError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {result.count:,} work orders to {organisation.name} ({result.first_number} … "
                f"{result.last_number}) in {result.seconds:.1f} s: {result.events:,} events, {result.clocks:,} "
                f"clocks, {result.comments:,} comments, {result.breached:,} breached."
            )
        )
