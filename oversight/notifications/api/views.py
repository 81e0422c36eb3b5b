"""API of the current user's own notifications."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from oversight.core.filters import FilterSet
from oversight.notifications import services
from oversight.notifications.api import serializers
from oversight.notifications.models import Notification
from oversight.notifications.selectors import notification_list


class NotificationFilter(FilterSet):
    """Filter one's notifications by read state and kind."""

    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull")
    kind = django_filters.CharFilter()

    class Meta:
        model = Notification
        fields = ["unread", "kind"]


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The signed-in user's own notifications, newest first; someone else's is a 404.

    Marking one's own notifications as read is personal state, so read-only roles may do it too.
    """

    serializer_class = serializers.NotificationSerializer
    permission_classes = [IsAuthenticated]
    filterset_class = NotificationFilter
    read_only_roles_may_write = True

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        return notification_list(user=self.request.user)

    @extend_schema(request=None, responses=serializers.NotificationSerializer)
    @action(detail=True, methods=["post"], url_path="read", filterset_class=None)
    def read(self, request: Request, pk=None) -> Response:
        """Mark one notification as read (repeating it is harmless)."""
        notification = self.get_object()
        services.notification_mark_read(user=request.user, notification_ids=[notification.pk])
        notification.refresh_from_db(fields=["read_at"])
        return Response(self.get_serializer(notification).data)

    @extend_schema(request=serializers.MarkAllReadInputSerializer, responses=serializers.MarkedReadSerializer)
    @action(detail=False, methods=["post"], url_path="read-all", filterset_class=None, pagination_class=None)
    def read_all(self, request: Request) -> Response:
        """Mark all (or the listed) unread notifications of the signed-in user as read."""
        data = serializers.MarkAllReadInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        marked = services.notification_mark_read(user=request.user, notification_ids=data.validated_data.get("ids"))
        return Response({"marked": marked})
