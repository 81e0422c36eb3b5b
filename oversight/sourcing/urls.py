"""Web URLs of sourcing (mounted under /sourcing/)."""

from django.urls import path

from oversight.sourcing import views

app_name = "sourcing"

urlpatterns = [
    path("", views.ScenarioListView.as_view(), name="scenario_list"),
    path("compare/", views.CompareView.as_view(), name="compare"),
    path("scenarios/new/", views.ScenarioCreateView.as_view(), name="scenario_create"),
    path("scenarios/<int:pk>/", views.ScenarioDetailView.as_view(), name="scenario_detail"),
    path("scenarios/<int:pk>/edit/", views.ScenarioEditView.as_view(), name="scenario_edit"),
    path("scenarios/<int:pk>/delete/", views.ScenarioDeleteView.as_view(), name="scenario_delete"),
    path("scenarios/<int:pk>/export/", views.ScenarioExportView.as_view(), name="scenario_export"),
    path("commercial/", views.CommercialModelListView.as_view(), name="commercial_list"),
    path("commercial/new/", views.CommercialModelCreateView.as_view(), name="commercial_create"),
    path("commercial/<int:pk>/", views.CommercialModelDetailView.as_view(), name="commercial_detail"),
    path("commercial/<int:pk>/edit/", views.CommercialModelEditView.as_view(), name="commercial_edit"),
    path("commercial/<int:pk>/delete/", views.CommercialModelDeleteView.as_view(), name="commercial_delete"),
]
