"""Web URLs of the knowledge base (mounted under /knowledge/)."""

from django.urls import path

from oversight.knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="list"),
    path("new/", views.ArticleCreateView.as_view(), name="create"),
    path("suggest/", views.SuggestView.as_view(), name="suggest"),
    path("from-work-order/<int:pk>/", views.FromWorkOrderView.as_view(), name="from_work_order"),
    path("from-problem/", views.FromProblemView.as_view(), name="from_problem"),
    path("<int:pk>/", views.ArticleDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ArticleEditView.as_view(), name="edit"),
    path("<int:pk>/transition/", views.ArticleTransitionView.as_view(), name="transition"),
    path("<int:pk>/versions/", views.ArticleVersionsView.as_view(), name="versions"),
    path("<int:pk>/versions/<int:version>/restore/", views.ArticleRestoreView.as_view(), name="restore"),
    path("<int:pk>/solved/", views.DeflectView.as_view(), name="deflect"),
]
