"""Input and output serializers of the spare parts API. Input serializers only parse; the services decide."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from oversight.core.api.serializers import ObjectRefSerializer, ScopedPrimaryKeyRelatedField, StrictInputSerializer
from oversight.parts import calc, selectors
from oversight.parts.choices import RECORDABLE_KINDS, MovementKind
from oversight.parts.models import PartItem, StockLevel, StockLocation, StockMovement
from oversight.tenancy.selectors import site_list, vendor_list
from oversight.tickets.selectors import work_order_list

MONEY = {"max_digits": 14, "decimal_places": 2}


@extend_schema_field(OpenApiTypes.STR)
class ScopedWorkOrderNumberField(serializers.SlugRelatedField):
    """A work order given by its number, among those the requesting user may see (others: "does not exist")."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="number", **kwargs)

    def get_queryset(self):
        return work_order_list(user=self.context["request"].user)


class PartItemSerializer(serializers.ModelSerializer):
    """A spare part as the API shows it."""

    vendor = ObjectRefSerializer(read_only=True)
    localized_name = serializers.CharField(read_only=True)

    class Meta:
        model = PartItem
        fields = ["id", "code", "name", "name_en", "localized_name", "unit", "unit_price", "currency", "vendor"]
        fields += ["contract", "is_active"]
        read_only_fields = fields


class PartItemInputSerializer(StrictInputSerializer):
    """A new spare part."""

    code = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    unit = serializers.CharField(max_length=20)
    unit_price = serializers.DecimalField(**MONEY)
    currency = serializers.CharField(max_length=3, required=False, default="CNY")
    vendor = ScopedPrimaryKeyRelatedField(vendor_list)


class StockLocationSerializer(serializers.ModelSerializer):
    """A stock location."""

    site = ObjectRefSerializer(read_only=True)
    localized_name = serializers.CharField(read_only=True)

    class Meta:
        model = StockLocation
        fields = ["id", "code", "name", "name_en", "localized_name", "site", "is_active"]
        read_only_fields = fields


class StockLocationInputSerializer(StrictInputSerializer):
    """A new stock location."""

    code = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    site = ScopedPrimaryKeyRelatedField(site_list)


class StockLevelSerializer(serializers.ModelSerializer):
    """Stock of one part at one location, with what to order and whether it is low."""

    item = ObjectRefSerializer(read_only=True)
    location = ObjectRefSerializer(read_only=True)
    to_order = serializers.SerializerMethodField()
    is_low = serializers.SerializerMethodField()

    class Meta:
        model = StockLevel
        fields = ["id", "item", "location", "on_hand", "on_order", "reorder_point", "target_stock", "to_order"]
        fields += ["is_low"]
        read_only_fields = fields

    def get_to_order(self, level: StockLevel) -> int:
        return calc.to_order(target=level.target_stock, on_hand=level.on_hand, on_order=level.on_order)

    def get_is_low(self, level: StockLevel) -> bool:
        return calc.is_low(on_hand=level.on_hand, reorder_point=level.reorder_point)


class StockMovementSerializer(serializers.ModelSerializer):
    """One row of the stock ledger."""

    item = ObjectRefSerializer(read_only=True)
    location = ObjectRefSerializer(read_only=True)
    counterpart = ObjectRefSerializer(read_only=True)
    work_order = serializers.SlugRelatedField(slug_field="number", read_only=True)
    actor = serializers.CharField(source="actor.__str__", read_only=True)

    class Meta:
        model = StockMovement
        fields = ["id", "at", "kind", "item", "location", "quantity", "on_order_change", "unit_price", "currency"]
        fields += ["work_order", "transfer_key", "counterpart", "reference", "reason", "actor"]
        read_only_fields = fields


class StockMovementInputSerializer(StrictInputSerializer):
    """A movement to record: `quantity` is a count above 0, except for `adjust` (its sign adds or removes)."""

    item = ScopedPrimaryKeyRelatedField(selectors.item_list)
    location = ScopedPrimaryKeyRelatedField(selectors.location_list)
    kind = serializers.ChoiceField(choices=[(k.value, MovementKind(k).label) for k in RECORDABLE_KINDS])
    quantity = serializers.IntegerField()
    work_order = ScopedWorkOrderNumberField(required=False, allow_null=True, default=None)
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class StockTransferInputSerializer(StrictInputSerializer):
    """A transfer of units of one part from one location to another."""

    item = ScopedPrimaryKeyRelatedField(selectors.item_list)
    source = ScopedPrimaryKeyRelatedField(selectors.location_list)
    destination = ScopedPrimaryKeyRelatedField(selectors.location_list)
    quantity = serializers.IntegerField(min_value=1)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
