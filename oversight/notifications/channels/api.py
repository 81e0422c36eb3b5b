"""API of the notification channels: `/api/v1/notification-channels/` (the secret and address are write-only;
a ``test`` action) and the delivery log `/api/v1/channel-deliveries/` (read, with a ``retry`` action).

Client administrators write (the services refuse supervisors with 403, after the lookup, so that another
organisation's channel is a 404 for them as for everyone); supervisors read; every other role gets 403 before
anything is read. Views only parse input and call the services."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from oversight.core.api.permissions import ReadOnlyRolesCannotWrite
from oversight.core.api.serializers import ObjectRefSerializer, StrictInputSerializer
from oversight.core.api.viewsets import ScopedReadOnlyViewSet
from oversight.core.filters import FilterSet
from oversight.notifications.channels import selectors, services
from oversight.notifications.channels.choices import ChannelKind, DeliveryStatus
from oversight.notifications.channels.models import Channel, Delivery
from oversight.notifications.channels.sending import delivery_retry
from oversight.notifications.channels.services import CONFIG_FIELDS
from oversight.tenancy.roles import CLIENT_OPERATORS

ERRORS = {
    400: OpenApiResponse(description=_("Invalid input, or a business rule refused it.")),
    403: OpenApiResponse(description=_("Your role may not do this.")),
    404: OpenApiResponse(description=_("Not found, or not visible to you.")),
}


class SeesChannels(BasePermission):
    """Channels are for the client's administrators and supervisors; everyone else gets 403."""

    message = _("Only client administrators and supervisors see notification channels.")

    def has_permission(self, request, view) -> bool:
        user = request.user
        return user.is_superuser or user.role in CLIENT_OPERATORS


class ChannelSerializer(serializers.ModelSerializer):
    """A channel; its address and secret are never returned (``has_secret`` says whether one is set)."""

    quiet_calendar = ObjectRefSerializer(read_only=True, allow_null=True)
    has_secret = serializers.SerializerMethodField()

    class Meta:
        model = Channel
        fields = ["id", *CONFIG_FIELDS, "host", "has_secret", "created_at", "updated_at"]
        read_only_fields = fields

    def get_has_secret(self, channel: Channel) -> bool:
        return bool(channel.signing_secret)


class ChannelInputSerializer(StrictInputSerializer):
    """A channel to create or change; ``url`` and ``secret`` are write-only (left out on a change: kept)."""

    kind = serializers.ChoiceField(choices=ChannelKind.choices)
    name = serializers.CharField(max_length=100)
    url = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="", write_only=True)
    secret = serializers.CharField(max_length=500, required=False, allow_blank=True, default="", write_only=True)
    clear_secret = serializers.BooleanField(required=False, default=False)
    allowed_hosts = serializers.CharField(required=False, allow_blank=True, default="")
    quiet_calendar = serializers.PrimaryKeyRelatedField(
        queryset=Channel._meta.get_field("quiet_calendar").related_model.objects.none(),
        required=False,
        allow_null=True,
        default=None,
    )
    rate_per_minute = serializers.IntegerField(min_value=1, max_value=600, default=20)
    burst = serializers.IntegerField(min_value=1, max_value=100, default=5)
    digest_window_seconds = serializers.IntegerField(min_value=0, max_value=86400, default=0)
    is_enabled = serializers.BooleanField(default=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            self.fields["quiet_calendar"].queryset = selectors.calendar_choices(user=request.user)


class ChannelDeliverySerializer(serializers.ModelSerializer):
    """One message to one channel with its outcome (the payload as sent carries no signature)."""

    channel = ObjectRefSerializer(read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "channel",
            "event_id",
            "title",
            "severity",
            "status",
            "attempts",
            "next_attempt_at",
            "last_status_code",
            "last_response",
            "last_error",
            "duration_ms",
            "digest",
            "is_test",
            "payload",
            "created_at",
            "sent_at",
        ]
        read_only_fields = fields


class DeliveryFilter(FilterSet):
    """Filter the delivery log by channel, status and whether it is a test."""

    channel = django_filters.NumberFilter(field_name="channel_id")
    status = django_filters.ChoiceFilter(choices=DeliveryStatus.choices)

    class Meta:
        model = Delivery
        fields = ["channel", "status", "is_test"]


class ChannelViewSet(ScopedReadOnlyViewSet):
    """Notification channels (group robots, webhooks) of the organisation."""

    serializer_class = ChannelSerializer
    schema_model = Channel
    permission_classes = [IsAuthenticated, SeesChannels, ReadOnlyRolesCannotWrite]
    http_method_names = ["get", "post", "put", "head", "options"]

    def select(self, user):
        return selectors.channel_list(user=user)

    def _input(self, request: Request) -> dict:
        data = ChannelInputSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)

    @extend_schema(summary=_("List notification channels"))
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary=_("Read a notification channel"), responses={200: ChannelSerializer, 404: ERRORS[404]})
    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary=_("Create a notification channel"),
        request=ChannelInputSerializer,
        responses={201: ChannelSerializer, **ERRORS},
    )
    def create(self, request: Request, *args, **kwargs) -> Response:
        data = self._input(request)
        data.pop("clear_secret")
        channel = services.channel_create(actor=request.user, organisation=request.user.organisation, **data)
        return Response(ChannelSerializer(channel).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Change a notification channel"),
        request=ChannelInputSerializer,
        responses={200: ChannelSerializer, **ERRORS},
    )
    def update(self, request: Request, *args, **kwargs) -> Response:
        channel = self.get_object()
        channel = services.channel_update(actor=request.user, channel=channel, **self._input(request))
        return Response(ChannelSerializer(channel).data)

    @extend_schema(
        summary=_("Send a test message now"), request=None, responses={200: ChannelDeliverySerializer, **ERRORS}
    )
    @action(detail=True, methods=["post"])
    def test(self, request: Request, pk=None) -> Response:
        delivery = services.channel_test_send(actor=request.user, channel=self.get_object())
        return Response(ChannelDeliverySerializer(delivery).data)


class DeliveryViewSet(ScopedReadOnlyViewSet):
    """The delivery log: every message to every visible channel, newest first."""

    serializer_class = ChannelDeliverySerializer
    schema_model = Delivery
    permission_classes = [IsAuthenticated, SeesChannels, ReadOnlyRolesCannotWrite]
    filterset_class = DeliveryFilter

    def select(self, user):
        return selectors.delivery_list(user=user)

    @extend_schema(summary=_("List channel deliveries"))
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary=_("Read a channel delivery"), responses={200: ChannelDeliverySerializer, 404: ERRORS[404]})
    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary=_("Queue a failed or dead delivery again"),
        request=None,
        responses={200: ChannelDeliverySerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def retry(self, request: Request, pk=None) -> Response:
        delivery = delivery_retry(actor=request.user, delivery=self.get_object())
        return Response(ChannelDeliverySerializer(delivery).data)
