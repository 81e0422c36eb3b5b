"""Web URLs of the risks app (mounted under /risks/). The register's pages first; the quantification and
trigger parts add their own blocks below."""

from django.urls import path

from oversight.risks import urls_quant, urls_triggers
from oversight.risks.views import mitigations as mitigation_views
from oversight.risks.views import register as register_views

app_name = "risks"

urlpatterns = [
    # The register.
    path("", register_views.RiskListView.as_view(), name="list"),
    path("new/", register_views.RiskCreateView.as_view(), name="create"),
    path("export/", register_views.RiskExportView.as_view(), name="export"),
    path("overdue/", register_views.OverdueView.as_view(), name="overdue"),
    path("heat-map/", register_views.HeatMapView.as_view(), name="heatmap"),
    path("matrix/", register_views.MatrixView.as_view(), name="matrix"),
    path("<int:pk>/", register_views.RiskDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", register_views.RiskEditView.as_view(), name="edit"),
    path("<int:pk>/rate/", register_views.RiskRateView.as_view(), name="rate"),
    path("<int:pk>/review/", register_views.RiskReviewView.as_view(), name="review"),
    path("<int:pk>/transition/", register_views.RiskTransitionView.as_view(), name="transition"),
    path(
        "contingency/<int:pk>/transition/",
        register_views.ContingencyTransitionView.as_view(),
        name="contingency_transition",
    ),
    path("mitigations/", mitigation_views.MitigationListView.as_view(), name="mitigations"),
    path("mitigations/new/", mitigation_views.MitigationCreateView.as_view(), name="mitigation_create"),
    path("mitigations/<int:pk>/", mitigation_views.MitigationDetailView.as_view(), name="mitigation_detail"),
    path("mitigations/<int:pk>/edit/", mitigation_views.MitigationEditView.as_view(), name="mitigation_edit"),
    path(
        "mitigations/<int:pk>/transition/",
        mitigation_views.MitigationTransitionView.as_view(),
        name="mitigation_transition",
    ),
    # Key risk indicators, risk events and vendor states.
    *urls_triggers.urlpatterns,
    # Quantification: per-risk inputs, correlations and simulation runs.
    *urls_quant.urlpatterns,
]
