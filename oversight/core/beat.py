"""Celery beat's scheduler with a heartbeat: ``CELERY_BEAT_SCHEDULER`` names it, so ``celery -A oversight beat``
records in the database, at most every few seconds, that it is looking at its schedule (oversight.core.health)."""

from __future__ import annotations

import logging
import time

from celery.beat import PersistentScheduler
from django.db import close_old_connections

from oversight.core.health import BEAT, heartbeat_record

logger = logging.getLogger(__name__)


class HeartbeatScheduler(PersistentScheduler):
    """The default persistent scheduler, recording ``beat``'s heartbeat on its ticks (every ``heartbeat_every`` s
    at most; beat ticks at least every 30 s with this project's schedule)."""

    heartbeat_every = 10.0
    _last_heartbeat = float("-inf")

    def tick(self, *args, **kwargs):
        interval = super().tick(*args, **kwargs)
        self.record_heartbeat()
        return interval

    def record_heartbeat(self) -> None:
        """Write the heartbeat unless one was written lately; a database outage is logged, never fatal to beat."""
        moment = time.monotonic()
        if moment - self._last_heartbeat < self.heartbeat_every:
            return
        self._last_heartbeat = moment
        try:
            close_old_connections()  # a connection broken by a database restart is replaced
            heartbeat_record(BEAT, detail="celery beat")
        except Exception:  # noqa: BLE001 - beat must keep scheduling while the database is away
            logger.warning("beat could not record its heartbeat", exc_info=True)
