"""Web URLs of the audit app."""

from django.urls import path

from oversight.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.AuditListView.as_view(), name="list"),
]
