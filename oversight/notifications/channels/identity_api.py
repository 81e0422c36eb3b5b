"""API of the chat IDs with which people are @-mentioned in group chats.

- `GET/PUT /api/v1/chat-identities/me/`: the signed-in person's own (every signed-in person, read-only roles too:
  it changes only their own settings).
- `GET /api/v1/chat-identities/`, `GET/PUT /api/v1/chat-identities/<user id>/`: the people a client administrator
  administers (the gate's ``administer``); every other role gets 403, a person of another organisation is 404.

A PUT changes the fields it names (blank clears one); the service checks the values and audits the change."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from oversight.core.api.serializers import StrictInputSerializer
from oversight.core.api.viewsets import ScopedReadOnlyViewSet
from oversight.notifications.channels import identities
from oversight.tenancy.roles import ADMINISTRATORS

ERRORS = {
    400: OpenApiResponse(description=_("Invalid input, or a business rule refused it.")),
    403: OpenApiResponse(description=_("Your role may not do this.")),
    404: OpenApiResponse(description=_("Not found, or not visible to you.")),
}


class ChatIdentityAccess(BasePermission):
    """Everyone reaches their own chat IDs; only client administrators those of other people."""

    message = _("Only client administrators set the chat IDs of other people.")

    def has_permission(self, request, view) -> bool:
        user = request.user
        return view.action == "me" or user.is_superuser or user.role in ADMINISTRATORS


class ChatIdentitySerializer(serializers.Serializer):
    """One person's chat IDs (empty where not set) and the phone of their profile (DingTalk's fallback)."""

    user = serializers.IntegerField(source="pk", read_only=True)
    username = serializers.CharField(read_only=True)
    name = serializers.SerializerMethodField()
    wecom_user_id = serializers.SerializerMethodField()
    dingtalk_user_id = serializers.SerializerMethodField()
    dingtalk_mobile = serializers.SerializerMethodField()
    feishu_user_id = serializers.SerializerMethodField()
    profile_phone = serializers.CharField(source="phone", read_only=True)

    def _field(self, person, name: str) -> str:
        try:
            identity = person.chat_identity  # fetched with the list (select_related), or one query for one person
        except ObjectDoesNotExist:
            return ""
        return getattr(identity, name) or ""

    def get_name(self, person) -> str:
        return person.get_full_name() or person.get_username()

    def get_wecom_user_id(self, person) -> str:
        return self._field(person, "wecom_user_id")

    def get_dingtalk_user_id(self, person) -> str:
        return self._field(person, "dingtalk_user_id")

    def get_dingtalk_mobile(self, person) -> str:
        return self._field(person, "dingtalk_mobile")

    def get_feishu_user_id(self, person) -> str:
        return self._field(person, "feishu_user_id")


class ChatIdentityInputSerializer(StrictInputSerializer):
    """The chat IDs to set; a field left out stays as it is, a blank one is cleared."""

    wecom_user_id = serializers.CharField(max_length=64, required=False, allow_blank=True)
    dingtalk_user_id = serializers.CharField(max_length=64, required=False, allow_blank=True)
    dingtalk_mobile = serializers.CharField(max_length=30, required=False, allow_blank=True)
    feishu_user_id = serializers.CharField(max_length=64, required=False, allow_blank=True)


class ChatIdentityViewSet(ScopedReadOnlyViewSet):
    """Chat IDs for @-mentions in group chats: one's own (`me`), and the people a client administrator administers."""

    serializer_class = ChatIdentitySerializer
    schema_model = get_user_model()
    permission_classes = [IsAuthenticated, ChatIdentityAccess]
    http_method_names = ["get", "put", "head", "options"]

    def select(self, user):
        return identities.people_administered(user=user)

    def _set(self, request: Request, person) -> Response:
        data = ChatIdentityInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        identities.chat_identity_set(actor=request.user, person=person, **data.validated_data)
        return Response(ChatIdentitySerializer(get_user_model().objects.get(pk=person.pk)).data)

    @extend_schema(summary=_("List the chat IDs of the people you administer"))
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary=_("Read a person's chat IDs"), responses={200: ChatIdentitySerializer, 404: ERRORS[404]})
    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary=_("Set a person's chat IDs"),
        request=ChatIdentityInputSerializer,
        responses={200: ChatIdentitySerializer, **ERRORS},
    )
    def update(self, request: Request, *args, **kwargs) -> Response:
        return self._set(request, self.get_object())

    @extend_schema(methods=["GET"], summary=_("Read your own chat IDs"), responses={200: ChatIdentitySerializer})
    @extend_schema(
        methods=["PUT"],
        summary=_("Set your own chat IDs"),
        request=ChatIdentityInputSerializer,
        responses={200: ChatIdentitySerializer, **ERRORS},
    )
    @action(detail=False, methods=["get", "put"])
    def me(self, request: Request) -> Response:
        if request.method == "PUT":
            return self._set(request, request.user)
        return Response(ChatIdentitySerializer(request.user).data)
