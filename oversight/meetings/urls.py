"""Web URLs of the meetings app (mounted under /meetings/)."""

from django.urls import path

app_name = "meetings"

urlpatterns: list = []
