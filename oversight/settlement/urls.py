"""Web URLs of the settlement app (mounted under /settlement/)."""

from django.urls import path

from oversight.settlement import views

app_name = "settlement"

urlpatterns = [
    path("", views.StatementListView.as_view(), name="list"),
    path("statements/<int:pk>/", views.StatementDetailView.as_view(), name="detail"),
    path("statements/<int:pk>/approve/", views.ApproveView.as_view(), name="approve"),
    path("statements/<int:pk>/pdf/", views.StatementPdfView.as_view(), name="pdf"),
    path("statements/<int:pk>/xlsx/", views.StatementXlsxView.as_view(), name="xlsx"),
    path("periods/<int:pk>/prepare/", views.PrepareView.as_view(), name="prepare"),
]
