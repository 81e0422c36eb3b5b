"""Web URLs of the spare parts app (mounted under /parts/)."""

from django.urls import path

from oversight.parts import views

app_name = "parts"

urlpatterns = [
    path("", views.StockOverviewView.as_view(), name="overview"),
    path("new/", views.ItemCreateView.as_view(), name="item_create"),
    path("locations/new/", views.LocationCreateView.as_view(), name="location_create"),
    path("<int:pk>/", views.ItemDetailView.as_view(), name="item_detail"),
    path("<int:pk>/movements/", views.MovementView.as_view(), name="movement"),
    path("<int:pk>/transfer/", views.TransferView.as_view(), name="transfer"),
    path("<int:pk>/levels/", views.LevelView.as_view(), name="level"),
    path("work-orders/<str:number>/use/", views.ConsumeView.as_view(), name="consume"),
]
