"""Web URLs of the audit app."""

from django.urls import path, re_path

from oversight.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.AuditListView.as_view(), name="list"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", views.AuditExportView.as_view(), name="export"),
]
