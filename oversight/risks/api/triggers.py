"""API of key risk indicators (`/api/v1/kris/` with readings and an evaluate action), risk events
(`/api/v1/risk-events/`) and vendor-state forecasts (`/api/v1/vendor-states/`).

Views only parse input and call `risks.triggers` / `risks.vendor_states`; visibility comes from
`risks.selectors_triggers` (the organisation's client roles; everyone else gets 404 or an empty list).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from oversight.catalog.selectors import calendar_list, service_list
from oversight.contracts.selectors import contract_list
from oversight.core.api.permissions import ReadOnlyRolesCannotWrite
from oversight.core.api.serializers import ObjectRefSerializer, ScopedPrimaryKeyRelatedField, StrictInputSerializer
from oversight.core.api.viewsets import ScopedReadOnlyViewSet
from oversight.core.kpis import source_label
from oversight.risks import permissions, selectors, vendor_states
from oversight.risks.choices_triggers import KriRule, KriWindow, VendorState
from oversight.risks.models import KeyRiskIndicator, KriReading, RiskEvent
from oversight.risks.selectors import risk_list
from oversight.risks.triggers import KRI_FIELDS, kri_evaluate, kri_save
from oversight.tenancy.models import Vendor
from oversight.tenancy.roles import is_client
from oversight.tenancy.selectors import vendor_list

ERRORS = {
    400: OpenApiResponse(description=_("Invalid input, or a business rule refused it.")),
    403: OpenApiResponse(description=_("Your role may not do this.")),
    404: OpenApiResponse(description=_("Not found, or not visible to you.")),
}


class SeesRiskTriggers(BasePermission):
    """KRIs, risk events and vendor states are for the client side only; vendor staff and requesters get 403."""

    message = _("Only the client side sees key risk indicators, risk events and vendor states.")

    def has_permission(self, request, view) -> bool:
        return is_client(request.user)


# ---------------------------------------------------------------- output


class KriReadingSerializer(serializers.ModelSerializer):
    """One period's value and traffic light."""

    class Meta:
        model = KriReading
        fields = ["period_start", "period_end", "value", "status", "detail", "computed_at"]
        read_only_fields = fields


class KriLinkSerializer(serializers.Serializer):
    """A linked risk and how many probability levels a breach raises it."""

    risk = ObjectRefSerializer(read_only=True)
    number = serializers.CharField(source="risk.number", read_only=True)
    raise_levels = serializers.IntegerField(read_only=True)


class KriSerializer(serializers.ModelSerializer):
    """A key risk indicator with its latest reading."""

    vendor = ObjectRefSerializer(read_only=True)
    contract = ObjectRefSerializer(read_only=True)
    service = ObjectRefSerializer(read_only=True)
    source_label = serializers.SerializerMethodField()
    latest_status = serializers.CharField(read_only=True, allow_null=True)
    latest_value = serializers.DecimalField(max_digits=20, decimal_places=6, read_only=True, allow_null=True)
    latest_period = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = KeyRiskIndicator
        fields = [
            "id",
            *KRI_FIELDS,
            "source_label",
            "last_evaluated_at",
            "latest_status",
            "latest_value",
            "latest_period",
        ]
        read_only_fields = fields

    def get_source_label(self, kri) -> str:
        return str(source_label(kri.source)) if kri.source else ""


class KriDetailSerializer(KriSerializer):
    """A KRI with its linked risks."""

    links = KriLinkSerializer(many=True, read_only=True)

    class Meta(KriSerializer.Meta):
        fields = [*KriSerializer.Meta.fields, "links"]
        read_only_fields = fields


class RiskEventEffectSerializer(serializers.Serializer):
    """What an event did to one risk."""

    risk = ObjectRefSerializer(read_only=True)
    number = serializers.CharField(source="risk.number", read_only=True)
    rating = serializers.IntegerField(source="rating_id", read_only=True, allow_null=True)
    level = serializers.CharField(source="rating.level", read_only=True, default="")
    actions_opened = serializers.IntegerField(read_only=True)
    applied_at = serializers.DateTimeField(read_only=True)


class RiskEventSerializer(serializers.ModelSerializer):
    """A breach episode of a KRI and its effects on the linked risks."""

    kri = ObjectRefSerializer(read_only=True)
    vendor = ObjectRefSerializer(source="kri.vendor", read_only=True)
    effects = RiskEventEffectSerializer(many=True, read_only=True)

    class Meta:
        model = RiskEvent
        fields = [
            "id",
            "kri",
            "vendor",
            "episode_start",
            "breached_on",
            "ended_on",
            "value",
            "raised_at",
            "applied_at",
            "effects",
        ]
        read_only_fields = fields


class MatrixRowSerializer(serializers.Serializer):
    """One row of the estimated matrix."""

    state = serializers.ChoiceField(choices=VendorState.choices, read_only=True)
    probabilities = serializers.ListField(child=serializers.FloatField(), read_only=True)
    observations = serializers.IntegerField(read_only=True)
    prior_used = serializers.BooleanField(read_only=True)


class ReachSerializer(serializers.Serializer):
    """The chance of reaching remediation or exit within a horizon."""

    months = serializers.IntegerField(read_only=True)
    probability = serializers.FloatField(read_only=True)


class VendorForecastSerializer(serializers.Serializer):
    """A vendor's current state, its monthly states and its forecast."""

    vendor = ObjectRefSerializer(read_only=True)
    current_state = serializers.ChoiceField(
        choices=VendorState.choices, source="current", read_only=True, allow_null=True
    )
    reach = serializers.SerializerMethodField()
    expected_months_to_exit = serializers.FloatField(read_only=True, allow_null=True)

    def get_reach(self, forecast) -> list[dict]:
        return [{"months": k, "probability": p} for k, p in forecast.reach.items()]


class VendorStatesSerializer(serializers.Serializer):
    """The estimated matrix and every vendor's forecast."""

    months = serializers.ListField(child=serializers.DateField(), read_only=True)
    matrix = MatrixRowSerializer(many=True, read_only=True)
    forecasts = VendorForecastSerializer(many=True, read_only=True)


class VendorStateDetailSerializer(VendorStatesSerializer):
    """One vendor's forecast with its monthly states (null: no data that month)."""

    states = serializers.ListField(child=serializers.IntegerField(allow_null=True), read_only=True)


# ---------------------------------------------------------------- input


class KriInputSerializer(StrictInputSerializer):
    """A KRI to create or change (the same fields as the page; ``risks`` are ids of the organisation's risks)."""

    name = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    source = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    rule = serializers.ChoiceField(choices=KriRule.choices, required=False, allow_blank=True, default="")
    vendor = ScopedPrimaryKeyRelatedField(vendor_list)
    contract = ScopedPrimaryKeyRelatedField(contract_list, required=False, allow_null=True, default=None)
    service = ScopedPrimaryKeyRelatedField(service_list, required=False, allow_null=True, default=None)
    higher_is_worse = serializers.BooleanField(default=True)
    amber_threshold = serializers.DecimalField(max_digits=20, decimal_places=6)
    red_threshold = serializers.DecimalField(max_digits=20, decimal_places=6)
    window = serializers.ChoiceField(choices=KriWindow.choices, default=KriWindow.MONTH)
    window_days = serializers.IntegerField(min_value=1, max_value=60, default=1)
    calendar = ScopedPrimaryKeyRelatedField(calendar_list, required=False, allow_null=True, default=None)
    persistence = serializers.IntegerField(min_value=1, max_value=24, default=1)
    rule_days = serializers.IntegerField(min_value=1, max_value=365, default=30)
    starts_on = serializers.DateField()
    is_active = serializers.BooleanField(default=True)
    risks = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    raise_levels = serializers.IntegerField(min_value=0, max_value=6, default=1)

    def validate_risks(self, ids):
        found = {r.pk: r for r in risk_list(user=self.context["request"].user).filter(pk__in=ids)}
        missing = [pk for pk in ids if pk not in found]
        if missing:
            raise serializers.ValidationError(_("Unknown risk: %(ids)s") % {"ids": ", ".join(map(str, missing))})
        return [found[pk] for pk in dict.fromkeys(ids)]


# ---------------------------------------------------------------- views


class KriViewSet(ScopedReadOnlyViewSet):
    """Key risk indicators (关键风险指标) of the organisation; client administrators and supervisors write."""

    serializer_class = KriSerializer
    schema_model = KeyRiskIndicator
    permission_classes = [IsAuthenticated, SeesRiskTriggers, ReadOnlyRolesCannotWrite]
    http_method_names = ["get", "post", "put", "head", "options"]

    def select(self, user):
        return selectors.kri_list(user=user).order_by("name", "pk")

    def get_object(self) -> KeyRiskIndicator:
        return selectors.kri_get(user=self.request.user, pk=self.kwargs["pk"])

    def _save(self, request: Request, kri) -> KeyRiskIndicator:
        serializer = KriInputSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        risks, levels = data.pop("risks"), data.pop("raise_levels")
        return kri_save(
            actor=request.user,
            organisation=request.user.organisation,
            kri=kri,
            links=[(risk, levels) for risk in risks],
            **data,
        )

    @extend_schema(summary=_("List key risk indicators"))
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary=_("Read a key risk indicator"), responses={200: KriDetailSerializer, 404: ERRORS[404]})
    def retrieve(self, request: Request, pk=None) -> Response:
        return Response(KriDetailSerializer(self.get_object(), context=self.get_serializer_context()).data)

    @extend_schema(
        summary=_("Create a key risk indicator"),
        request=KriInputSerializer,
        responses={201: KriDetailSerializer, **ERRORS},
    )
    def create(self, request: Request, *args, **kwargs) -> Response:
        kri = self._save(request, None)
        data = KriDetailSerializer(self.get_object_by_pk(kri.pk), context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Change a key risk indicator"),
        request=KriInputSerializer,
        responses={200: KriDetailSerializer, **ERRORS},
    )
    def update(self, request: Request, pk=None, *args, **kwargs) -> Response:
        kri = self._save(request, self.get_object())
        return Response(KriDetailSerializer(self.get_object_by_pk(kri.pk), context=self.get_serializer_context()).data)

    def get_object_by_pk(self, pk) -> KeyRiskIndicator:
        return selectors.kri_get(user=self.request.user, pk=pk)

    @extend_schema(
        summary=_("A key risk indicator's readings, newest first"),
        responses={200: KriReadingSerializer(many=True), 404: ERRORS[404]},
    )
    @action(detail=True, methods=["get"])
    def readings(self, request: Request, pk=None) -> Response:
        kri = self.get_object()
        page = self.paginate_queryset(selectors.kri_readings(kri))
        return self.get_paginated_response(KriReadingSerializer(page, many=True).data)

    @extend_schema(
        summary=_("Evaluate a key risk indicator now"),
        request=None,
        responses={200: KriDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def evaluate(self, request: Request, pk=None) -> Response:
        kri = self.get_object()
        permissions.require(permissions.may_manage(request.user, kri))
        kri_evaluate(kri=kri, actor=request.user)
        return Response(KriDetailSerializer(self.get_object_by_pk(kri.pk), context=self.get_serializer_context()).data)


class RiskEventViewSet(ScopedReadOnlyViewSet):
    """Risk events (风险事件): one per breach episode of a KRI, with what it did to each linked risk."""

    serializer_class = RiskEventSerializer
    schema_model = RiskEvent
    permission_classes = [IsAuthenticated, SeesRiskTriggers]

    def select(self, user):
        return selectors.risk_event_list(user=user)

    @extend_schema(summary=_("List risk events"))
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary=_("Read a risk event"), responses={200: RiskEventSerializer, 404: ERRORS[404]})
    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        return super().retrieve(request, *args, **kwargs)


class VendorStateViewSet(viewsets.ViewSet):
    """The Markov model of vendor states: the estimated matrix and each vendor's forecast."""

    permission_classes = [IsAuthenticated, SeesRiskTriggers]
    serializer_class = VendorStatesSerializer
    schema_model = Vendor

    def _model(self, user, organisation):
        vendors = selectors.markov_vendors(user=user).filter(organisation=organisation)
        return vendor_states.vendor_state_model(organisation=organisation, vendors=vendors)

    @extend_schema(summary=_("Vendor states and forecasts"), responses={200: VendorStatesSerializer})
    def list(self, request: Request) -> Response:
        organisation = request.user.organisation
        if organisation is None:
            return Response({"months": [], "matrix": [], "forecasts": []})
        model = self._model(request.user, organisation)
        data = {"months": model.months, "matrix": model.rows(), "forecasts": model.forecasts}
        return Response(VendorStatesSerializer(data).data)

    @extend_schema(
        summary=_("One vendor's states and forecast"), responses={200: VendorStateDetailSerializer, 404: ERRORS[404]}
    )
    def retrieve(self, request: Request, pk=None) -> Response:
        vendor: Vendor = selectors.markov_vendor_get(user=request.user, pk=pk)
        model = self._model(request.user, vendor.organisation)
        forecast = next(f for f in model.forecasts if f.vendor.pk == vendor.pk)
        data = {"months": model.months, "matrix": model.rows(), "forecasts": [forecast], "states": forecast.states}
        return Response(VendorStateDetailSerializer(data).data)
