"""Web URLs of workforce supervision (mounted under /workforce/)."""

from django.urls import path

from oversight.workforce import views

app_name = "workforce"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("queues/<int:pk>/", views.QueueView.as_view(), name="queue"),
    path("queues/<int:pk>/forecast/", views.ForecastCreateView.as_view(), name="forecast_create"),
    path("queues/<int:pk>/backtest/", views.BacktestView.as_view(), name="backtest"),
    path("queues/<int:pk>/vendor-forecast/", views.VendorImportView.as_view(), name="vendor_import"),
    path("queues/<int:pk>/staffing/", views.StaffingView.as_view(), name="staffing"),
    path("queues/<int:pk>/attribution/", views.AttributionApplyView.as_view(), name="attribution_apply"),
    path("snapshots/<int:pk>/", views.SnapshotView.as_view(), name="snapshot"),
]
