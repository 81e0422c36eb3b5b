"""Web URLs of the projects app (mounted under /projects/)."""

from django.urls import path

from oversight.projects import views

app_name = "projects"

urlpatterns = [
    path("", views.ProjectListView.as_view(), name="list"),
    path("new/", views.ProjectCreateView.as_view(), name="create"),
    path("<int:pk>/", views.ProjectDetailView.as_view(), name="detail"),
    path("<int:pk>/transition/", views.ProjectTransitionView.as_view(), name="transition"),
    path("<int:pk>/work-packages/", views.WorkPackageCreateView.as_view(), name="work_package_create"),
    path("<int:pk>/milestones/", views.MilestoneCreateView.as_view(), name="milestone_create"),
    path("<int:pk>/progress/", views.ProgressRecordView.as_view(), name="progress"),
    path("<int:pk>/costs/", views.CostEntryCreateView.as_view(), name="cost_create"),
    path("<int:pk>/settlement-lines/", views.SettlementLinkCreateView.as_view(), name="link_create"),
    path("work-packages/<int:pk>/edit/", views.WorkPackageEditView.as_view(), name="work_package_edit"),
    path("work-packages/<int:pk>/delete/", views.WorkPackageDeleteView.as_view(), name="work_package_delete"),
    path("milestones/<int:pk>/edit/", views.MilestoneEditView.as_view(), name="milestone_edit"),
    path("milestones/<int:pk>/delete/", views.MilestoneDeleteView.as_view(), name="milestone_delete"),
    path("settlement-lines/<int:pk>/delete/", views.SettlementLinkDeleteView.as_view(), name="link_delete"),
    path("<int:pk>/baselines/", views.BaselineRequestView.as_view(), name="baseline_request"),
    path("baselines/<int:pk>/decide/", views.BaselineDecideView.as_view(), name="baseline_decide"),
]
