"""Web URLs of the core app: sign-in, sign-out, the global search (names are global: LOGIN_URL is "login") and the
operator's health, readiness and metrics endpoints (docs/operations/)."""

from django.urls import path

from oversight.core import ops_views, views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("healthz", ops_views.healthz, name="healthz"),
    path("readyz", ops_views.readyz, name="readyz"),
    path("metrics", ops_views.metrics, name="metrics"),
]
