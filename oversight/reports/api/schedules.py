"""Report delivery API: report schedules (list, read, create, change, switch off/on, send now) and their
deliveries with every recipient's outcome (read-only).

Visibility comes from reports.selectors.schedules (invisible = 404); who may act is decided by the services
(client administrators and supervisors; others 403).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from oversight.catalog.models import BusinessCalendar
from oversight.contracts.models import Contract
from oversight.core.api.permissions import ReadOnlyRolesCannotWrite
from oversight.core.api.viewsets import ScopedReadOnlyViewSet
from oversight.core.errors import NotAllowed
from oversight.reports import services
from oversight.reports.models import DeliveryRecipient, ReportDelivery, ReportSchedule
from oversight.reports.permissions import may_manage_schedules
from oversight.reports.schedule import MAX_WORKING_DAY, MIN_WORKING_DAY
from oversight.reports.selectors import schedules as selectors
from oversight.scorecards.choices import PeriodKind
from oversight.tenancy.models import User, Vendor
from oversight.tenancy.visibility import restrict

ERRORS = {
    400: OpenApiResponse(description=_("Invalid input, or a business rule refused it.")),
    403: OpenApiResponse(description=_("Your role may not do this.")),
    404: OpenApiResponse(description=_("Not found, or not visible to you.")),
}


# --------------------------------------------------------------------------------------------------
# serializers
# --------------------------------------------------------------------------------------------------


class RecipientSerializer(serializers.ModelSerializer):
    """A recipient of a schedule."""

    name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "name", "role", "email", "language"]
        read_only_fields = fields


class ScheduleSerializer(serializers.ModelSerializer):
    """A schedule: what is sent (vendor, contract), when (kind, working day, calendar), to whom."""

    vendor_name = serializers.CharField(source="vendor.name", read_only=True)
    contract_number = serializers.CharField(source="contract.number", read_only=True, default=None)
    calendar_name = serializers.CharField(source="calendar.name", read_only=True)
    recipients = RecipientSerializer(many=True, read_only=True)

    class Meta:
        model = ReportSchedule
        fields = [
            "id",
            "vendor",
            "vendor_name",
            "contract",
            "contract_number",
            "kind",
            "working_day",
            "calendar",
            "calendar_name",
            "recipients",
            "is_active",
            "active_since",
            "pending_reason",
            "created_at",
            "created_by",
            "updated_at",
            "updated_by",
        ]
        read_only_fields = fields


class _RelatedId(serializers.PrimaryKeyRelatedField):
    """A primary key of an object the acting user may see through the visibility gate (else it reads as unknown)."""

    def get_queryset(self):
        request = self.context.get("request")
        qs = super().get_queryset()
        if request is None:
            return qs
        return restrict(qs, request.user)


class ScheduleInputSerializer(serializers.Serializer):
    """The fields of a new or changed schedule (the vendor is set at creation only)."""

    vendor = _RelatedId(queryset=Vendor.objects.all(), help_text=_("The vendor whose report is sent."))
    contract = _RelatedId(
        queryset=Contract.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Empty: the report covers all of the vendor's work; otherwise that contract's report."),
    )
    kind = serializers.ChoiceField(choices=PeriodKind.choices, default=PeriodKind.MONTHLY)
    working_day = serializers.IntegerField(min_value=MIN_WORKING_DAY, max_value=MAX_WORKING_DAY, default=3)
    calendar = _RelatedId(queryset=BusinessCalendar.objects.all())
    recipients = _RelatedId(queryset=User.objects.all(), many=True)


class ScheduleUpdateSerializer(ScheduleInputSerializer):
    """A change of a schedule: everything but the vendor."""

    vendor = None


class SendInputSerializer(serializers.Serializer):
    """Which ended period to send now."""

    period = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_("A month as 2026-10 or a quarter as 2026-Q3; empty: the last ended period."),
    )


class DeliveryRecipientSerializer(serializers.ModelSerializer):
    """One recipient's outcome."""

    class Meta:
        model = DeliveryRecipient
        fields = ["id", "user", "email", "outcome", "reason", "detail", "at"]
        read_only_fields = fields


class DeliverySerializer(serializers.ModelSerializer):
    """One period's delivery of a schedule with each recipient's outcome."""

    outcomes = DeliveryRecipientSerializer(many=True, read_only=True)

    class Meta:
        model = ReportDelivery
        fields = [
            "id",
            "schedule",
            "period_key",
            "period_first",
            "period_last",
            "status",
            "requested_by",
            "started_at",
            "finished_at",
            "outcomes",
        ]
        read_only_fields = fields


# --------------------------------------------------------------------------------------------------
# viewsets
# --------------------------------------------------------------------------------------------------


class ReportScheduleViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Report schedules visible to the signed-in user; client administrators and supervisors manage them."""

    serializer_class = ScheduleSerializer
    permission_classes = [IsAuthenticated, ReadOnlyRolesCannotWrite]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ReportSchedule.objects.none()
        return selectors.schedule_list(user=self.request.user)

    def get_object(self) -> ReportSchedule:
        return selectors.schedule_get(user=self.request.user, pk=self.kwargs["pk"])

    def _out(self, schedule: ReportSchedule, code=status.HTTP_200_OK) -> Response:
        fresh = selectors.schedule_get(user=self.request.user, pk=schedule.pk)
        return Response(ScheduleSerializer(fresh).data, status=code)

    @extend_schema(summary=_("List report schedules"), description=_("Vendor managers see their own vendor's."))
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary=_("Read a report schedule"), responses={200: ScheduleSerializer, **ERRORS})
    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary=_("Create a report schedule"),
        request=ScheduleInputSerializer,
        responses={201: ScheduleSerializer, **ERRORS},
    )
    def create(self, request: Request, *args, **kwargs) -> Response:
        # Refuse a role that never manages schedules before reading the body: the people and objects it names
        # may be out of that role's sight (vendor staff see no client staff), which would read as a 400.
        if not may_manage_schedules(request.user):
            raise NotAllowed(_("Only the organisation's administrators and supervisors manage report schedules."))
        data = ScheduleInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = data.validated_data
        schedule = services.schedule_create(
            actor=request.user,
            organisation=values["vendor"].organisation,
            vendor=values["vendor"],
            contract=values.get("contract"),
            kind=values["kind"],
            working_day=values["working_day"],
            calendar=values["calendar"],
            recipients=values["recipients"],
        )
        return self._out(schedule, status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Change a report schedule"),
        request=ScheduleUpdateSerializer,
        responses={200: ScheduleSerializer, **ERRORS},
    )
    def update(self, request: Request, pk=None) -> Response:
        schedule = self.get_object()
        data = ScheduleUpdateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = data.validated_data
        schedule = services.schedule_update(
            actor=request.user,
            schedule=schedule,
            contract=values.get("contract"),
            kind=values["kind"],
            working_day=values["working_day"],
            calendar=values["calendar"],
            recipients=values["recipients"],
        )
        return self._out(schedule)

    @extend_schema(
        summary=_("Switch a report schedule off"), request=None, responses={200: ScheduleSerializer, **ERRORS}
    )
    @action(detail=True, methods=["post"])
    def deactivate(self, request: Request, pk=None) -> Response:
        return self._out(services.schedule_deactivate(actor=request.user, schedule=self.get_object()))

    @extend_schema(
        summary=_("Switch a report schedule back on"), request=None, responses={200: ScheduleSerializer, **ERRORS}
    )
    @action(detail=True, methods=["post"])
    def activate(self, request: Request, pk=None) -> Response:
        return self._out(services.schedule_activate(actor=request.user, schedule=self.get_object()))

    @extend_schema(
        summary=_("Send an ended period's report now"),
        description=_("Each period is sent once; a failed delivery is retried for the failed recipients."),
        request=SendInputSerializer,
        responses={201: DeliverySerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def send(self, request: Request, pk=None) -> Response:
        schedule = self.get_object()
        data = SendInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        period = services.period_to_send(schedule, data.validated_data.get("period", ""))
        delivery = services.delivery_send(schedule=schedule, period=period, actor=request.user)
        delivery = selectors.delivery_get(user=request.user, pk=delivery.pk)
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_201_CREATED)


class ReportDeliveryViewSet(ScopedReadOnlyViewSet):
    """Deliveries of the report schedules visible to the signed-in user, with each recipient's outcome."""

    serializer_class = DeliverySerializer
    schema_model = ReportDelivery

    def select(self, user):
        return selectors.delivery_list(user=user)

    @extend_schema(summary=_("List report deliveries"))
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary=_("Read a report delivery"), responses={200: DeliverySerializer, **ERRORS})
    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        return super().retrieve(request, *args, **kwargs)
