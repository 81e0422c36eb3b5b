"""Which service-level term applies (服务水平条款的适用): the term of the contract version in force on a day.

A queue is served under a contract; each contract version carries its own service-level terms (one per
channel, or one with a blank channel for every channel). ``term_for(queue, day)`` answers which of them the
interval facts of that day are measured under: the term of the version in force on that day for the queue's
channel, else that version's blank-channel term, else None (no contract, no version in force, or no term).

A new contract version brings its own terms; past days keep the version that was in force on them, so a changed
definition never rewrites a past period. Every KPI value records the term it used (its id and the version).
"""

from __future__ import annotations

import datetime as dt

from oversight.contactcentre.models import Queue, ServiceLevelTerm
from oversight.contracts.models import ContractVersion
from oversight.contracts.selectors import contract_version_in_force


def term_of_version(version: ContractVersion | None, channel: str) -> ServiceLevelTerm | None:
    """The term of a contract version for a channel: the channel's own, else the blank-channel one."""
    if version is None:
        return None
    terms = {t.channel: t for t in ServiceLevelTerm.objects.filter(contract_version=version, channel__in=[channel, ""])}
    return terms.get(channel) or terms.get("")


def term_for(queue: Queue, day: dt.date) -> ServiceLevelTerm | None:
    """The service-level term the queue's facts of ``day`` (a local date) are measured under, or None."""
    if queue.contract_id is None:
        return None
    version = contract_version_in_force(queue.contract, day)
    return term_of_version(version, queue.channel)


def terms_for_days(queue: Queue, days: list[dt.date]) -> dict[dt.date, ServiceLevelTerm | None]:
    """``term_for`` for many days of one queue, with one lookup per contract version rather than per day."""
    out: dict[dt.date, ServiceLevelTerm | None] = {}
    by_version: dict[int | None, ServiceLevelTerm | None] = {}
    if queue.contract_id is None:
        return dict.fromkeys(days)
    for day in days:
        version = contract_version_in_force(queue.contract, day)
        key = version.pk if version is not None else None
        if key not in by_version:
            by_version[key] = term_of_version(version, queue.channel)
        out[day] = by_version[key]
    return out
