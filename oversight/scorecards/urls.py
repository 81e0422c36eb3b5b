"""Web URLs of the evaluation app (mounted under /scorecards/)."""

from django.urls import path

from oversight.scorecards import views

app_name = "scorecards"

urlpatterns = [
    path("", views.PeriodListView.as_view(), name="list"),
    path("open/", views.PeriodOpenView.as_view(), name="open"),
    path("trends/", views.TrendView.as_view(), name="trends"),
    path("periods/<int:pk>/", views.PeriodDetailView.as_view(), name="period"),
    path("periods/<int:pk>/recompute/", views.RecomputeView.as_view(), name="recompute"),
    path("periods/<int:pk>/publish/", views.PublishView.as_view(), name="publish"),
    path("periods/<int:pk>/sign/", views.SignView.as_view(), name="sign"),
    path("periods/<int:pk>/lock/", views.LockView.as_view(), name="lock"),
    path("periods/<int:pk>/revise/", views.ReviseView.as_view(), name="revise"),
    path("periods/<int:pk>/manual/", views.ManualEntryView.as_view(), name="manual"),
    path("periods/<int:pk>/dispute/", views.DisputeCreateView.as_view(), name="dispute"),
    path("disputes/<int:pk>/decide/", views.DisputeDecideView.as_view(), name="decide"),
    path("results/<int:pk>/", views.ResultDrilldownView.as_view(), name="result"),
    path("commitment-results/<int:pk>/", views.CommitmentDrilldownView.as_view(), name="commitment_result"),
    path("evidence/<int:pk>/", views.EvidenceDownloadView.as_view(), name="evidence"),
    path("contracts/<int:pk>/scheme/", views.SchemeView.as_view(), name="scheme"),
    path("contracts/<int:pk>/scheme/edit/", views.SchemeEditView.as_view(), name="scheme_edit"),
    path("contracts/<int:pk>/scheme/template/", views.SchemeTemplateView.as_view(), name="scheme_template"),
]
