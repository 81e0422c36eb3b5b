"""The service-level term that applies to a queue on a day, memoised per queue object.

The lookup is the contact-centre app's ``oversight.contactcentre.terms.term_for(queue, day)``; a staffing page or
an indicator asks it once per day shown, and the answers are kept on the queue object for that request."""

from __future__ import annotations

import datetime as dt

from oversight.contactcentre import terms as contactcentre_terms
from oversight.contactcentre.models import Queue, ServiceLevelTerm


def term_for(queue: Queue, day: dt.date) -> ServiceLevelTerm | None:
    """The term of the contract version in force on ``day`` for the queue's channel, else the blank-channel one."""
    cache = queue.__dict__.setdefault("_workforce_terms", {})
    if day not in cache:
        cache[day] = contactcentre_terms.term_for(queue, day)
    return cache[day]
