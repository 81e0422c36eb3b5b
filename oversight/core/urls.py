"""Web URLs of the core app: sign-in, sign-out and the global search (names are global: LOGIN_URL is "login")."""

from django.urls import path

from oversight.core import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("search/", views.SearchView.as_view(), name="search"),
]
