"""Pages of the quantification part (a risk's inputs and correlations, the simulation runs), included by
`risks.urls`."""

from django.urls import path

from oversight.risks.views import simulation as views

urlpatterns = [
    path("<int:pk>/quantification/", views.QuantificationView.as_view(), name="quantification"),
    path("<int:pk>/correlations/", views.CorrelationView.as_view(), name="correlations"),
    path("simulations/", views.SimulationListView.as_view(), name="simulation_list"),
    path("simulations/new/", views.SimulationCreateView.as_view(), name="simulation_create"),
    path("simulations/<int:pk>/", views.SimulationDetailView.as_view(), name="simulation_detail"),
    path("simulations/<int:pk>/rerun/", views.SimulationRerunView.as_view(), name="simulation_rerun"),
    path("simulations/<int:pk>/progress/", views.SimulationProgressView.as_view(), name="simulation_progress"),
]
