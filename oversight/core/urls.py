"""Web URLs of the core app: sign-in and sign-out (names are global: LOGIN_URL is "login")."""

from django.urls import path

from oversight.core import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
]
