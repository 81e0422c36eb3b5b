"""Pages of the trigger part (key risk indicators, risk events, vendor states), included by `risks.urls`."""

from django.urls import path

from oversight.risks.views import triggers as views

urlpatterns = [
    path("kris/", views.KriListView.as_view(), name="kri_list"),
    path("kris/new/", views.KriFormView.as_view(), name="kri_create"),
    path("kris/<int:pk>/", views.KriDetailView.as_view(), name="kri_detail"),
    path("kris/<int:pk>/edit/", views.KriFormView.as_view(), name="kri_edit"),
    path("kris/<int:pk>/evaluate/", views.KriEvaluateView.as_view(), name="kri_evaluate"),
    path("events/", views.RiskEventListView.as_view(), name="risk_events"),
    path("vendor-states/", views.VendorStatesView.as_view(), name="vendor_states"),
    path("vendor-states/settings/", views.VendorStateSettingsView.as_view(), name="vendor_state_settings"),
    path("vendor-states/<int:pk>/", views.VendorStateDetailView.as_view(), name="vendor_state_detail"),
]
