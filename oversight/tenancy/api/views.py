"""Read-only API of organisations, sites, vendors, teams and users (administrators change them in the admin),
and each person's own API tokens (list, create, revoke)."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from oversight.core.api.viewsets import ScopedReadOnlyViewSet
from oversight.core.filters import FilterSet
from oversight.tenancy import selectors, services
from oversight.tenancy.api import serializers
from oversight.tenancy.choices import Role
from oversight.tenancy.models import ApiToken, Organisation, Site, Team, User, Vendor


class OrganisationViewSet(ScopedReadOnlyViewSet):
    """Client organisations the user belongs to."""

    serializer_class = serializers.OrganisationSerializer
    schema_model = Organisation

    def select(self, user):
        return selectors.organisation_list(user=user)


class SiteFilter(FilterSet):
    """Filters for sites (plain ids: an unknown id simply matches nothing)."""

    parent = django_filters.NumberFilter(field_name="parent_id")
    kind = django_filters.CharFilter(field_name="kind")

    class Meta:
        model = Site
        fields = ["parent", "kind"]


class SiteViewSet(ScopedReadOnlyViewSet):
    """Sites and departments of the user's organisation."""

    serializer_class = serializers.SiteSerializer
    schema_model = Site
    filterset_class = SiteFilter

    def select(self, user):
        return selectors.site_list(user=user)


class VendorViewSet(ScopedReadOnlyViewSet):
    """Vendors: the client side sees all of its organisation's, vendor staff only their own."""

    serializer_class = serializers.VendorSerializer
    schema_model = Vendor

    def select(self, user):
        return selectors.vendor_list(user=user)


class TeamFilter(FilterSet):
    """Filter teams by vendor id."""

    vendor = django_filters.NumberFilter(field_name="vendor_id")

    class Meta:
        model = Team
        fields = ["vendor"]


class TeamViewSet(ScopedReadOnlyViewSet):
    """Teams of the vendors the user may see."""

    serializer_class = serializers.TeamSerializer
    schema_model = Team
    filterset_class = TeamFilter

    def select(self, user):
        return selectors.team_list(user=user)


class UserFilter(FilterSet):
    """Filter people by role, vendor id and whether they are active."""

    role = django_filters.MultipleChoiceFilter(choices=Role.choices)
    vendor = django_filters.NumberFilter(field_name="vendor_id")
    is_active = django_filters.BooleanFilter()

    class Meta:
        model = User
        fields = ["role", "vendor", "is_active"]


class UserViewSet(ScopedReadOnlyViewSet):
    """People the user may see; `/users/me/` is the signed-in user. Roles are never writable here."""

    serializer_class = serializers.UserSerializer
    schema_model = User
    filterset_class = UserFilter

    def select(self, user):
        return selectors.user_list(user=user)

    @extend_schema(responses=serializers.CurrentUserSerializer, filters=False)
    @action(detail=False, methods=["get"], url_path="me", pagination_class=None, filterset_class=None)
    def me(self, request: Request) -> Response:
        """The signed-in user, including their role, organisation, vendor and preferences."""
        user = selectors.user_list(user=request.user).prefetch_related("teams").filter(pk=request.user.pk).first()
        return Response(serializers.CurrentUserSerializer(user or request.user).data)


class ApiTokenViewSet(ScopedReadOnlyViewSet):
    """The signed-in user's own API tokens: list, create (the secret is in the answer, once), revoke.

    A token is personal, not business data: read-only roles (executive, auditor) may have one too.
    """

    serializer_class = serializers.ApiTokenSerializer
    schema_model = ApiToken
    read_only_roles_may_write = True

    def select(self, user):
        return selectors.api_token_list(user=user)

    @extend_schema(request=serializers.ApiTokenInputSerializer, responses={201: serializers.ApiTokenCreatedSerializer})
    def create(self, request: Request) -> Response:
        """Create a token; copy its `secret` now: it is never shown again."""
        data = serializers.ApiTokenInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token, secret = services.api_token_create(
            actor=request.user, owner=request.user, name=data.validated_data["name"], days=data.validated_data["days"]
        )
        token.secret = secret
        return Response(serializers.ApiTokenCreatedSerializer(token).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=serializers.ApiTokenSerializer)
    @action(detail=True, methods=["post"], url_path="revoke")
    def revoke(self, request: Request, pk=None) -> Response:
        """Revoke a token at once (repeating it is harmless)."""
        token = services.api_token_revoke(actor=request.user, token=self.get_object())
        return Response(self.get_serializer(token).data)
