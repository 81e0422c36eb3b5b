"""Web URLs of e-mail intake (mounted under /mail/)."""

from django.urls import path

from oversight.mailintake import views

app_name = "mailintake"

urlpatterns = [
    path("", views.MailLogView.as_view(), name="log"),
    path("<int:pk>/", views.MailDetailView.as_view(), name="mail_detail"),
    path("<int:pk>/reprocess/", views.MailActionView.as_view(action="reprocess"), name="mail_reprocess"),
    path("<int:pk>/discard/", views.MailActionView.as_view(action="discard"), name="mail_discard"),
    path("mailboxes/", views.MailboxListView.as_view(), name="mailbox_list"),
    path("mailboxes/new/", views.MailboxCreateView.as_view(), name="mailbox_create"),
    path("mailboxes/<int:pk>/", views.MailboxEditView.as_view(), name="mailbox_edit"),
    path("mailboxes/<int:pk>/test/", views.MailboxTestView.as_view(), name="mailbox_test"),
]
