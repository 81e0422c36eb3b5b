"""URL configuration: web UI per app, the REST API under /api/, admin under /admin/."""

from django.contrib import admin
from django.urls import include, path

from oversight.core.api.docs import ApiDocsView, ApiSchemaView
from oversight.notifications import views as notification_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/schema/", ApiSchemaView.as_view(), name="api-schema"),
    # Swagger UI with its init script served from ?script and no inline style: it works under the page CSP.
    path("api/docs/", ApiDocsView.as_view(url_name="api-schema", template_name="api/docs.html"), name="api-docs"),
    path("api/v1/", include("oversight.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("notifications/", include("oversight.notifications.urls")),
    path(
        "preferences/notifications/",
        notification_views.EmailPreferencesView.as_view(),
        name="notification_settings",
    ),
    path("audit/", include("oversight.audit.urls")),
    path("contracts/", include("oversight.contracts.urls")),
    path("problems/", include("oversight.problems.urls")),
    path("risks/", include("oversight.risks.urls")),
    path("liaisons/", include("oversight.liaisons.urls")),
    path("changes/", include("oversight.changes.urls")),
    path("projects/", include("oversight.projects.urls")),
    path("improvement/", include("oversight.improvement.urls")),
    path("sourcing/", include("oversight.sourcing.urls")),
    path("meetings/", include("oversight.meetings.urls")),
    path("contact-centre/", include("oversight.contactcentre.urls")),
    path("workforce/", include("oversight.workforce.urls")),
    path("configuration/", include("oversight.configuration.urls")),
    path("parts/", include("oversight.parts.urls")),
    path("mail/", include("oversight.mailintake.urls")),
    path("scorecards/", include("oversight.scorecards.urls")),
    path("settlement/", include("oversight.settlement.urls")),
    path("portfolio/", include("oversight.portfolio.urls")),
    path("knowledge/", include("oversight.knowledge.urls")),
    path("reports/", include("oversight.reports.urls")),
    path("setup/", include("oversight.catalog.urls")),
    path("", include("oversight.tickets.urls")),
    path("", include("oversight.feedback.urls")),
    path("", include("oversight.tenancy.urls")),
    path("", include("oversight.core.urls")),
]
