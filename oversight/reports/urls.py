"""Web URLs of the service reports and the vendor dashboard (mounted under /reports/)."""

from django.urls import path  # noqa: F401 - routes are added below

from oversight.reports.views import dashboard as dashboard_views
from oversight.reports.views import reports as report_views
from oversight.reports.views import schedules as schedule_views

app_name = "reports"

urlpatterns: list = []

urlpatterns += [path("dashboard/", dashboard_views.DashboardView.as_view(), name="dashboard")]
urlpatterns += [
    path("", report_views.ReportIndexView.as_view(), name="index"),
    path("vendors/<int:pk>/<str:period>/", report_views.ReportPageView.as_view(), name="vendor"),
    path("vendors/<int:pk>/<str:period>/pdf/", report_views.ReportPdfView.as_view(), name="vendor_pdf"),
    path("vendors/<int:pk>/<str:period>/xlsx/", report_views.ReportXlsxView.as_view(), name="vendor_xlsx"),
    path(
        "contracts/<int:pk>/<str:period>/",
        report_views.ReportPageView.as_view(for_contract=True),
        name="contract",
    ),
    path(
        "contracts/<int:pk>/<str:period>/pdf/",
        report_views.ReportPdfView.as_view(for_contract=True),
        name="contract_pdf",
    ),
    path(
        "contracts/<int:pk>/<str:period>/xlsx/",
        report_views.ReportXlsxView.as_view(for_contract=True),
        name="contract_xlsx",
    ),
]

# Scheduled e-mail of the reports (report delivery).
urlpatterns += [
    path("schedules/", schedule_views.ScheduleListView.as_view(), name="schedules"),
    path("schedules/new/", schedule_views.ScheduleCreateView.as_view(), name="schedule_create"),
    path("schedules/<int:pk>/", schedule_views.ScheduleDetailView.as_view(), name="schedule_detail"),
    path("schedules/<int:pk>/edit/", schedule_views.ScheduleEditView.as_view(), name="schedule_edit"),
    path("schedules/<int:pk>/deactivate/", schedule_views.ScheduleDeactivateView.as_view(), name="schedule_deactivate"),
    path("schedules/<int:pk>/activate/", schedule_views.ScheduleActivateView.as_view(), name="schedule_activate"),
    path("schedules/<int:pk>/send/", schedule_views.ScheduleSendView.as_view(), name="schedule_send"),
]
