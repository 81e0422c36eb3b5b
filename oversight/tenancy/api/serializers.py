"""Output serializers for organisations, sites, vendors, teams and users (read-only over the API)."""

from __future__ import annotations

from rest_framework import serializers

from oversight.tenancy.models import Organisation, Site, Team, User, Vendor


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
