"""Stalled changes (变更停滞): a change that stays in one status longer than the first level's wait of the matrix's
stalled-change rows is escalated from the moment it entered that status; it settles when the change moves on."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from oversight.businesstime.engine import CalendarDataMissing
from oversight.changes.selectors import changes_open_since
from oversight.liaisons.choices import EscalationStatus, Trigger
from oversight.liaisons.models import Escalation, EscalationMatrix

SUBJECT = "changes.change"


def stalled_changes_sweep(*, now: dt.datetime) -> dict[str, int]:
    """Raise an episode for each change stalled past its threshold; settle those whose change moved on."""
    from oversight.liaisons.services.escalation import episode_settle, escalation_raise, level_due_at, matrix_rules

    counts = {"stalled": 0, "moved_on": 0}
    open_episodes = Escalation.objects.filter(trigger=Trigger.STALLED_CHANGE, status=EscalationStatus.OPEN)
    current = {}
    for organisation_id, vendor_id in _routed_scopes():
        for change in changes_open_since(organisation_id=organisation_id, vendor_id=vendor_id).select_related(
            "organisation", "implementer"
        ):
            current[change.pk] = change.status_since
            matrix, rules = matrix_rules(
                organisation_id=organisation_id, vendor_id=change.implementer_id, trigger=Trigger.STALLED_CHANGE
            )
            if not rules:
                continue
            try:
                threshold = level_due_at(matrix=matrix, started_at=change.status_since, wait_hours=rules[0].wait_hours)
            except CalendarDataMissing:
                continue
            if threshold > now:
                continue
            exists = open_episodes.filter(subject_type=SUBJECT, subject_id=change.pk, started_at=change.status_since)
            if not exists.exists():
                counts["stalled"] += 1
            escalation_raise(
                trigger=Trigger.STALLED_CHANGE,
                organisation=change.organisation,
                vendor=change.implementer,
                subject_type=SUBJECT,
                subject_id=change.pk,
                title=f"{change.number} {change.title}",
                url=change.get_absolute_url(),
                started_at=change.status_since,
            )
    for episode in open_episodes.filter(subject_type=SUBJECT):
        since = current.get(episode.subject_id)
        if since is None or since != episode.started_at:
            counts["moved_on"] += int(episode_settle(escalation_id=episode.pk, at=since or now))
    return counts


def _routed_scopes() -> list[tuple[int, int | None]]:
    """(organisation, vendor) pairs whose matrix has stalled-change rows (vendor None: the whole organisation)."""
    rows = (
        EscalationMatrix.objects.filter(Q(rules__trigger=Trigger.STALLED_CHANGE))
        .values_list("organisation_id", "vendor_id")
        .distinct()
    )
    scopes = set(rows)
    whole = {org for org, vendor in scopes if vendor is None}
    return sorted((org, vendor) for org, vendor in scopes if vendor is None or org not in whole)
