"""Web URLs of the changes app (mounted under /changes/). The fixed words come before `<number>/`."""

from django.urls import path, re_path

from oversight.changes import feed_views, views

app_name = "changes"

urlpatterns = [
    path("", views.ChangeListView.as_view(), name="list"),
    path("new/", views.ChangeCreateView.as_view(), name="create"),
    path("cab/", views.CabListView.as_view(), name="cab_list"),
    path("cab/<int:pk>/", views.CabDetailView.as_view(), name="cab_detail"),
    path("templates/", views.TemplateListView.as_view(), name="templates"),
    path("templates/<int:pk>/", views.TemplateEditView.as_view(), name="template_edit"),
    re_path(r"^policy/(?P<change_type>normal|emergency)/$", views.PolicyView.as_view(), name="policy"),
    path("calendar/", views.CalendarView.as_view(), name="calendar"),
    path("calendar/windows/", views.WindowListView.as_view(), name="windows"),
    path("calendar/windows/<int:pk>/deactivate/", views.WindowDeactivateView.as_view(), name="window_deactivate"),
    path("<str:number>/", views.ChangeDetailView.as_view(), name="detail"),
    path("<str:number>/edit/", views.ChangeEditView.as_view(), name="edit"),
    path("<str:number>/risk/", views.ChangeRiskView.as_view(), name="risk"),
    path("<str:number>/transition/", views.ChangeTransitionView.as_view(), name="transition"),
    path("<str:number>/vote/", views.ChangeVoteView.as_view(), name="vote"),
    path("<str:number>/exception/", views.ChangeExceptionView.as_view(), name="exception"),
    path("<str:number>/review/", views.ChangeReviewView.as_view(), name="review"),
    path("<str:number>/link/", views.ChangeLinkView.as_view(), name="link"),
    path("<str:number>/unlink/", views.ChangeUnlinkView.as_view(), name="unlink"),
    # The calendar feed (.ics, read with the key in its address) and the page of one's feed key (feed_views).
    path("calendar/feed/", feed_views.FeedKeyView.as_view(), name="feed_key"),
    path("calendar/feed/<str:key>.ics", feed_views.CalendarFeedView.as_view(), name="calendar_ics"),
]
