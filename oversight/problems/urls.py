"""Web URLs of the problems app (mounted under /problems/)."""

from django.urls import path

from oversight.problems import views

app_name = "problems"

urlpatterns = [
    path("", views.ProblemListView.as_view(), name="list"),
    path("new/", views.ProblemCreateView.as_view(), name="create"),
    path("<int:pk>/", views.ProblemDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ProblemEditView.as_view(), name="edit"),
    path("<int:pk>/analysis/", views.ProblemAnalysisView.as_view(), name="analysis"),
    path("<int:pk>/transition/", views.ProblemTransitionView.as_view(), name="transition"),
    path("<int:pk>/link/", views.ProblemLinkView.as_view(), name="link"),
    path("<int:pk>/unlink/", views.ProblemUnlinkView.as_view(), name="unlink"),
    path("<int:pk>/communicate/", views.ProblemCommunicateView.as_view(), name="communicate"),
    path("known-errors/", views.KnownErrorListView.as_view(), name="known_errors"),
    path("known-errors/suggest/", views.KnownErrorSuggestView.as_view(), name="known_error_suggest"),
    path("known-errors/<int:pk>/", views.KnownErrorDetailView.as_view(), name="known_error_detail"),
    path("known-errors/<int:pk>/edit/", views.KnownErrorEditView.as_view(), name="known_error_edit"),
    path("suggestions/", views.SuggestionListView.as_view(), name="suggestions"),
    path("suggestions/<int:pk>/accept/", views.SuggestionAcceptView.as_view(), name="suggestion_accept"),
    path("suggestions/<int:pk>/dismiss/", views.SuggestionDismissView.as_view(), name="suggestion_dismiss"),
    path("settings/", views.ProblemSettingsView.as_view(), name="settings"),
]
