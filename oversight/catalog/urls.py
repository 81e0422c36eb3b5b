"""Web URLs of the client administrator's catalog pages (namespace "catalog", under /setup/)."""

from django.urls import path

from oversight.catalog import views

app_name = "catalog"

urlpatterns = [
    path("services/", views.ServiceListView.as_view(), name="services"),
    path("services/new/", views.ServiceFormView.as_view(), name="service_create"),
    path("services/<int:pk>/", views.ServiceFormView.as_view(), name="service_edit"),
    path("services/<int:pk>/active/", views.ServiceActiveView.as_view(), name="service_active"),
    path("policies/", views.SLAPolicyListView.as_view(), name="policies"),
    path("policies/new/", views.SLAPolicyCreateView.as_view(), name="policy_create"),
    path("policies/<int:pk>/", views.SLAPolicyDetailView.as_view(), name="policy"),
    path("policies/<int:pk>/new-version/", views.SLAPolicyVersionView.as_view(), name="policy_version"),
    path("calendars/", views.CalendarListView.as_view(), name="calendars"),
    path("calendars/new/", views.CalendarFormView.as_view(), name="calendar_create"),
    path("calendars/<int:pk>/", views.CalendarDetailView.as_view(), name="calendar"),
    path("calendars/<int:pk>/edit/", views.CalendarFormView.as_view(), name="calendar_edit"),
    path("calendars/<int:pk>/day/", views.CalendarDayView.as_view(), name="calendar_day"),
    path("calendars/<int:pk>/year/", views.CalendarYearView.as_view(), name="calendar_year"),
]
