"""Reads of the liaisons app, limited to what the acting user may see (an invisible object is a 404).

The gate (`Liaison.visibility` etc.) gives the client's roles every row of their organisation and a vendor's staff
their own vendor's rows. One domain rule is added here, named: vendor staff also read the client side's rows of
their organisation (liaisons, the organisation's matrix: rows without a vendor), because they must know whom the
client escalates to; escalations without a vendor (red KRIs) stay the client's. The hotline is the client's."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from oversight.liaisons.models import (
    Escalation,
    EscalationMatrix,
    EscalationRule,
    EscalationStep,
    HotlineArea,
    HotlinePage,
    HotlineReport,
    Liaison,
    LiaisonDeputy,
)
from oversight.tenancy.roles import is_vendor
from oversight.tenancy.visibility import restrict


def client_side_q(user) -> Q:
    """The named domain rule: a vendor's staff also see their organisation's client-side rows (no vendor)."""
    if is_vendor(user) and user.is_active and user.organisation_id:
        return Q(organisation_id=user.organisation_id, vendor__isnull=True)
    return Q(pk__in=[])


def _with_client_side(queryset: QuerySet, user) -> QuerySet:
    visible = restrict(queryset, user)
    if not is_vendor(user):
        return visible
    return queryset.filter(Q(pk__in=visible.values("pk")) | client_side_q(user))


def _get(queryset: QuerySet, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def liaison_list(*, user) -> QuerySet[Liaison]:
    """Liaisons the user may see, with their person, vendor, calendar and deputies."""
    deputies = Prefetch("deputies", queryset=LiaisonDeputy.objects.select_related("user").order_by("position"))
    return (
        _with_client_side(Liaison.objects.all(), user)
        .select_related("user", "vendor", "calendar")
        .prefetch_related(deputies)
        .order_by("vendor__name", "role", "position", "pk")
    )


def liaison_get(*, user, pk) -> Liaison:
    """One visible liaison, or 404."""
    return _get(liaison_list(user=user), pk)


def matrix_list(*, user) -> QuerySet[EscalationMatrix]:
    """Escalation matrices the user may see (the organisation's, and vendors' overrides), with their rows."""
    rules = Prefetch(
        "rules",
        queryset=EscalationRule.objects.select_related("channel")
        .prefetch_related("users")
        .order_by("trigger", "priority", "level"),
    )
    return (
        _with_client_side(EscalationMatrix.objects.all(), user)
        .select_related("vendor", "calendar")
        .prefetch_related(rules)
        .order_by("vendor__name", "pk")
    )


def matrix_get(*, user, pk) -> EscalationMatrix:
    """One visible matrix, or 404."""
    return _get(matrix_list(user=user), pk)


def rule_list(*, user) -> QuerySet[EscalationRule]:
    """The rows of the matrices the user may see, by matrix, trigger, priority and level."""
    return (
        restrict(EscalationRule.objects.select_related("matrix", "matrix__organisation", "matrix__vendor"), user)
        .select_related("channel")
        .prefetch_related("users")
        .order_by("matrix_id", "trigger", "priority", "level", "pk")
    )


def rule_get(*, user, pk) -> EscalationRule:
    """One row of a visible matrix, or 404."""
    return _get(rule_list(user=user), pk)


def escalation_list(*, user) -> QuerySet[Escalation]:
    """Escalation episodes the user may see (their own vendor's for vendor staff), newest first."""
    return restrict(Escalation.objects.select_related("vendor"), user).order_by("-started_at", "-id")


def escalation_get(*, user, pk) -> Escalation:
    """One visible escalation, or 404."""
    return _get(escalation_list(user=user), pk)


def escalation_steps(*, escalation: Escalation) -> QuerySet[EscalationStep]:
    """The levels sent for a visible escalation, lowest first."""
    return escalation.steps.order_by("level")


def hotline_page_of(*, user) -> HotlinePage | None:
    """The user's organisation's hotline page, if the user may see it and it exists."""
    return restrict(HotlinePage.objects.all(), user).filter(organisation_id=user.organisation_id).first()


def hotline_area_get(*, user, pk) -> HotlineArea:
    """One visible service area of the hotline page, or 404."""
    return _get(restrict(HotlineArea.objects.select_related("page", "vendor"), user), pk)


def hotline_report_list(*, user) -> QuerySet[HotlineReport]:
    """Hotline reports the user may see (the client's roles), newest first."""
    return restrict(
        HotlineReport.objects.select_related("area", "complaint", "work_order", "triaged_by"), user
    ).order_by("-received_at", "-id")


def hotline_report_get(*, user, pk) -> HotlineReport:
    """One visible hotline report, or 404."""
    return _get(hotline_report_list(user=user), pk)


# ---------------------------------------------------------------------------------------------- the public page


def public_hotline_page(*, token: str) -> HotlinePage:
    """The open hotline page of a token (no user: the page is public by design), or 404."""
    page = HotlinePage.objects.select_related("organisation").filter(token=str(token)[:40], is_active=True).first()
    if page is None:
        raise Http404
    return page


def public_hotline_contacts(*, page: HotlinePage) -> list[dict]:
    """What the public page shows per service area: its text and the liaisons listed on the hotline (the
    client's, and the area's vendor's), name, role, phone and e-mail only."""
    listed = list(
        Liaison.objects.filter(organisation_id=page.organisation_id, on_hotline=True)
        .select_related("user")
        .order_by("role", "position", "pk")
    )
    client_side = [lia for lia in listed if lia.vendor_id is None]
    areas = []
    for area in page.areas.order_by("position", "pk"):
        own = [lia for lia in listed if area.vendor_id is not None and lia.vendor_id == area.vendor_id]
        areas.append({"area": area, "liaisons": own})
    return [{"area": None, "liaisons": client_side}, *areas]
