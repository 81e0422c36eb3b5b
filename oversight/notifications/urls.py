"""Web URLs of the notifications app."""

from django.urls import path

from oversight.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.NotificationListView.as_view(), name="list"),
    path("read/", views.NotificationMarkReadView.as_view(), name="mark_read"),
]
