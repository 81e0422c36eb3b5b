"""The in-process scheduler of the embedded mode: the periodic jobs of ``CELERY_BEAT_SCHEDULE`` without Celery beat.

With Redis, ``celery -A oversight beat`` queues the jobs for a worker. Without it (the embedded default), one
process runs ``manage.py jobs_run``: every few seconds it asks :func:`due_jobs` which entries are due and runs
each in that process (the task's function, as the eager mode does), so deferred channel messages, digests and
retries, reminders, escalations and the other sweeps happen without a worker or cron. ``--once`` runs what is due
once and exits, for cron. Every job is idempotent (STYLE.md), so a run that overlaps a cron call is harmless.

An entry is due when its interval has passed since its last run (an interval job also runs when the scheduler
starts, as beat does) or, for a ``crontab``, when one of its minutes (UTC, ``CELERY_TIMEZONE``) fell after its
last run and not after now.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from oversight.core.metrics import count_task_failure

logger = logging.getLogger(__name__)

# A crontab missed for longer than this is run once, not replayed minute by minute.
CRONTAB_LOOKBACK = dt.timedelta(days=2)


def _interval(schedule) -> dt.timedelta | None:
    if isinstance(schedule, int | float):
        return dt.timedelta(seconds=float(schedule))
    if isinstance(schedule, dt.timedelta):
        return schedule
    run_every = getattr(schedule, "run_every", None)  # celery.schedules.schedule
    if isinstance(run_every, dt.timedelta) and not hasattr(schedule, "minute"):
        return run_every
    return None


def _minute_matches(schedule, moment: dt.datetime) -> bool:
    """Whether a crontab (sets of minute, hour, day of week with Sunday 0, day of month, month) fires then."""
    return (
        moment.minute in schedule.minute
        and moment.hour in schedule.hour
        and (moment.weekday() + 1) % 7 in schedule.day_of_week
        and moment.day in schedule.day_of_month
        and moment.month in schedule.month_of_year
    )


def crontab_fired(schedule, *, after: dt.datetime, until: dt.datetime) -> bool:
    """Whether a crontab has a minute in (after, until] (UTC; looked for over at most CRONTAB_LOOKBACK)."""
    after = max(after.astimezone(dt.UTC), until.astimezone(dt.UTC) - CRONTAB_LOOKBACK)
    moment = after.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    until = until.astimezone(dt.UTC)
    while moment <= until:
        if _minute_matches(schedule, moment):
            return True
        moment += dt.timedelta(minutes=1)
    return False


@dataclass
class Scheduler:
    """Which entries of a beat schedule are due, remembering when each last ran (in memory: one process)."""

    schedule: Mapping[str, Mapping]
    started_at: dt.datetime
    last_run: dict[str, dt.datetime] = field(default_factory=dict)

    def due_jobs(self, now: dt.datetime) -> list[str]:
        """The names of the entries due at ``now``, in the schedule's order (not yet marked as run)."""
        due = []
        for name, entry in self.schedule.items():
            schedule = entry["schedule"]
            last = self.last_run.get(name)
            interval = _interval(schedule)
            if interval is not None:
                if last is None or now - last >= interval:
                    due.append(name)
            elif hasattr(schedule, "minute") and crontab_fired(schedule, after=last or self.started_at, until=now):
                due.append(name)
        return due

    def run_due(self, now: dt.datetime, run: Callable[[str], object]) -> list[str]:
        """Run every due entry's task by name through ``run`` and mark it run (a failing job is logged, and the
        others still run); returns the names run."""
        done = []
        for name in self.due_jobs(now):
            self.last_run[name] = now
            try:
                run(self.schedule[name]["task"])
            except Exception:  # noqa: BLE001 - one broken job must not stop the others
                logger.exception("periodic job %s failed", name)
                count_task_failure(self.schedule[name]["task"])
            done.append(name)
        return done


def run_task(task_name: str) -> object:
    """Run a registered Celery task in this process (its function, no broker)."""
    from oversight.celery import app

    app.loader.import_default_modules()
    return app.tasks[task_name].run()
