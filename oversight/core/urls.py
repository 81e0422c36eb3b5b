"""Web URLs of the core app: home, sign-in, preferences (names are global: LOGIN_URL is "login")."""

from django.urls import path

from oversight.core import views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("preferences/", views.PreferencesView.as_view(), name="preferences"),
    path("preferences/language/", views.LanguageSwitchView.as_view(), name="preferences_language"),
]
