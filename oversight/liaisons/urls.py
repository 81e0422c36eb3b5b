"""Pages of the liaisons app (mounted at /liaisons/): liaisons, the escalation matrix, escalations, the hotline's
settings and reports, and the public hotline page (`h/<token>/`, no sign-in)."""

from django.urls import path, re_path

from oversight.liaisons.views import contacts, hotline

app_name = "liaisons"

urlpatterns = [
    path("", contacts.LiaisonListView.as_view(), name="liaison-list"),
    path("new/", contacts.LiaisonFormView.as_view(), name="liaison-create"),
    path("<int:pk>/", contacts.LiaisonDetailView.as_view(), name="liaison-detail"),
    path("<int:pk>/edit/", contacts.LiaisonFormView.as_view(), name="liaison-edit"),
    path("<int:pk>/delete/", contacts.LiaisonDeleteView.as_view(), name="liaison-delete"),
    path("matrices/", contacts.MatrixListView.as_view(), name="matrix-list"),
    path("matrices/new/", contacts.MatrixCreateView.as_view(), name="matrix-create"),
    path("matrices/<int:pk>/", contacts.MatrixDetailView.as_view(), name="matrix-detail"),
    path("matrices/<int:pk>/levels/", contacts.RuleCreateView.as_view(), name="rule-create"),
    path("levels/<int:pk>/edit/", contacts.RuleEditView.as_view(), name="rule-edit"),
    path("levels/<int:pk>/delete/", contacts.RuleDeleteView.as_view(), name="rule-delete"),
    path("escalations/", contacts.EscalationListView.as_view(), name="escalation-list"),
    path("escalations/<int:pk>/", contacts.EscalationDetailView.as_view(), name="escalation-detail"),
    path("hotline/", hotline.HotlineSettingsView.as_view(), name="hotline-settings"),
    path("hotline/areas/", hotline.HotlineAreaCreateView.as_view(), name="hotline-area-create"),
    path("hotline/areas/<int:pk>/", hotline.HotlineAreaEditView.as_view(), name="hotline-area-edit"),
    re_path(r"^hotline/qr\.(?P<fmt>svg|png)$", hotline.HotlineQrView.as_view(), name="hotline-qr"),
    path("hotline/poster/", hotline.HotlinePosterView.as_view(), name="hotline-poster"),
    path("hotline/reports/", hotline.HotlineReportListView.as_view(), name="hotline-report-list"),
    path("hotline/reports/<int:pk>/", hotline.HotlineReportDetailView.as_view(), name="hotline-report-detail"),
    path(
        "hotline/reports/<int:pk>/convert/", hotline.HotlineReportConvertView.as_view(), name="hotline-report-convert"
    ),
    path(
        "hotline/reports/<int:pk>/dismiss/", hotline.HotlineReportDismissView.as_view(), name="hotline-report-dismiss"
    ),
    path("h/<str:token>/", hotline.PublicHotlineView.as_view(), name="hotline-public"),
    path("h/<str:token>/thanks/", hotline.PublicHotlineThanksView.as_view(), name="hotline-thanks"),
]
