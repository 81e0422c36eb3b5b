"""Web URLs of the contact-centre app (mounted under /contact-centre/)."""

from django.urls import path

from oversight.contactcentre import views, views_data

app_name = "contactcentre"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("queues/", views.QueueListView.as_view(), name="queues"),
    path("queues/<int:pk>/", views.QueueDetailView.as_view(), name="queue_detail"),
    path("imports/", views_data.ImportListView.as_view(), name="imports"),
    path("imports/<int:pk>/", views_data.ImportDetailView.as_view(), name="import_detail"),
    path("imports/<int:pk>/progress/", views_data.ImportProgressView.as_view(), name="import_progress"),
    path("mapping/", views_data.MappingView.as_view(), name="mapping"),
    path("locks/", views_data.LockView.as_view(), name="locks"),
    path("contracts/<int:pk>/terms/", views_data.TermsView.as_view(), name="terms"),
]
