"""Reads of the risk register, limited to what the acting user may see: the organisation's client roles see
its register; vendor staff and requesters see nothing (the gate, `REGISTER_VISIBILITY`). Invisible objects
are 404."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from oversight.core.zones import local_today
from oversight.risks.choices import OPEN_MITIGATION_STATUSES, OPEN_RISK_STATUSES, RatingKind
from oversight.risks.models import (
    ContingencyAction,
    Mitigation,
    Risk,
    RiskMatrix,
    RiskMatrixVersion,
    RiskRating,
    RiskReview,
)
from oversight.tenancy.visibility import restrict

LIST_RELATED = ("owner", "vendor", "service", "contract")


def _today(user) -> dt.date:
    organisation = getattr(user, "organisation", None)
    return local_today(organisation if organisation is not None else user)


def risk_list(*, user) -> QuerySet[Risk]:
    """Risks the user may see, with what list pages need joined in."""
    return restrict(Risk.objects.select_related(*LIST_RELATED), user)


def risk_get(*, user, number: str) -> Risk:
    """One visible risk by its number, or 404."""
    try:
        return (
            risk_list(user=user).select_related("organisation", "created_by", "acceptance_approver").get(number=number)
        )
    except (Risk.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def risk_get_by_pk(*, user, pk) -> Risk:
    """One visible risk by primary key (the API), or 404."""
    try:
        return risk_list(user=user).select_related("organisation", "created_by", "acceptance_approver").get(pk=pk)
    except (Risk.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def review_overdue_q(today: dt.date) -> Q:
    """An open risk whose next review date has passed."""
    return Q(status__in=OPEN_RISK_STATUSES, next_review_date__lt=today)


def mitigation_overdue_q(today: dt.date) -> Q:
    """An open mitigation whose due date has passed."""
    return Q(status__in=OPEN_MITIGATION_STATUSES, due_date__lt=today)


def risk_filter(qs: QuerySet[Risk], *, user, filters: dict) -> QuerySet[Risk]:
    """Apply the register's filters (already validated): owner, vendor, category, level, treatment, status,
    overdue (review or a linked mitigation), text."""
    today = _today(user)
    for name in ("owner", "vendor", "category", "level", "treatment", "status"):
        value = filters.get(name)
        if value not in (None, ""):
            qs = qs.filter(**{name: value})
    overdue = filters.get("overdue")
    if overdue == "review":
        qs = qs.filter(review_overdue_q(today))
    elif overdue == "mitigation":
        late = Mitigation.objects.filter(mitigation_overdue_q(today)).values("pk")
        qs = qs.filter(mitigations__in=late).distinct()
    elif overdue == "any":
        late = Mitigation.objects.filter(mitigation_overdue_q(today)).values("pk")
        qs = qs.filter(review_overdue_q(today) | Q(mitigations__in=late)).distinct()
    text = (filters.get("q") or "").strip()
    if text:
        qs = qs.filter(Q(number__icontains=text) | Q(title__icontains=text) | Q(title_en__icontains=text))
    return qs


def risks_review_overdue(*, user, today: dt.date | None = None) -> QuerySet[Risk]:
    """Visible open risks whose review is overdue, the longest overdue first."""
    return risk_list(user=user).filter(review_overdue_q(today or _today(user))).order_by("next_review_date", "pk")


def mitigation_list(*, user) -> QuerySet[Mitigation]:
    """Mitigations the user may see, with the risks they serve."""
    return restrict(Mitigation.objects.select_related("owner"), user).prefetch_related(
        Prefetch("risks", queryset=Risk.objects.only("pk", "number", "title", "organisation_id").order_by("number"))
    )


def mitigation_get(*, user, pk) -> Mitigation:
    try:
        return mitigation_list(user=user).select_related("created_by").get(pk=pk)
    except (Mitigation.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def mitigations_overdue(*, user, today: dt.date | None = None) -> QuerySet[Mitigation]:
    """Visible open mitigations past their due date, the longest overdue first."""
    return mitigation_list(user=user).filter(mitigation_overdue_q(today or _today(user))).order_by("due_date", "pk")


def risk_mitigations(*, user, risk: Risk) -> QuerySet[Mitigation]:
    return restrict(risk.mitigations.select_related("owner"), user).order_by("due_date", "pk")


def risk_ratings(*, risk: Risk) -> QuerySet[RiskRating]:
    """The rating history of a visible risk, newest first."""
    return risk.ratings.select_related("matrix_version", "rated_by").order_by("-rated_at", "-id")


def latest_ratings(*, risk: Risk) -> dict[str, RiskRating]:
    """The latest rating of each kind of a visible risk."""
    found: dict[str, RiskRating] = {}
    for rating in risk_ratings(risk=risk):
        found.setdefault(rating.kind, rating)
    return found


def risk_reviews(*, risk: Risk) -> QuerySet[RiskReview]:
    return risk.reviews.select_related("reviewer").order_by("-reviewed_at", "-id")


def risk_contingency_actions(*, risk: Risk) -> QuerySet[ContingencyAction]:
    return risk.contingency_actions.select_related("owner", "opened_by").order_by("-opened_at", "position", "id")


def contingency_action_get(*, user, pk) -> ContingencyAction:
    try:
        return restrict(ContingencyAction.objects.select_related("risk"), user).get(pk=pk)
    except (ContingencyAction.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def risk_timeline(*, risk: Risk):
    return risk.events.select_related("actor").order_by("seq")


def matrix_of(*, user) -> RiskMatrix | None:
    """The user's organisation's matrix, if they may see it."""
    return (
        restrict(RiskMatrix.objects.all(), user).filter(organisation_id=getattr(user, "organisation_id", None)).first()
    )


def matrix_versions(*, user) -> QuerySet[RiskMatrixVersion]:
    """The versions of the user's organisation's matrix, newest first."""
    return (
        restrict(RiskMatrixVersion.objects.select_related("matrix", "created_by"), user)
        .filter(matrix__organisation_id=getattr(user, "organisation_id", None))
        .order_by("-number")
    )


def matrix_version_get(*, user, number) -> RiskMatrixVersion:
    try:
        return matrix_versions(user=user).get(number=number)
    except (RiskMatrixVersion.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def latest_positions(*, user, version: RiskMatrixVersion, kind: str) -> dict[int, RiskRating]:
    """risk id -> its latest rating of ``kind``, for the visible open risks whose latest such rating was made
    on ``version`` (a rating keeps its version: the heat map of a version never changes retroactively)."""
    if kind not in RatingKind.values:
        kind = RatingKind.CURRENT
    risks = risk_list(user=user).filter(status__in=OPEN_RISK_STATUSES).values("pk")
    ratings = (
        RiskRating.objects.filter(risk__in=risks, kind=kind)
        .select_related("risk")
        .order_by("risk_id", "-rated_at", "-id")
    )
    latest: dict[int, RiskRating] = {}
    for rating in ratings:
        latest.setdefault(rating.risk_id, rating)
    return {rid: r for rid, r in latest.items() if r.matrix_version_id == version.pk}


def heat_map_data(*, user, version: RiskMatrixVersion, kind: str) -> tuple[dict[int, tuple[int, int]], list[tuple]]:
    """The cells of the visible open risks in ``kind`` on ``version`` (risk id -> (probability, impact)), and
    the (number, inherent cell, residual cell) of those rated inherent and residual on it."""
    chosen = latest_positions(user=user, version=version, kind=kind)
    positions = {rid: (r.probability_level, r.impact_level) for rid, r in chosen.items()}
    inherent = latest_positions(user=user, version=version, kind=RatingKind.INHERENT)
    residual = latest_positions(user=user, version=version, kind=RatingKind.RESIDUAL)
    arrows = [
        (
            inherent[rid].risk.number,
            (inherent[rid].probability_level, inherent[rid].impact_level),
            (residual[rid].probability_level, residual[rid].impact_level),
        )
        for rid in sorted(set(inherent) & set(residual))
    ]
    return positions, arrows
