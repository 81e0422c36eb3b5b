"""Web URLs of the meetings app (mounted under /meetings/)."""

from django.urls import path

from oversight.meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.MeetingListView.as_view(), name="list"),
    path("plans/", views.PlanListView.as_view(), name="plans"),
    path("plans/new/", views.PlanCreateView.as_view(), name="plan_create"),
    path("plans/<int:pk>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path("plans/<int:pk>/rows/", views.PlanRowCreateView.as_view(), name="plan_row_create"),
    path("plans/<int:pk>/series/", views.SeriesCreateView.as_view(), name="series_create"),
    path("plans/<int:pk>/meetings/", views.MeetingCreateView.as_view(), name="meeting_create"),
    path("series/<int:pk>/", views.SeriesDetailView.as_view(), name="series_detail"),
    path("series/<int:pk>/schedule/", views.SeriesScheduleView.as_view(), name="series_schedule"),
    path("series/<int:pk>.ics", views.SeriesIcsView.as_view(), name="series_ics"),
    path("<int:pk>/", views.MeetingDetailView.as_view(), name="detail"),
    path("<int:pk>.ics", views.MeetingIcsView.as_view(), name="ics"),
    path("<int:pk>/minutes.pdf", views.MinutesPdfView.as_view(), name="minutes_pdf"),
    path("<int:pk>/transition/", views.MeetingTransitionView.as_view(), name="transition"),
    path("<int:pk>/sign/", views.MeetingSignView.as_view(), name="sign"),
    path("<int:pk>/prefill/", views.MeetingPrefillView.as_view(), name="prefill"),
    path("<int:pk>/agenda/", views.AgendaItemCreateView.as_view(), name="agenda_create"),
    path("<int:pk>/minutes/", views.MinutesView.as_view(), name="minutes"),
    path("<int:pk>/decisions/", views.DecisionCreateView.as_view(), name="decision_create"),
    path("<int:pk>/participants/", views.ParticipantsView.as_view(), name="participants"),
    path("<int:pk>/attendance/", views.AttendanceView.as_view(), name="attendance"),
    path("<int:pk>/actions/", views.ActionItemCreateView.as_view(), name="action_create"),
    path("actions/", views.ActionListView.as_view(), name="actions"),
    path("actions/<int:pk>/", views.ActionDetailView.as_view(), name="action_detail"),
    path("actions/<int:pk>/transition/", views.ActionTransitionView.as_view(), name="action_transition"),
    # The personal feed (.ics, read with the meetings calendar key in its address) and the page of that key.
    path("feed/", views.FeedInfoView.as_view(), name="feed_info"),
    path("feed/<str:key>.ics", views.MeetingFeedView.as_view(), name="feed"),
]
