"""Web URLs of the notifications app."""

from django.urls import path

from oversight.notifications import views
from oversight.notifications.channels import identity_views
from oversight.notifications.channels import views as channel_views

app_name = "notifications"

urlpatterns = [
    path("", views.NotificationListView.as_view(), name="list"),
    path("read/", views.NotificationMarkReadView.as_view(), name="mark_read"),
    path("channels/", channel_views.ChannelListView.as_view(), name="channel_list"),
    path("channels/new/", channel_views.ChannelCreateView.as_view(), name="channel_create"),
    path("channels/<int:pk>/", channel_views.ChannelDetailView.as_view(), name="channel_detail"),
    path("channels/<int:pk>/edit/", channel_views.ChannelEditView.as_view(), name="channel_edit"),
    path("channels/<int:pk>/test/", channel_views.ChannelTestView.as_view(), name="channel_test"),
    path("channels/<int:pk>/subscriptions/", channel_views.SubscriptionsView.as_view(), name="channel_subscriptions"),
    path("deliveries/", channel_views.DeliveryListView.as_view(), name="delivery_list"),
    path("deliveries/<int:pk>/", channel_views.DeliveryDetailView.as_view(), name="delivery_detail"),
    path("deliveries/<int:pk>/retry/", channel_views.DeliveryRetryView.as_view(), name="delivery_retry"),
    path("chat-ids/", identity_views.OwnChatIdentityView.as_view(), name="chat_identity"),
    path("chat-ids/people/", identity_views.PeopleChatIdentityView.as_view(), name="chat_identity_people"),
    path("chat-ids/people/<int:pk>/", identity_views.PersonChatIdentityView.as_view(), name="chat_identity_person"),
]
