"""The service-level term that applies to a queue on a day, memoised for a request's worth of days.

The contract's lookup is ``oversight.contactcentre.terms.term_for(queue, day)`` (the contact-centre app owns
it); this module only caches its answers per (queue, day), since a staffing page asks once per day shown."""

from __future__ import annotations

import datetime as dt

from oversight.contactcentre.models import Queue, ServiceLevelTerm


def term_for(queue: Queue, day: dt.date) -> ServiceLevelTerm | None:
    """The term of the contract version in force on ``day`` for the queue's channel, else the blank-channel one."""
    cache = queue.__dict__.setdefault("_workforce_terms", {})
    if day not in cache:
        cache[day] = _lookup(queue, day)
    return cache[day]


def _lookup(queue: Queue, day: dt.date) -> ServiceLevelTerm | None:
    if queue.contract_id is None:
        return None
    version = queue.contract.versions.filter(effective_from__lte=day).order_by("-effective_from", "-number").first()
    if version is None:
        return None
    terms = {t.channel: t for t in version.service_level_terms.all()}
    return terms.get(queue.channel) or terms.get("")
