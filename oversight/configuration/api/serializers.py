"""Serializers of the configuration API: output shapes, and input shapes whose ids are scoped to the user."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from oversight.configuration import selectors
from oversight.configuration.choices import CheckedField, CIAction, CIStatus
from oversight.configuration.imports import import_progress
from oversight.configuration.models import (
    CIAttributeDefinition,
    CIClass,
    CIImport,
    CIRelation,
    ConfigurationItem,
    RedundancyGroup,
    RelationType,
    SpotCheck,
    SpotCheckItem,
)
from oversight.contracts.selectors import contract_list
from oversight.core.api.serializers import ScopedPrimaryKeyRelatedField
from oversight.tenancy.selectors import site_list, vendor_list


class CIClassRefSerializer(serializers.ModelSerializer):
    """A class as other objects name it."""

    name = serializers.CharField(source="localized_name", read_only=True)

    class Meta:
        model = CIClass
        fields = ["id", "code", "name", "is_business_service"]


class AttributeDefinitionSerializer(serializers.ModelSerializer):
    """One typed attribute of a class."""

    name = serializers.CharField(source="localized_name", read_only=True)

    class Meta:
        model = CIAttributeDefinition
        fields = ["code", "name", "type", "required", "choices", "position"]


class CIClassSerializer(serializers.ModelSerializer):
    """A class with its attribute definitions."""

    name = serializers.CharField(source="localized_name", read_only=True)
    attributes = AttributeDefinitionSerializer(source="attribute_definitions", many=True, read_only=True)

    class Meta:
        model = CIClass
        fields = ["id", "code", "name", "name_en", "kind", "is_business_service", "description", "attributes"]


class CIRefSerializer(serializers.ModelSerializer):
    """A CI as other objects name it."""

    name = serializers.CharField(source="localized_name", read_only=True)

    class Meta:
        model = ConfigurationItem
        fields = ["id", "name", "status"]


class CIListSerializer(serializers.ModelSerializer):
    """A CI in a list."""

    name = serializers.CharField(source="localized_name", read_only=True)
    ci_class = CIClassRefSerializer(read_only=True)
    vendor_name = serializers.CharField(source="vendor.name", default=None, read_only=True)
    site_name = serializers.CharField(source="site.name", default=None, read_only=True)

    class Meta:
        model = ConfigurationItem
        fields = [
            "id",
            "name",
            "ci_class",
            "vendor",
            "vendor_name",
            "site",
            "site_name",
            "status",
            "host_name",
            "serial",
            "asset_tag",
        ]


class CIDetailSerializer(CIListSerializer):
    """A CI with its attributes, contract, group and version (send the version back in If-Match)."""

    class Meta(CIListSerializer.Meta):
        fields = [
            *CIListSerializer.Meta.fields,
            "name_en",
            "warranty_ends_on",
            "support_contract",
            "redundancy_group",
            "attributes",
            "description",
            "created_at",
            "updated_at",
            "version",
        ]


class CIInputSerializer(serializers.Serializer):
    """Recording or changing a CI; ids are limited to what the user may see."""

    name = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    vendor = ScopedPrimaryKeyRelatedField(vendor_list, required=False, allow_null=True)
    site = ScopedPrimaryKeyRelatedField(site_list, required=False, allow_null=True)
    asset_tag = serializers.CharField(max_length=60, required=False, allow_blank=True)
    serial = serializers.CharField(max_length=100, required=False, allow_blank=True)
    host_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    warranty_ends_on = serializers.DateField(required=False, allow_null=True)
    support_contract = ScopedPrimaryKeyRelatedField(contract_list, required=False, allow_null=True)
    redundancy_group = ScopedPrimaryKeyRelatedField(selectors.redundancy_group_list, required=False, allow_null=True)
    attributes = serializers.DictField(required=False)
    description = serializers.CharField(required=False, allow_blank=True)


class CICreateInputSerializer(CIInputSerializer):
    """A new CI: its class and whether it is planned or already in use."""

    ci_class = ScopedPrimaryKeyRelatedField(selectors.ci_class_list)
    status = serializers.ChoiceField(
        choices=CIStatus.choices,
        required=False,
        default=CIStatus.IN_USE,
        help_text=_("A new CI is planned or in use."),
    )


class CITransitionInputSerializer(serializers.Serializer):
    """A status change."""

    action = serializers.ChoiceField(choices=CIAction.choices, help_text=_("One of the CI's status actions."))


class RelationSerializer(serializers.ModelSerializer):
    """source —relation_type→ target."""

    relation_type = serializers.SlugRelatedField(slug_field="code", read_only=True)
    relation_name = serializers.CharField(source="relation_type.localized_name", read_only=True)
    source = CIRefSerializer(read_only=True)
    target = CIRefSerializer(read_only=True)

    class Meta:
        model = CIRelation
        fields = ["id", "source", "relation_type", "relation_name", "target", "created_at"]


class RelationInputSerializer(serializers.Serializer):
    """A new relation between two CIs the user may see."""

    source = ScopedPrimaryKeyRelatedField(selectors.ci_list)
    relation_type = serializers.SlugRelatedField(slug_field="code", queryset=RelationType.objects.all())
    target = ScopedPrimaryKeyRelatedField(selectors.ci_list)


class GraphNodeSerializer(serializers.Serializer):
    """A CI in a graph."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    status = serializers.CharField()
    ci_class = serializers.CharField()
    row = serializers.IntegerField(help_text=_("0: the CI; negative: CIs that need it; positive: what it needs."))


class GraphEdgeSerializer(serializers.Serializer):
    """A relation in a graph."""

    source = serializers.IntegerField()
    target = serializers.IntegerField()
    relation_type = serializers.CharField()


class GraphSerializer(serializers.Serializer):
    """A CI's neighbourhood, two hops each way, over the relations the user may see."""

    nodes = GraphNodeSerializer(many=True)
    edges = GraphEdgeSerializer(many=True)


class ImpactSerializer(serializers.Serializer):
    """What would be impacted if the CI went down now (only what the user may see)."""

    impacted = CIRefSerializer(many=True)
    services = CIRefSerializer(many=True)
    needs = CIRefSerializer(many=True, help_text=_("Everything the CI needs, directly or through others."))


class ImportChangeSerializer(serializers.Serializer):
    """One field a row changes: ``attr:<code>`` for an attribute; site, vendor as ids."""

    field = serializers.CharField()
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)


class ImportRowSerializer(serializers.Serializer):
    """What applying one row of the file does."""

    line = serializers.IntegerField()
    action = serializers.ChoiceField(choices=["create", "update", "unchanged", "error"])
    name = serializers.CharField()
    ci = serializers.IntegerField(allow_null=True, source="ci_id")
    changes = ImportChangeSerializer(many=True)
    reasons = serializers.ListField(child=serializers.CharField())


class ImportSerializer(serializers.ModelSerializer):
    """An import: its status, counts and progress (rows written of rows to write)."""

    progress = serializers.SerializerMethodField()

    class Meta:
        model = CIImport
        fields = [
            "id",
            "file_name",
            "status",
            "row_count",
            "counts",
            "failure",
            "created_at",
            "finished_at",
            "progress",
        ]

    def get_progress(self, obj) -> dict[str, int]:
        done, total = import_progress(ci_import=obj)
        return {"done": done, "total": total}


class ImportDetailSerializer(ImportSerializer):
    """An import with its dry run, row by row (only while it is checked or failed)."""

    rows = ImportRowSerializer(many=True, read_only=True, source="plan_rows")

    class Meta(ImportSerializer.Meta):
        fields = [*ImportSerializer.Meta.fields, "rows"]


class ImportInputSerializer(serializers.Serializer):
    """A CSV or XLSX file; ``dry_run`` (default true) only checks it, false applies it when no row errs."""

    file = serializers.FileField()
    dry_run = serializers.BooleanField(default=True)


class SpotCheckItemSerializer(serializers.ModelSerializer):
    """One checked field of one CI."""

    class Meta:
        model = SpotCheckItem
        fields = ["ci", "field", "correct"]


class SpotCheckSerializer(serializers.ModelSerializer):
    """A spot check with its checked fields and how many were correct."""

    vendor_name = serializers.CharField(source="vendor.name", read_only=True)
    items = SpotCheckItemSerializer(many=True, read_only=True)
    checked = serializers.SerializerMethodField()
    correct = serializers.SerializerMethodField()

    class Meta:
        model = SpotCheck
        fields = ["id", "vendor", "vendor_name", "checked_on", "note", "created_at", "checked", "correct", "items"]

    def get_checked(self, obj) -> int:
        return len(obj.items.all())

    def get_correct(self, obj) -> int:
        return sum(1 for item in obj.items.all() if item.correct)


class SpotCheckItemInputSerializer(serializers.Serializer):
    """A checked field: the CI (one the user may see), the field and whether the record was correct."""

    ci = ScopedPrimaryKeyRelatedField(selectors.ci_list)
    field = serializers.ChoiceField(choices=CheckedField.choices)
    correct = serializers.BooleanField()


class SpotCheckInputSerializer(serializers.Serializer):
    """A new spot check of one vendor's CIs."""

    vendor = ScopedPrimaryKeyRelatedField(vendor_list)
    checked_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")
    items = SpotCheckItemInputSerializer(many=True, allow_empty=False)


class RedundancyGroupStateSerializer(serializers.Serializer):
    """A group's state now, from the impact walk: members (retired ones not counted), how many must be up, how
    many are up, and whether the group works."""

    members = serializers.IntegerField()
    required = serializers.IntegerField()
    up = serializers.IntegerField()
    works = serializers.BooleanField()


class RedundancyGroupSerializer(serializers.ModelSerializer):
    """A redundancy group with its rule (n up, or p % up), the members the reader may see and its state now."""

    members = serializers.SerializerMethodField()
    state = serializers.SerializerMethodField()

    class Meta:
        model = RedundancyGroup
        fields = ["id", "name", "name_en", "min_up", "min_up_percent", "members", "state"]

    def get_members(self, obj) -> list[int]:
        return sorted(getattr(obj, "visible_member_ids", []))

    @extend_schema_field(RedundancyGroupStateSerializer(allow_null=True))
    def get_state(self, obj) -> dict | None:
        return getattr(obj, "state", None)


class RedundancyGroupInputSerializer(serializers.Serializer):
    """A group's names, its rule — either how many members must be up or what percentage — and its members
    (on a change, the CIs left out leave the group; without `members` they stay as they are)."""

    name = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    min_up = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=32767)
    min_up_percent = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=100)
    members = ScopedPrimaryKeyRelatedField(selectors.ci_list, many=True, required=False)
