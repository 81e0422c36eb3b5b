"""Web URLs of the user's own pages (names are global, as the templates and LOGIN_REDIRECT_URL use them)."""

from django.urls import include, path

from oversight.tenancy import views

# The client administrator's people pages (namespace "people").
people = [
    path("", views.PeopleListView.as_view(), name="list"),
    path("invite/", views.PersonInviteView.as_view(), name="invite"),
    path("<int:pk>/", views.PersonView.as_view(), name="detail"),
    path("<int:pk>/active/", views.PersonActiveView.as_view(), name="active"),
    path("<int:pk>/invite-again/", views.PersonInviteAgainView.as_view(), name="invite_again"),
]

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("preferences/", views.PreferencesView.as_view(), name="preferences"),
    path("preferences/language/", views.LanguageSwitchView.as_view(), name="preferences_language"),
    path("setup/people/", include((people, "people"))),
    path("reset/<uidb64>/<token>/", views.SetPasswordView.as_view(), name="password_reset_confirm"),
    path("preferences/tokens/", views.ApiTokensView.as_view(), name="preferences_tokens"),
    path("preferences/tokens/<int:pk>/revoke/", views.ApiTokenRevokeView.as_view(), name="preferences_token_revoke"),
    path("password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("views/", views.SavedViewListView.as_view(), name="saved_views"),
    path("views/save/", views.SavedViewCreateView.as_view(), name="saved_view_create"),
    path("views/<int:pk>/rename/", views.SavedViewRenameView.as_view(), name="saved_view_rename"),
    path("views/<int:pk>/delete/", views.SavedViewDeleteView.as_view(), name="saved_view_delete"),
]
