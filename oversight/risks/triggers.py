"""Services of key risk indicators: save a KRI, evaluate it, and the risk events its breaches raise.

Evaluating a KRI (`kri_evaluate`) measures its complete periods that have no reading yet and re-judges the last
``persistence`` ones (late data), stores one reading per period, then finds the breach episodes
(`oversight.quant.kri.episodes`) over all its readings. Each episode raises **one** `RiskEvent`: the unique
constraint on (KRI, episode start) makes a second evaluation, a concurrent one or one after a crash find the
event instead of raising another. An event is raised while its episode is open (or when it was breached since the
previous evaluation); an episode already over when a KRI is first evaluated (a new KRI over old data) shows in the
readings but raises nothing, so old history never moves a risk today.

Applying an event (`risk_event_apply`) is a separate step, per linked risk in its own transaction, recorded by a
`RiskEventEffect` (unique per event and risk): raise the risk's current probability by the link's levels through
`risk_rating_record(..., source=event)`, open its contingency plan through
`contingency_open(trigger_key="risk-event:<id>")` (itself idempotent on the key) and notify the risk's owner. A
crash in the middle rolls back that risk's part; the next evaluation applies what is missing, never twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import audit_record
from oversight.businesstime.engine import CalendarDataMissing
from oversight.core import clock
from oversight.core.errors import ApplicationError
from oversight.core.events import publish
from oversight.core.zones import local_today
from oversight.quant import kri as rules
from oversight.risks import indicators, matrices, permissions
from oversight.risks.choices import RatingKind
from oversight.risks.choices_triggers import (
    DAILY_RULES,
    NOTIFY_RISK_EVENT,
    STOCK_RULES,
    KriRule,
    KriStatus,
    KriWindow,
)
from oversight.risks.events import KRI_BREACHED, KRI_RECOVERED
from oversight.risks.models import KeyRiskIndicator, KriReading, KriRiskLink, RiskEvent, RiskEventEffect
from oversight.risks.services import contingency_open, risk_matrix_current, risk_rating_record
from oversight.risks.services.notify import notify

NO_DATA = KriStatus.NO_DATA
logger = logging.getLogger(__name__)


def thresholds_of(kri) -> rules.Thresholds:
    """The KRI's thresholds as the pure rule reads them."""
    return rules.Thresholds(amber=kri.amber_threshold, red=kri.red_threshold, higher_is_worse=kri.higher_is_worse)


def status_of(kri, value) -> str:
    """The traffic light of a value for this KRI (``no_data`` without a value)."""
    return thresholds_of(kri).status(value) or NO_DATA


@dataclass
class Evaluation:
    """What one evaluation of a KRI did."""

    measured: int = 0
    raised: list[RiskEvent] = field(default_factory=list)
    ended: list[RiskEvent] = field(default_factory=list)
    applied: int = 0


def _periods_to_measure(kri, periods: list[tuple[dt.date, dt.date]], stored: dict) -> list[tuple[dt.date, dt.date]]:
    if not periods:
        return []
    if kri.rule in STOCK_RULES:
        return [periods[-1]]
    recent = set(periods[-kri.persistence :])
    return [p for p in periods if p[0] not in stored or p in recent]


def kri_evaluate(*, kri, actor=None) -> Evaluation:
    """Measure the KRI's due periods, store the readings, raise and end its risk events, apply pending ones."""
    outcome = Evaluation()
    previous = kri.last_evaluated_at
    today = local_today(kri.organisation)
    periods = indicators.kri_periods(kri, until=today - dt.timedelta(days=1))
    with transaction.atomic():
        stored = {r.period_start: r for r in KriReading.objects.filter(kri=kri)}
        now = clock.now()
        for first, last in _periods_to_measure(kri, periods, stored):
            measurement = indicators.measure(kri, first, last)
            status = status_of(kri, measurement.value)
            KriReading.objects.update_or_create(
                kri=kri,
                period_start=first,
                defaults={
                    "period_end": last,
                    "value": measurement.value,
                    "status": status,
                    "detail": measurement.detail,
                    "computed_at": now,
                },
            )
            outcome.measured += 1
        kri.last_evaluated_at = now
        kri.save(update_fields=["last_evaluated_at"])
    readings = list(KriReading.objects.filter(kri=kri).order_by("period_start"))
    _raise_and_end(kri, readings, previous, outcome, actor)
    for event in RiskEvent.objects.filter(kri=kri, applied_at__isnull=True).order_by("episode_start"):
        outcome.applied += risk_event_apply(event=event)
    if actor is not None:
        audit_record(
            actor=actor,
            action="risks.kri.evaluated",
            obj=kri,
            organisation=kri.organisation,
            after={"measured": outcome.measured, "raised": [e.pk for e in outcome.raised], "applied": outcome.applied},
        )
    return outcome


def _raise_and_end(kri, readings: list[KriReading], previous, outcome: Evaluation, actor) -> None:
    statuses = [None if r.status == NO_DATA else r.status for r in readings]
    since = None if previous is None else previous.astimezone(dt.UTC).date()
    for episode in rules.episodes(statuses, kri.persistence):
        start = readings[episode.start]
        breached = readings[episode.breached]
        ended_on = None if episode.open else readings[episode.end].period_start
        existing = RiskEvent.objects.filter(kri=kri, episode_start=start.period_start).first()
        if existing is None:
            if not episode.open and (since is None or breached.period_end < since):
                continue
            event = _event_raise(kri, start, breached, ended_on)
            if event is not None:
                outcome.raised.append(event)
        elif existing.ended_on is None and ended_on is not None:
            _event_end(existing, ended_on)
            outcome.ended.append(existing)


def _event_raise(kri, start: KriReading, breached: KriReading, ended_on) -> RiskEvent | None:
    """Raise the event of an episode once (None when a concurrent evaluation raised it first)."""
    try:
        with transaction.atomic():
            event = RiskEvent.objects.create(
                organisation_id=kri.organisation_id,
                kri=kri,
                episode_start=start.period_start,
                breached_on=breached.period_start,
                ended_on=ended_on,
                value=breached.value,
                raised_at=clock.now(),
            )
            audit_record(
                actor=None,
                action="risks.riskevent.raised",
                obj=event,
                organisation=kri.organisation,
                after={
                    "kri": kri.pk,
                    "episode_start": event.episode_start.isoformat(),
                    "breached_on": event.breached_on.isoformat(),
                    "value": None if event.value is None else str(event.value),
                },
            )
            publish(KRI_BREACHED, risk_event_id=event.pk, kri_id=kri.pk)
    except IntegrityError:
        return None
    return event


def _event_end(event: RiskEvent, ended_on: dt.date) -> None:
    with transaction.atomic():
        updated = RiskEvent.objects.filter(pk=event.pk, ended_on__isnull=True).update(ended_on=ended_on)
        if updated:
            event.ended_on = ended_on
            audit_record(
                actor=None,
                action="risks.riskevent.ended",
                obj=event,
                organisation=event.organisation,
                after={"ended_on": ended_on.isoformat()},
            )
            publish(KRI_RECOVERED, risk_event_id=event.pk, kri_id=event.kri_id)


def risk_event_apply(*, event: RiskEvent) -> int:
    """Apply an event to each linked risk not yet done (rating, contingency plan, owner told); returns how many."""
    applied = 0
    links = KriRiskLink.objects.filter(kri_id=event.kri_id).select_related("risk").order_by("pk")
    for link in links:
        if RiskEventEffect.objects.filter(event=event, risk_id=link.risk_id).exists():
            continue
        if _apply_to_risk(event, link):
            applied += 1
    with transaction.atomic():
        RiskEvent.objects.filter(pk=event.pk, applied_at__isnull=True).update(applied_at=clock.now())
    return applied


@transaction.atomic
def _apply_to_risk(event: RiskEvent, link: KriRiskLink) -> bool:
    risk = link.risk
    # The effect row is written first: a concurrent apply of the same event and risk fails here and does nothing.
    try:
        with transaction.atomic():
            effect = RiskEventEffect.objects.create(event=event, risk=risk, applied_at=clock.now())
    except IntegrityError:
        return False
    kri = event.kri
    reason = gettext("Key risk indicator %(kri)s breached (from %(start)s).") % {
        "kri": kri.localized_name,
        "start": event.episode_start.isoformat(),
    }
    cell = raised_cell(risk, link.raise_levels)
    if cell is not None:
        effect.rating = risk_rating_record(
            risk=risk,
            kind=RatingKind.CURRENT,
            probability_level=cell[0],
            impact_level=cell[1],
            reason=reason,
            actor=None,
            source=event,
        )
    actions = contingency_open(risk=risk, reason=reason, trigger_key=f"risk-event:{event.pk}", actor=None)
    effect.actions_opened = len(actions)
    effect.save(update_fields=["rating", "actions_opened"])
    _notify_owner(event, risk)
    audit_record(
        actor=None,
        action="risks.riskevent.applied",
        obj=event,
        organisation=event.organisation,
        after={
            "risk": risk.pk,
            "rating": effect.rating_id,
            "actions_opened": effect.actions_opened,
        },
    )
    return True


def raised_cell(risk, levels: int) -> tuple[int, int] | None:
    """The (probability, impact) cell of the risk's current rating with the probability raised by ``levels``,
    at most to the matrix's top level; from the inherent rating when there is no current one yet. None when the
    risk has no rating, or nothing to raise."""
    latest = {}
    for rating in risk.ratings.filter(kind__in=[RatingKind.CURRENT, RatingKind.INHERENT]).order_by("rated_at", "id"):
        latest[rating.kind] = rating
    base = latest.get(RatingKind.CURRENT) or latest.get(RatingKind.INHERENT)
    if base is None or levels <= 0:
        return None
    matrix = matrices.as_matrix(risk_matrix_current(organisation=risk.organisation))
    return min(base.probability_level + levels, matrix.probability_levels), min(base.impact_level, matrix.impact_levels)


def _notify_owner(event: RiskEvent, risk) -> None:
    kri = event.kri
    notify(
        recipient=risk.owner,
        kind=NOTIFY_RISK_EVENT,
        dedupe_key=f"risk-event:{event.pk}:{risk.pk}",
        subject=lambda: (
            gettext("Risk %(risk)s: key risk indicator %(kri)s is in breach")
            % {"risk": str(risk), "kri": kri.localized_name}
        ),
        body=lambda: (
            gettext("The breach began on %(start)s. The contingency plan has been opened.")
            % {"start": event.episode_start.isoformat()}
        ),
    )


# ----------------------------------------------------------------------------------------------------------------
# saving a KRI
# ----------------------------------------------------------------------------------------------------------------

KRI_FIELDS = (
    "name",
    "name_en",
    "source",
    "rule",
    "vendor",
    "contract",
    "service",
    "higher_is_worse",
    "amber_threshold",
    "red_threshold",
    "window",
    "window_days",
    "calendar",
    "persistence",
    "rule_days",
    "starts_on",
    "is_active",
)


def _check(kri, links: list[tuple]) -> None:
    """Refuse, in words, a KRI that could not be evaluated or reaches outside its organisation."""
    problems = []
    if bool(kri.source) == bool(kri.rule):
        problems.append(_("Choose either an indicator source or a data rule."))
    if kri.source and kri.source not in dict(indicators.source_choices()):
        problems.append(_("This indicator source is not registered or is not computed by Oversight."))
    if kri.vendor.organisation_id != kri.organisation_id:
        problems.append(_("Choose a vendor of your organisation."))
    if kri.contract_id is not None and kri.contract.vendor_id != kri.vendor_id:
        problems.append(_("The contract must be one of the vendor's contracts."))
    if kri.service_id is not None and kri.rule != KriRule.NO_SERVICE:
        problems.append(_("Only the rule on work orders resolved per working day is measured per service."))
    if kri.service_id is not None and kri.service.organisation_id != kri.organisation_id:
        problems.append(_("Choose a service of your organisation."))
    if kri.window == KriWindow.BUSINESS_DAYS and kri.calendar_id is None:
        problems.append(_("Windows of working days need a business calendar."))
    if kri.calendar_id is not None and kri.calendar.organisation_id != kri.organisation_id:
        problems.append(_("Choose a business calendar of your organisation."))
    if kri.rule in DAILY_RULES and kri.window != KriWindow.BUSINESS_DAYS:
        problems.append(_("This rule is measured per working day: choose a window of working days."))
    thresholds = thresholds_of(kri)
    if thresholds.higher_is_worse and kri.amber_threshold > kri.red_threshold:
        problems.append(_("When higher is worse, the amber threshold must not be above the red threshold."))
    if not thresholds.higher_is_worse and kri.amber_threshold < kri.red_threshold:
        problems.append(_("When lower is worse, the amber threshold must not be below the red threshold."))
    if not 1 <= kri.persistence <= 24:
        problems.append(_("Persistence is 1 to 24 periods."))
    for risk, raise_levels in links:
        if risk.organisation_id != kri.organisation_id:
            problems.append(_("Link only risks of your organisation."))
        if not 0 <= raise_levels <= 6:
            problems.append(_("A breach raises a probability by 0 to 6 levels."))
    if problems:
        raise ApplicationError(" ".join(str(p) for p in dict.fromkeys(problems)), code="kri_invalid")


def _snapshot(kri) -> dict:
    data = {}
    for name in KRI_FIELDS:
        value = (
            getattr(kri, f"{name}_id") if name in ("vendor", "contract", "service", "calendar") else getattr(kri, name)
        )
        data[name] = value if value is None or isinstance(value, bool | int | str) else str(value)
    return data


@transaction.atomic
def kri_save(*, actor, organisation, kri=None, links: list[tuple] = (), **values):
    """Create a KRI (``kri=None``) or change one, with its linked risks as (risk, levels raised) pairs."""
    now = clock.now()
    if kri is None:
        kri = KeyRiskIndicator(organisation=organisation, created_by=actor, created_at=now)
        before = None
    else:
        kri = KeyRiskIndicator.objects.select_for_update().get(pk=kri.pk, organisation=organisation)
        before = _snapshot(kri)
    permissions.require(permissions.may_manage(actor, kri))
    for name, value in values.items():
        if name not in KRI_FIELDS:
            raise ApplicationError(_("Unknown field."), code="kri_invalid")
        setattr(kri, name, value)
    kri.name = (kri.name or "").strip()
    if not kri.name:
        raise ApplicationError(_("Give the indicator a name."), code="kri_invalid")
    kri.source = kri.source or ""
    kri.rule = kri.rule or ""
    links = list(links)
    _check(kri, links)
    kri.updated_at = now
    kri.save()
    kept = []
    for risk, raise_levels in links:
        link, _created = KriRiskLink.objects.update_or_create(
            kri=kri, risk=risk, defaults={"raise_levels": raise_levels}
        )
        kept.append(link.pk)
    KriRiskLink.objects.filter(kri=kri).exclude(pk__in=kept).delete()
    after = _snapshot(kri) | {"risks": sorted([r.pk, n] for r, n in links)}
    audit_record(
        actor=actor,
        action="risks.kri.created" if before is None else "risks.kri.updated",
        obj=kri,
        organisation=organisation,
        before=before,
        after=after,
    )
    return kri


def kris_evaluate(*, organisation=None, vendor_id=None, reading=None) -> int:
    """Evaluate the active KRIs (of an organisation, of a vendor; ``reading``: only those reading one of these
    rules, or any indicator source when it holds ``"source"``); returns how many events were raised. A KRI whose
    calendar lacks a year's data is skipped (logged) and tried again next time."""
    kris = KeyRiskIndicator.objects.filter(is_active=True).select_related(
        "organisation", "vendor", "contract", "calendar"
    )
    if organisation is not None:
        kris = kris.filter(organisation=organisation)
    if vendor_id is not None:
        kris = kris.filter(vendor_id=vendor_id)
    if reading is not None:
        wanted = Q(rule__in=[r for r in reading if r != "source"])
        kris = kris.filter(wanted | ~Q(source="") if "source" in reading else wanted)
    raised = 0
    for kri in kris.order_by("pk"):
        try:
            raised += len(kri_evaluate(kri=kri).raised)
        except CalendarDataMissing:
            logger.warning("KRI %s not evaluated: its calendar lacks a year's data", kri.pk)
    return raised
