"""Web URLs of the user's own pages (names are global, as the templates and LOGIN_REDIRECT_URL use them)."""

from django.urls import path

from oversight.tenancy import views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("preferences/", views.PreferencesView.as_view(), name="preferences"),
    path("preferences/language/", views.LanguageSwitchView.as_view(), name="preferences_language"),
]
