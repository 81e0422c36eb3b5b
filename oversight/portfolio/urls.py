"""Web URLs of the vendor portfolio (mounted under /portfolio/)."""

from django.urls import path

from oversight.portfolio import views

app_name = "portfolio"

urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("coverage/", views.CoverageView.as_view(), name="coverage"),
    path(
        "coverage/services/<int:pk>/qualifications/",
        views.QualificationAddView.as_view(),
        name="qualification_add",
    ),
    path("qualifications/<int:pk>/remove/", views.QualificationRemoveView.as_view(), name="qualification_remove"),
    path("settings/", views.SettingsView.as_view(), name="settings"),
    path("vendors/<int:pk>/", views.VendorDetailView.as_view(), name="vendor"),
    path("vendors/<int:pk>/compliance/", views.ComplianceView.as_view(), name="compliance"),
]
