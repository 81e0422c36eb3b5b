"""Web URLs of the contact-centre app (mounted under /contact-centre/)."""

from django.urls import path

from oversight.contactcentre import views

app_name = "contactcentre"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("queues/", views.QueueListView.as_view(), name="queues"),
    path("queues/<int:pk>/", views.QueueDetailView.as_view(), name="queue_detail"),
]
