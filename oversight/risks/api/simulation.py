"""Risk quantification API: each risk's inputs (`/api/v1/risk-quantifications/`, read and create-or-replace) and
the simulation runs (`/api/v1/risk-simulations/`, create, list, read; a run never changes once finished).

Views parse input, call `risks.simulation` and serialize what `risks.selectors` returns; the maths'
refusals come back as the one error body with the field at fault. Like the register and the triggers, only the
client side sees any of it: vendor staff and requesters get 403 before anything is read (`SeesRegister`), another
organisation's inputs and runs are 404."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from oversight.core.api.permissions import ReadOnlyRolesCannotWrite
from oversight.core.api.serializers import ScopedPrimaryKeyRelatedField
from oversight.quant import montecarlo
from oversight.risks import selectors, simulation
from oversight.risks.api.register import SeesRegister
from oversight.risks.choices import RiskCategory
from oversight.risks.models import Risk, RiskQuantification, SimulationRun
from oversight.tenancy.selectors import vendor_list
from oversight.tenancy.visibility import restrict

ERRORS = {
    400: OpenApiResponse(description=_("Invalid input, or a business rule refused it.")),
    403: OpenApiResponse(description=_("Your role may not do this.")),
    404: OpenApiResponse(description=_("Not found, or not visible to you.")),
}


def _risks(*, user):
    return restrict(Risk.objects.all(), user)


class QuantificationSerializer(serializers.ModelSerializer):
    risk_number = serializers.CharField(source="risk.number", read_only=True)

    class Meta:
        model = RiskQuantification
        fields = ["id", "risk", "risk_number", "frequency", "rate", "severity", "low", "mode", "high", "currency"]
        read_only_fields = fields


class QuantificationInputSerializer(serializers.Serializer):
    risk = ScopedPrimaryKeyRelatedField(_risks)
    frequency = serializers.ChoiceField(choices=RiskQuantification._meta.get_field("frequency").choices)
    rate = serializers.DecimalField(max_digits=8, decimal_places=4)
    severity = serializers.ChoiceField(choices=RiskQuantification._meta.get_field("severity").choices)
    low = serializers.DecimalField(max_digits=16, decimal_places=2)
    mode = serializers.DecimalField(max_digits=16, decimal_places=2, required=False, allow_null=True)
    high = serializers.DecimalField(max_digits=16, decimal_places=2)
    currency = serializers.CharField(max_length=3, required=False, default="CNY")


class SimulationListSerializer(serializers.ModelSerializer):
    class Meta:
        model = SimulationRun
        fields = [
            "id",
            "status",
            "progress",
            "vendor",
            "category",
            "iterations",
            "seed",
            "appetite",
            "currency",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields


class SimulationDetailSerializer(SimulationListSerializer):
    class Meta(SimulationListSerializer.Meta):
        fields = [*SimulationListSerializer.Meta.fields, "failure", "heartbeat_at", "rerun_of", "inputs", "result"]
        read_only_fields = fields


class SimulationInputSerializer(serializers.Serializer):
    vendor = ScopedPrimaryKeyRelatedField(vendor_list, required=False, allow_null=True)
    category = serializers.ChoiceField(choices=RiskCategory.choices, required=False, allow_blank=True)
    iterations = serializers.IntegerField(
        min_value=montecarlo.MIN_ITERATIONS, max_value=montecarlo.MAX_ITERATIONS, default=montecarlo.MIN_ITERATIONS
    )
    seed = serializers.IntegerField(min_value=0, max_value=montecarlo.MAX_SEED, required=False, allow_null=True)
    appetite = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0, required=False, allow_null=True)


def _input(serializer_class, request: Request) -> dict:
    serializer = serializer_class(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


@extend_schema_view(
    list=extend_schema(summary=_("List risk quantifications")),
    retrieve=extend_schema(summary=_("Read a risk quantification")),
)
class RiskQuantificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Each risk's yearly loss inputs (frequency and cost estimate); operators create or replace them."""

    serializer_class = QuantificationSerializer
    permission_classes = [IsAuthenticated, SeesRegister, ReadOnlyRolesCannotWrite]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return RiskQuantification.objects.none()
        return selectors.quantification_list(user=self.request.user)

    @extend_schema(
        summary=_("Quantify a risk"),
        description=_("Creates the risk's inputs, or replaces them when it has some."),
        request=QuantificationInputSerializer,
        responses={201: QuantificationSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        data = _input(QuantificationInputSerializer, request)
        q = simulation.quantification_save(actor=request.user, **data)
        return Response(QuantificationSerializer(q).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary=_("List risk simulations")),
    retrieve=extend_schema(summary=_("Read a risk simulation")),
)
class SimulationRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Monte Carlo runs over the register; a new run is queued and its status and progress can be polled."""

    serializer_class = SimulationListSerializer
    permission_classes = [IsAuthenticated, SeesRegister, ReadOnlyRolesCannotWrite]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SimulationRun.objects.none()
        return selectors.simulation_list(user=self.request.user)

    def get_serializer_class(self):
        return SimulationDetailSerializer if self.action == "retrieve" else SimulationListSerializer

    def get_object(self) -> SimulationRun:
        return selectors.simulation_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(
        summary=_("Run a risk simulation"),
        description=_(
            "Simulates the open quantified risks (all, or one vendor's or category's). Without a seed a random one "
            "is chosen and stored; the same seed gives the same result."
        ),
        request=SimulationInputSerializer,
        responses={201: SimulationDetailSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        data = _input(SimulationInputSerializer, request)
        run = simulation.simulation_create(actor=request.user, **data)
        run = selectors.simulation_get(user=request.user, pk=run.pk)
        return Response(SimulationDetailSerializer(run).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Run a failed risk simulation again"),
        description=_(
            "Queues a new run with the failed run's inputs, seed and scope (the failed run keeps its reason), e.g. "
            "after its worker stopped and the sweep marked it failed."
        ),
        request=None,
        responses={201: SimulationDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def rerun(self, request: Request, pk=None) -> Response:
        again = simulation.simulation_rerun(actor=request.user, run=self.get_object())
        again = selectors.simulation_get(user=request.user, pk=again.pk)
        return Response(SimulationDetailSerializer(again).data, status=status.HTTP_201_CREATED)
