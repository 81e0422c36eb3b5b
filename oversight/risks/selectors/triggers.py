"""Reads of key risk indicators, their readings, risk events and the vendors of the state model (the trigger
part), limited to what the acting user may see: the register's gate, the organisation's client roles; 404 for
everyone else."""

from __future__ import annotations

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404

from oversight.risks.models import KeyRiskIndicator, KriReading, KriRiskLink, RiskEvent, RiskEventEffect
from oversight.tenancy.models import Vendor
from oversight.tenancy.roles import is_client
from oversight.tenancy.visibility import restrict


def kri_list(*, user) -> QuerySet[KeyRiskIndicator]:
    """The KRIs the user may see, each with its latest reading's period, value and status."""
    latest = KriReading.objects.filter(kri=OuterRef("pk")).order_by("-period_start")
    return restrict(
        KeyRiskIndicator.objects.select_related("vendor", "contract", "service").annotate(
            latest_status=Subquery(latest.values("status")[:1]),
            latest_value=Subquery(latest.values("value")[:1]),
            latest_period=Subquery(latest.values("period_start")[:1]),
        ),
        user,
    )


def kri_get(*, user, pk) -> KeyRiskIndicator:
    """One visible KRI, or 404."""
    try:
        return (
            kri_list(user=user)
            .select_related("organisation", "calendar", "created_by")
            .prefetch_related(Prefetch("links", KriRiskLink.objects.select_related("risk").order_by("risk__number")))
            .get(pk=pk)
        )
    except (KeyRiskIndicator.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def kri_readings(kri: KeyRiskIndicator) -> QuerySet[KriReading]:
    """A KRI's readings, newest period first (the KRI was read through the gate)."""
    return KriReading.objects.filter(kri=kri).order_by("-period_start")


def risk_event_list(*, user) -> QuerySet[RiskEvent]:
    """Risk events the user may see, newest first, with their KRI, vendor and what they did to each risk."""
    return restrict(
        RiskEvent.objects.select_related("kri", "kri__vendor").prefetch_related(
            Prefetch("effects", RiskEventEffect.objects.select_related("risk", "rating").order_by("risk__number"))
        ),
        user,
    ).order_by("-raised_at", "-pk")


def risk_event_get(*, user, pk) -> RiskEvent:
    """One visible risk event, or 404."""
    try:
        return risk_event_list(user=user).get(pk=pk)
    except (RiskEvent.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def events_of_risk(risk) -> QuerySet[RiskEvent]:
    """The risk events that touched a risk (the risk was read through the gate), newest first."""
    return RiskEvent.objects.filter(effects__risk=risk).select_related("kri").order_by("-raised_at", "-pk").distinct()


def markov_vendors(*, user) -> QuerySet[Vendor]:
    """The vendors whose state model the user may read: those of the organisation, for its client roles only."""
    if not is_client(user):
        return Vendor.objects.none()
    return restrict(Vendor.objects.all(), user).order_by("name", "pk")


def markov_vendor_get(*, user, pk) -> Vendor:
    """One vendor of the state model, or 404 (vendor staff and requesters get 404 for every vendor)."""
    try:
        return markov_vendors(user=user).get(pk=pk)
    except (Vendor.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
