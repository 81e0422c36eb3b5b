"""Web URLs of the contracts app (mounted under /contracts/)."""

from django.urls import path

from oversight.contracts import views

app_name = "contracts"

urlpatterns = [
    path("", views.ContractListView.as_view(), name="list"),
    path("new/", views.ContractCreateView.as_view(), name="create"),
    path("<int:pk>/", views.ContractDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ContractEditView.as_view(), name="edit"),
    path("<int:pk>/amend/", views.ContractAmendView.as_view(), name="amend"),
    path("<int:pk>/activate/", views.ContractActivateView.as_view(), name="activate"),
    path("<int:pk>/terminate/", views.ContractTerminateView.as_view(), name="terminate"),
    path("<int:pk>/withdraw-amendment/", views.AmendmentWithdrawView.as_view(), name="withdraw"),
    path("<int:pk>/documents/", views.DocumentUploadView.as_view(), name="upload"),
    path("documents/<int:pk>/", views.DocumentDownloadView.as_view(), name="document"),
]
