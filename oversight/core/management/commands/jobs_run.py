"""`manage.py jobs_run`: the embedded mode's scheduler (no Celery beat, no worker): runs the periodic jobs of
``CELERY_BEAT_SCHEDULE`` in this process as they fall due (channel messages every 30 s, escalations every minute,
reminders and reports hourly, ...). ``--once`` runs what is due now and exits, for cron (oversight.core.scheduler).
Each tick records the scheduler's ``beat`` heartbeat, each job run a ``job:<entry>`` one (oversight.core.health)."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand

from oversight.core import clock
from oversight.core.health import BEAT, JOB_PREFIX, heartbeat_record
from oversight.core.scheduler import Scheduler, run_task


class Command(BaseCommand):
    help = "Run the periodic jobs in this process as they fall due (the embedded mode's scheduler)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run the jobs due now once and exit (for cron).")
        parser.add_argument("--tick", type=float, default=5.0, help="Seconds between two looks (default 5).")

    def handle(self, *args, **options):
        scheduler = Scheduler(schedule=settings.CELERY_BEAT_SCHEDULE, started_at=clock.now())
        while True:
            for name in scheduler.run_due(clock.now(), run_task):
                self.stdout.write(f"{clock.now():%Y-%m-%d %H:%M:%S} {name}")
                heartbeat_record(f"{JOB_PREFIX}{name}")
            heartbeat_record(BEAT, detail="jobs_run")
            if options["once"]:
                return
            time.sleep(max(0.5, options["tick"]))
