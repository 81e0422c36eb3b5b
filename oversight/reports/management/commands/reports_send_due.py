"""`manage.py reports_send_due`: e-mail the scheduled service reports that are due (for cron in the embedded mode)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from oversight.reports.services import deliveries_send_due


class Command(BaseCommand):
    """Run the hourly delivery job once; safe to run as often as wanted (each period is sent once)."""

    help = "E-mail the scheduled service reports that are due (each schedule and period once)."

    def handle(self, *args, **options):
        summary = deliveries_send_due()
        self.stdout.write(
            f"{summary['schedules']} active schedule(s): {summary['delivered']} delivered, "
            f"{summary['resumed']} resumed, {summary['pending']} waiting for calendar data; "
            f"{summary['emails']} e-mail(s) sent, {summary['skipped']} recipient(s) skipped, "
            f"{summary['failed']} failed."
        )
