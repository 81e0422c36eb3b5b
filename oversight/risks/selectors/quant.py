"""Reads of the risk quantification, limited to what the acting user may see (the register's rule: the
organisation's client roles; vendor staff and requesters see nothing, and an invisible object is a 404)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from oversight.risks.models import Risk, RiskCorrelation, RiskQuantification, SimulationRun
from oversight.tenancy.visibility import restrict


def risk_for_quantification(*, user, pk) -> Risk:
    """One visible risk, with its inputs joined in, or 404."""
    try:
        return restrict(Risk.objects.select_related("quantification", "vendor"), user).get(pk=pk)
    except (Risk.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def quantification_list(*, user) -> QuerySet[RiskQuantification]:
    """The inputs of the risks the user may see (the API's list)."""
    return restrict(RiskQuantification.objects.select_related("risk"), user).order_by("risk__number")


def risk_correlations(*, user, risk: Risk) -> list[tuple[Risk, RiskCorrelation]]:
    """The visible correlations of one risk, each with the other risk."""
    rows = restrict(RiskCorrelation.objects.select_related("first", "second"), user).filter(
        Q(first=risk) | Q(second=risk)
    )
    return [(row.second if row.first_id == risk.pk else row.first, row) for row in rows.order_by("pk")]


def correlation_candidates(*, user, risk: Risk) -> QuerySet[Risk]:
    """The other visible quantified risks of the organisation, to correlate with."""
    return (
        restrict(Risk.objects.all(), user)
        .filter(organisation_id=risk.organisation_id, quantification__isnull=False)
        .exclude(pk=risk.pk)
        .order_by("number")
    )


def simulation_list(*, user) -> QuerySet[SimulationRun]:
    """The simulation runs the user may see, newest first (results deferred: lists do not need them)."""
    return (
        restrict(SimulationRun.objects.select_related("vendor", "created_by"), user)
        .defer("inputs", "result")
        .order_by("-created_at", "-id")
    )


def simulation_get(*, user, pk) -> SimulationRun:
    """One visible run, or 404."""
    try:
        return restrict(SimulationRun.objects.select_related("vendor", "created_by"), user).get(pk=pk)
    except (SimulationRun.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
