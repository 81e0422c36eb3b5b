"""The knowledge base's KPI sources (knowledge deflection, article coverage), registered in `oversight.core.kpis`
from `KnowledgeConfig.ready()`. The formulas are the pure functions of `knowledge.indicators`."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from oversight.core.kpis import REPORT, SCHEME, Dimension, Loader, RecordKind, Scope, Source, Unit, registry
from oversight.knowledge import indicators
from oversight.knowledge.choices import ArticleStatus
from oversight.knowledge.indicators import (
    DeflectionFacts,
    KnowledgeFacts,
    PortalWorkOrderFacts,
    ResolvedWorkOrderFacts,
)
from oversight.knowledge.models import Article, ArticleWorkOrder, Deflection
from oversight.knowledge.selectors import deflection_list
from oversight.kpi import Period
from oversight.tickets.choices import Channel
from oversight.tickets.models import WorkOrder
from oversight.tickets.selectors import work_order_list

OWNER = "knowledge"
LOADER = "knowledge"
RECORD_DEFLECTION = "knowledge_deflection"
RECORD_WORK_ORDER = "knowledge_work_order"
CANCELLED = "cancelled"


def covered_expression(organisation_id: int):
    """A boolean expression over work orders: a published article covers it (recorded as its solution, linked to
    its service, or of its service's category)."""
    published = Article.objects.filter(organisation_id=organisation_id, status=ArticleStatus.PUBLISHED)
    return (
        Exists(ArticleWorkOrder.objects.filter(work_order=OuterRef("pk"), article__status=ArticleStatus.PUBLISHED))
        | Exists(published.filter(services=OuterRef("service_id")))
        | Exists(published.filter(category_id=OuterRef("service__category_id")))
    )


def load_knowledge_facts(scope: Scope, period: Period) -> KnowledgeFacts:
    """The vendor's deflections, portal work orders and resolved work orders of the window."""
    in_window = {"gte": period.start, "lt": period.end}
    deflections = Deflection.objects.filter(
        organisation_id=scope.organisation_id,
        service__vendor_id=scope.vendor_id,
        created_at__gte=in_window["gte"],
        created_at__lt=in_window["lt"],
    ).values_list("pk", "created_at")
    work_orders = WorkOrder.objects.filter(organisation_id=scope.organisation_id, vendor_id=scope.vendor_id)
    portal = work_orders.filter(
        channel=Channel.PORTAL, created_at__gte=in_window["gte"], created_at__lt=in_window["lt"]
    ).values_list("pk", "created_at", "status")
    resolved = (
        work_orders.filter(resolved_at__gte=in_window["gte"], resolved_at__lt=in_window["lt"])
        .annotate(covered=covered_expression(scope.organisation_id))
        .values_list("pk", "resolved_at", "covered", "status")
    )
    return KnowledgeFacts(
        deflections=[DeflectionFacts(id=pk, at=at) for pk, at in deflections],
        portal_work_orders=[
            PortalWorkOrderFacts(id=pk, received_at=at, cancelled=s == CANCELLED) for pk, at, s in portal
        ],
        resolved=[
            ResolvedWorkOrderFacts(id=pk, resolved_at=at, covered=bool(c), cancelled=s == CANCELLED)
            for pk, at, c, s in resolved
        ],
    )


def _deflections(*, user, period, ids):
    return deflection_list(user=user).filter(pk__in=ids)


def _work_orders(*, user, period, ids):
    return work_order_list(user=user).filter(pk__in=ids).select_related("service")


def register() -> None:
    """Register the loader, the record kinds and the two sources (once, from `AppConfig.ready`)."""
    registry.register_loader(Loader(LOADER, load_knowledge_facts, KnowledgeFacts))
    registry.register_record_kind(
        RecordKind(
            RECORD_DEFLECTION,
            _("Deflected work orders"),
            _deflections,
            ("created_at", "pk"),
            lambda r: {
                "id": r.pk,
                "article": r.article.number,
                "typed_title": r.typed_title,
                "at": r.created_at.isoformat(),
            },
            "knowledge/partials/records/deflection.html",
        )
    )
    registry.register_record_kind(
        RecordKind(
            RECORD_WORK_ORDER,
            _("Work orders"),
            _work_orders,
            ("resolved_at", "pk"),
            lambda r: {
                "id": r.pk,
                "number": r.number,
                "title": r.title,
                "status": r.status,
                "resolved_at": r.resolved_at.isoformat() if r.resolved_at else None,
            },
            "knowledge/partials/records/work_order.html",
        )
    )
    uses = frozenset({SCHEME, REPORT})
    registry.register(
        Source(
            code=indicators.KNOWLEDGE_DEFLECTION,
            dimension=Dimension.PROCESSES,
            unit=Unit.PERCENT,
            higher_is_better=True,
            label=_("Knowledge deflection (%)"),
            short_label=_("Knowledge deflection"),
            definition=_(
                "Deflections (a requester marked an article as solving their problem and submitted nothing) of the "
                "vendor's services in the period, as a share of those deflections plus the vendor's work orders "
                "received on the portal in the period (cancelled ones excluded)."
            ),
            record_kind=RECORD_DEFLECTION,
            loader=LOADER,
            compute=lambda facts, window: indicators.knowledge_deflection(facts, window.period),
            uses=uses,
            owner=OWNER,
        )
    )
    registry.register(
        Source(
            code=indicators.ARTICLE_COVERAGE,
            dimension=Dimension.PROCESSES,
            unit=Unit.PERCENT,
            higher_is_better=True,
            label=_("Article coverage (%)"),
            short_label=_("Article coverage"),
            definition=_(
                "The vendor's work orders resolved in the period (cancelled ones excluded) that a published article "
                "covers — recorded as its solution, linked to its service, or of its service's category — as a "
                "share of all the vendor's work orders resolved in the period."
            ),
            record_kind=RECORD_WORK_ORDER,
            loader=LOADER,
            compute=lambda facts, window: indicators.article_coverage(facts, window.period),
            uses=uses,
            owner=OWNER,
        )
    )
