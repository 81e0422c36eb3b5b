"""Serializers for organisations, sites, vendors, teams and users (read-only over the API) and API tokens."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from oversight.core import clock
from oversight.core.api.serializers import StrictInputSerializer
from oversight.tenancy.models import ApiToken, Organisation, Site, Team, User, Vendor
from oversight.tenancy.services import API_TOKEN_DEFAULT_DAYS, API_TOKEN_MAX_DAYS


class OrganisationSerializer(serializers.ModelSerializer):
    """A client organisation."""

    class Meta:
        model = Organisation
        fields = ["id", "name", "code", "time_zone", "work_order_prefix", "is_active"]
        read_only_fields = fields


class SiteSerializer(serializers.ModelSerializer):
    """A site, building, department or room."""

    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Site
        fields = ["id", "organisation", "parent", "kind", "kind_label", "name", "code"]
        read_only_fields = fields


class VendorSerializer(serializers.ModelSerializer):
    """A vendor serving the organisation."""

    tier_label = serializers.CharField(source="get_tier_display", read_only=True)

    class Meta:
        model = Vendor
        fields = [
            "id",
            "organisation",
            "name",
            "code",
            "tier",
            "tier_label",
            "contact_email",
            "contact_phone",
            "is_active",
        ]
        read_only_fields = fields


class TeamSerializer(serializers.ModelSerializer):
    """A team of a vendor's agents."""

    class Meta:
        model = Team
        fields = ["id", "vendor", "name"]
        read_only_fields = fields


class UserSerializer(serializers.ModelSerializer):
    """A person the current user may see."""

    name = serializers.CharField(source="__str__", read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "name",
            "role",
            "role_label",
            "organisation",
            "vendor",
            "department",
            "email",
            "phone",
            "is_active",
        ]
        read_only_fields = fields


class CurrentUserSerializer(UserSerializer):
    """The signed-in user, with their preferences and grants (read-only: roles are changed by administrators)."""

    teams = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta(UserSerializer.Meta):
        fields = [
            *UserSerializer.Meta.fields,
            "first_name",
            "last_name",
            "display_name",
            "language",
            "time_zone",
            "teams",
            "sees_department_work_orders",
            "is_superuser",
        ]
        read_only_fields = fields


class ApiTokenSerializer(serializers.ModelSerializer):
    """One of the user's API tokens (never its secret or hash); `is_active` is false once revoked or expired."""

    is_active = serializers.SerializerMethodField()

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at", "is_active"]
        read_only_fields = fields

    def get_is_active(self, token: ApiToken) -> bool:
        return token.revoked_at is None and token.expires_at > clock.now()


class ApiTokenCreatedSerializer(ApiTokenSerializer):
    """A token just created, with its secret: shown this once, never again."""

    secret = serializers.CharField(read_only=True, help_text=_("Send it as 'Authorization: Token <secret>'."))

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class ApiTokenInputSerializer(StrictInputSerializer):
    """A name and how many days the new token lives (default 90, at most 365)."""

    name = serializers.CharField(max_length=100)
    days = serializers.IntegerField(
        min_value=1, max_value=API_TOKEN_MAX_DAYS, default=API_TOKEN_DEFAULT_DAYS, help_text=_("Days until it expires.")
    )
