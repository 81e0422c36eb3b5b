"""Web URLs of the improvement register (mounted under /improvement/)."""

from django.urls import path

from oversight.improvement import views

app_name = "improvement"

urlpatterns = [
    path("", views.ItemListView.as_view(), name="list"),
    path("export/", views.ItemExportView.as_view(), name="export"),
    path("new/", views.ItemCreateView.as_view(), name="create"),
    path("<int:pk>/", views.ItemDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ItemEditView.as_view(), name="edit"),
    path("<int:pk>/transition/", views.ItemTransitionView.as_view(), name="transition"),
    path("<int:pk>/measure/", views.ItemMeasureView.as_view(), name="measure"),
    path("<int:pk>/benefit/", views.ItemBenefitView.as_view(), name="benefit"),
]
