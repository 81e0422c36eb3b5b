"""Helpers shared by the evaluation services: row locks, the timeline, evidence files, time zones."""

from __future__ import annotations

import datetime as dt
import json

from django.core.files.uploadedfile import UploadedFile
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext_lazy as _

from oversight.core import clock
from oversight.core.errors import ApplicationError, NotAllowed
from oversight.core.timeline import timeline_append
from oversight.core.uploads import check_stored_upload
from oversight.scorecards import permissions
from oversight.scorecards.models import Dispute, EvaluationPeriod, Evidence, ManualEntry, PeriodEvent


def local_midnight(day: dt.date, zone) -> dt.datetime:
    """00:00 of a local date as an aware instant in UTC."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(dt.UTC)


def lock_period(period: EvaluationPeriod) -> EvaluationPeriod:
    """Reload the period under a row lock (every write to a period and what hangs on it takes it)."""
    return (
        EvaluationPeriod.objects.select_for_update(of=("self",))
        .select_related("organisation", "contract", "vendor", "contract_version", "scheme")
        .get(pk=period.pk)
    )


def require_operator(actor, period: EvaluationPeriod) -> None:
    """Only the client side's operators (administrator, supervisor) act on the client's behalf."""
    if not permissions.may_operate(actor, period):
        raise NotAllowed(_("Only the client's administrators and supervisors can do this."))


def append_event(
    period: EvaluationPeriod,
    *,
    actor,
    kind: str,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    data: dict | None = None,
) -> PeriodEvent:
    """Append one immutable step to the period's timeline (the caller holds the period's row lock)."""
    return timeline_append(
        PeriodEvent,
        period,
        actor=actor,
        at=clock.now(),
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        note=note,
        data=jsonable(data or {}),
    )


def jsonable(data: dict) -> dict:
    """Decimals and instants as strings, so the timeline keeps exact figures in JSON."""
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def clean_text(value: str, *, label, max_length: int = 4000, required: bool = True) -> str:
    """Strip a text and check it is present (when required) and not too long."""
    text = (value or "").strip()
    if required and not text:
        raise ApplicationError(_("%(label)s is required.") % {"label": label}, code="required")
    if len(text) > max_length:
        raise ApplicationError(
            _("%(label)s may have at most %(n)s characters.") % {"label": label, "n": max_length}, code="too_long"
        )
    return text


def check_upload(upload: UploadedFile) -> tuple[str, str, str]:
    """Check an evidence file's size and real type (from its bytes); return (name, content type, sha256)."""
    return check_stored_upload(upload, field="files")


def store_evidence(
    *,
    period: EvaluationPeriod,
    uploads,
    actor,
    manual_entry: ManualEntry | None = None,
    dispute: Dispute | None = None,
) -> list[Evidence]:
    """Store evidence files (all checked first, so a bad one stores none) under random names outside the web root."""
    checked = [(upload, *check_upload(upload)) for upload in uploads or ()]
    stored = []
    now = clock.now()
    for index, (upload, *checks) in enumerate(checked):
        evidence = Evidence(period=period, manual_entry=manual_entry, dispute=dispute)
        evidence.store(upload, uploaded_by=actor, now=now, checked=tuple(checks), suffix=f"-{index}")
        evidence.save()
        stored.append(evidence)
    return stored


def evidence_summary(items: list[Evidence]) -> list[dict]:
    """What the audit trail and the timeline keep of evidence files."""
    return [{"name": e.original_name, "type": e.content_type, "size": e.size, "sha256": e.sha256} for e in items]
