"""REST API v1: one router for every app's viewsets (mounted at /api/v1/, namespace "api")."""

from django.http import JsonResponse
from django.urls import re_path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt

from oversight.audit.api.views import AuditEntryViewSet
from oversight.catalog.api.views import (
    BusinessCalendarViewSet,
    OfferingViewSet,
    ServiceCategoryViewSet,
    ServiceViewSet,
    SLAPolicyViewSet,
)
from oversight.changes.api.views import CabMeetingViewSet, ChangeViewSet, TemplateViewSet, WindowViewSet
from oversight.configuration.api.views import (
    CIClassViewSet,
    CIImportViewSet,
    CIRelationViewSet,
    ConfigurationItemViewSet,
    RedundancyGroupViewSet,
    SpotCheckViewSet,
)
from oversight.contactcentre.api.views import ContactQueueViewSet, IntervalFactViewSet
from oversight.contracts.api.views import ContractDocumentViewSet, ContractVersionViewSet, ContractViewSet
from oversight.core.api.routers import IdRouter
from oversight.feedback.api.views import ComplaintViewSet, PrizeDrawViewSet, RatingViewSet
from oversight.improvement.api.views import ImprovementViewSet
from oversight.knowledge.api.views import ArticleViewSet
from oversight.liaisons.api.views import (
    EscalationViewSet,
    HotlineReportViewSet,
    LiaisonViewSet,
    MatrixViewSet,
    RuleViewSet,
)
from oversight.meetings.api.views import ActionItemViewSet, MeetingViewSet, PlanViewSet, SeriesViewSet
from oversight.notifications.api.views import NotificationViewSet
from oversight.notifications.channels.api import ChannelViewSet, DeliveryViewSet
from oversight.notifications.channels.identity_api import ChatIdentityViewSet
from oversight.parts.api.views import PartItemViewSet, StockLevelViewSet, StockLocationViewSet, StockMovementViewSet
from oversight.portfolio.api.views import (
    CoverageViewSet,
    PortfolioSettingsViewSet,
    PortfolioVendorViewSet,
    QualificationViewSet,
)
from oversight.problems.api.views import KnownErrorViewSet, ProblemSuggestionViewSet, ProblemViewSet
from oversight.projects.api.views import BaselineViewSet, MilestoneViewSet, ProjectViewSet, WorkPackageViewSet
from oversight.reports.api.dashboard import VendorDashboardViewSet
from oversight.reports.api.reports import ServiceReportViewSet
from oversight.reports.api.schedules import ReportDeliveryViewSet, ReportScheduleViewSet
from oversight.risks.api.register import MatrixVersionViewSet, MitigationViewSet, RiskViewSet
from oversight.risks.api.simulation import RiskQuantificationViewSet, SimulationRunViewSet
from oversight.risks.api.triggers import KriViewSet, RiskEventViewSet, VendorStateViewSet
from oversight.scorecards.api.views import (
    DisputeViewSet,
    EvaluationPeriodViewSet,
    EvidenceViewSet,
    IndicatorSchemeViewSet,
)
from oversight.settlement.api.views import StatementViewSet
from oversight.sourcing.api.views import CommercialModelViewSet, ScenarioViewSet
from oversight.tenancy.api.views import (
    ApiTokenViewSet,
    OrganisationViewSet,
    SiteViewSet,
    TeamViewSet,
    UserViewSet,
    VendorViewSet,
)
from oversight.tickets.api.views import (
    AttachmentViewSet,
    CommentViewSet,
    SLAClockViewSet,
    WorkOrderAttachmentViewSet,
    WorkOrderEventViewSet,
    WorkOrderViewSet,
)
from oversight.workforce.api.views import QueueStaffingViewSet, SnapshotViewSet

app_name = "api"

WORK_ORDER = r"work-orders/(?P<work_order_id>[^/.]+)"  # an id or a work-order number

router = IdRouter()
router.register("work-orders", WorkOrderViewSet, basename="work-order")
router.register(f"{WORK_ORDER}/events", WorkOrderEventViewSet, basename="work-order-event")
router.register(f"{WORK_ORDER}/clocks", SLAClockViewSet, basename="work-order-clock")
router.register(f"{WORK_ORDER}/comments", CommentViewSet, basename="work-order-comment")
router.register(f"{WORK_ORDER}/attachments", WorkOrderAttachmentViewSet, basename="work-order-attachment")
router.register("attachments", AttachmentViewSet, basename="attachment")
router.register("services", ServiceViewSet, basename="service")
router.register("offerings", OfferingViewSet, basename="offering")
router.register("service-categories", ServiceCategoryViewSet, basename="service-category")
router.register("calendars", BusinessCalendarViewSet, basename="calendar")
router.register("sla-policies", SLAPolicyViewSet, basename="sla-policy")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("sites", SiteViewSet, basename="site")
router.register("vendors", VendorViewSet, basename="vendor")
router.register("teams", TeamViewSet, basename="team")
router.register("users", UserViewSet, basename="user")
router.register("tokens", ApiTokenViewSet, basename="api-token")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("notification-channels", ChannelViewSet, basename="notification-channel")
router.register("chat-identities", ChatIdentityViewSet, basename="chat-identity")
router.register("channel-deliveries", DeliveryViewSet, basename="channel-delivery")
router.register("audit-entries", AuditEntryViewSet, basename="audit-entry")
router.register("ratings", RatingViewSet, basename="rating")
router.register("complaints", ComplaintViewSet, basename="complaint")
router.register("prize-draws", PrizeDrawViewSet, basename="prize-draw")
router.register("contracts", ContractViewSet, basename="contract")
router.register("parts/items", PartItemViewSet, basename="part-item")
router.register("parts/locations", StockLocationViewSet, basename="part-location")
router.register("parts/levels", StockLevelViewSet, basename="part-level")
router.register("parts/movements", StockMovementViewSet, basename="part-movement")
router.register("contract-versions", ContractVersionViewSet, basename="contract-version")
router.register("contract-documents", ContractDocumentViewSet, basename="contract-document")
router.register("configuration-items", ConfigurationItemViewSet, basename="configuration-item")
router.register("configuration-imports", CIImportViewSet, basename="configuration-import")
router.register("spot-checks", SpotCheckViewSet, basename="spot-check")
router.register("ci-relations", CIRelationViewSet, basename="ci-relation")
router.register("ci-classes", CIClassViewSet, basename="ci-class")
router.register("redundancy-groups", RedundancyGroupViewSet, basename="redundancy-group")
router.register("evaluation-periods", EvaluationPeriodViewSet, basename="evaluation-period")
router.register("evaluation-disputes", DisputeViewSet, basename="evaluation-dispute")
router.register("evaluation-evidence", EvidenceViewSet, basename="evaluation-evidence")
router.register("indicator-schemes", IndicatorSchemeViewSet, basename="indicator-scheme")
router.register("settlement-statements", StatementViewSet, basename="settlement-statement")
router.register("articles", ArticleViewSet, basename="knowledge-article")
router.register("portfolio-vendors", PortfolioVendorViewSet, basename="portfolio-vendor")
router.register("portfolio-coverage", CoverageViewSet, basename="portfolio-coverage")
router.register("portfolio-qualifications", QualificationViewSet, basename="portfolio-qualification")
router.register("portfolio-settings", PortfolioSettingsViewSet, basename="portfolio-settings")
router.register("vendor-dashboard", VendorDashboardViewSet, basename="vendor-dashboard")
router.register("report-schedules", ReportScheduleViewSet, basename="report-schedule")
router.register("report-deliveries", ReportDeliveryViewSet, basename="report-delivery")
router.register("service-reports", ServiceReportViewSet, basename="service-report")
router.register("problems", ProblemViewSet, basename="problem")
router.register("known-errors", KnownErrorViewSet, basename="known-error")
router.register("problem-suggestions", ProblemSuggestionViewSet, basename="problem-suggestion")
router.register("kris", KriViewSet, basename="kri")
router.register("risk-events", RiskEventViewSet, basename="risk-event")
router.register("liaisons", LiaisonViewSet, basename="liaison")
router.register("escalation-matrices", MatrixViewSet, basename="escalation-matrix")
router.register("escalation-rules", RuleViewSet, basename="escalation-rule")
router.register("escalations", EscalationViewSet, basename="escalation")
router.register("hotline-reports", HotlineReportViewSet, basename="hotline-report")
router.register("risk-quantifications", RiskQuantificationViewSet, basename="risk-quantification")
router.register("risk-simulations", SimulationRunViewSet, basename="risk-simulation")
router.register("vendor-states", VendorStateViewSet, basename="vendor-state")
router.register("projects", ProjectViewSet, basename="project")
router.register("project-work-packages", WorkPackageViewSet, basename="project-work-package")
router.register("project-milestones", MilestoneViewSet, basename="project-milestone")
router.register("project-baselines", BaselineViewSet, basename="project-baseline")
router.register("improvements", ImprovementViewSet, basename="improvement")
router.register("contact-queues", ContactQueueViewSet, basename="contact-queue")
router.register("contact-interval-facts", IntervalFactViewSet, basename="contact-interval-fact")
router.register("sourcing-scenarios", ScenarioViewSet, basename="sourcing-scenario")
router.register("sourcing-commercial-models", CommercialModelViewSet, basename="sourcing-commercial-model")
router.register("meeting-plans", PlanViewSet, basename="meeting-plan")
router.register("meeting-series", SeriesViewSet, basename="meeting-series")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("meeting-action-items", ActionItemViewSet, basename="meeting-action-item")
router.register("changes", ChangeViewSet, basename="change")
router.register("change-templates", TemplateViewSet, basename="change-template")
router.register("change-windows", WindowViewSet, basename="change-window")
router.register("cab-meetings", CabMeetingViewSet, basename="cab-meeting")
router.register("risks", RiskViewSet, basename="risk")
router.register("risk-mitigations", MitigationViewSet, basename="risk-mitigation")
router.register("risk-matrix-versions", MatrixVersionViewSet, basename="risk-matrix-version")
router.register("workforce/snapshots", SnapshotViewSet, basename="workforce-snapshot")
router.register("workforce/queues", QueueStaffingViewSet, basename="workforce-queue")


@csrf_exempt  # it changes nothing; a POST to an unknown address is a JSON 404, not the HTML CSRF page
def not_found(request, unmatched: str = ""):
    """Any other path under /api/v1/: the one JSON error body instead of the HTML 404 page."""
    return JsonResponse(
        {"error": {"code": "not_found", "message": str(_("No API endpoint at this address."))}}, status=404
    )


urlpatterns = [*router.urls, re_path(r"^(?P<unmatched>.*)$", not_found, name="not-found")]
