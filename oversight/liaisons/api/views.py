"""API of the liaisons app: liaisons (`/api/v1/liaisons/`, read and write), escalation matrices
(`/api/v1/escalation-matrices/`, read and create) and their levels (`/api/v1/escalation-rules/`, read, add, change,
remove), escalations (read), hotline reports (read, and the `convert` and `dismiss` actions).

Views only parse input and call the services; visibility comes from `liaisons.selectors` (another vendor's or
organisation's objects are 404)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from oversight.catalog.choices import Priority
from oversight.catalog.selectors import calendar_list, service_list
from oversight.core.api.permissions import ReadOnlyRolesCannotWrite
from oversight.core.api.serializers import ObjectRefSerializer, ScopedPrimaryKeyRelatedField, StrictInputSerializer
from oversight.core.api.viewsets import ScopedReadOnlyViewSet
from oversight.liaisons import selectors
from oversight.liaisons.choices import Delivery, LiaisonRole, Trigger
from oversight.liaisons.filters import EscalationFilter
from oversight.liaisons.models import (
    Escalation,
    EscalationMatrix,
    EscalationRule,
    EscalationStep,
    HotlineReport,
    Liaison,
)
from oversight.liaisons.services.hotline import hotline_report_convert, hotline_report_dismiss
from oversight.liaisons.services.liaisons import (
    MAX_DEPUTIES,
    liaison_delete,
    liaison_save,
    matrix_save,
    rule_delete,
    rule_save,
)
from oversight.notifications.channels.selectors import channel_list
from oversight.tenancy.roles import is_client, is_requester, is_signed_in
from oversight.tenancy.selectors import user_list, vendor_list
from oversight.tickets.selectors import work_order_list

ERRORS = {
    400: OpenApiResponse(description=_("Invalid input, or a business rule refused it.")),
    403: OpenApiResponse(description=_("Your role may not do this.")),
    404: OpenApiResponse(description=_("Not found, or not visible to you.")),
}


class StaffOnly(BasePermission):
    """Liaisons, matrices and escalations are for the client's and the vendors' staff; requesters get 403."""

    message = _("Only the client's and the vendors' staff see liaisons and escalations.")

    def has_permission(self, request, view) -> bool:
        return is_signed_in(request.user) and not is_requester(request.user)


class ClientOnly(BasePermission):
    """The hotline's reports are the client's."""

    message = _("Only the client side sees hotline reports.")

    def has_permission(self, request, view) -> bool:
        return is_client(request.user)


# ---------------------------------------------------------------- liaisons


class DeputySerializer(serializers.Serializer):
    """One deputy, in order."""

    user = ScopedPrimaryKeyRelatedField(user_list, required=False, allow_null=True)
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")


class DeputyOutSerializer(serializers.Serializer):
    """A deputy as read."""

    position = serializers.IntegerField(read_only=True)
    user = serializers.IntegerField(source="user_id", read_only=True, allow_null=True)
    name = serializers.CharField(source="display_name", read_only=True)
    phone = serializers.CharField(source="display_phone", read_only=True)
    email = serializers.CharField(source="display_email", read_only=True)


class LiaisonSerializer(serializers.ModelSerializer):
    """A liaison with their person, working hours and deputies."""

    vendor = ObjectRefSerializer(read_only=True, allow_null=True)
    display_name = serializers.CharField(read_only=True)
    deputies = DeputyOutSerializer(many=True, read_only=True)

    class Meta:
        model = Liaison
        fields = [
            "id",
            "vendor",
            "role",
            "user",
            "name",
            "display_name",
            "phone",
            "email",
            "calendar",
            "on_hotline",
            "position",
            "deputies",
            "version",
        ]
        read_only_fields = fields


class LiaisonInputSerializer(StrictInputSerializer):
    """What a client operator (or the vendor's manager, for their vendor) gives to add or change a liaison."""

    vendor = ScopedPrimaryKeyRelatedField(vendor_list, required=False, allow_null=True)
    role = serializers.ChoiceField(choices=LiaisonRole.choices)
    user = ScopedPrimaryKeyRelatedField(user_list, required=False, allow_null=True)
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    calendar = ScopedPrimaryKeyRelatedField(calendar_list, required=False, allow_null=True)
    on_hotline = serializers.BooleanField(required=False, default=False)
    position = serializers.IntegerField(min_value=0, max_value=99, required=False, default=0)
    deputies = DeputySerializer(many=True, required=False, max_length=MAX_DEPUTIES)


class LiaisonViewSet(ScopedReadOnlyViewSet):
    """Liaisons (联络人) by role, of the client organisation and of each vendor."""

    serializer_class = LiaisonSerializer
    schema_model = Liaison
    permission_classes = [IsAuthenticated, StaffOnly, ReadOnlyRolesCannotWrite]
    http_method_names = ["get", "post", "put", "delete", "head", "options"]

    def select(self, user):
        return selectors.liaison_list(user=user)

    def get_object(self) -> Liaison:
        return selectors.liaison_get(user=self.request.user, pk=self.kwargs["pk"])

    def _save(self, request: Request, liaison) -> Liaison:  # the object is looked up first: invisible is 404
        serializer = LiaisonInputSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        deputies = [dict(d) for d in data.pop("deputies", [])]
        saved = liaison_save(
            actor=request.user, organisation=request.user.organisation, liaison=liaison, deputies=deputies, **data
        )
        return selectors.liaison_get(user=request.user, pk=saved.pk)

    @extend_schema(summary=_("List liaisons"))
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary=_("Read a liaison"), responses={200: LiaisonSerializer, 404: ERRORS[404]})
    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary=_("Add a liaison"), request=LiaisonInputSerializer, responses={201: LiaisonSerializer, **ERRORS}
    )
    def create(self, request: Request, *args, **kwargs) -> Response:
        liaison = self._save(request, None)
        return Response(LiaisonSerializer(liaison).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Change a liaison"), request=LiaisonInputSerializer, responses={200: LiaisonSerializer, **ERRORS}
    )
    def update(self, request: Request, *args, **kwargs) -> Response:
        return Response(LiaisonSerializer(self._save(request, self.get_object())).data)

    @extend_schema(summary=_("Remove a liaison"), responses={204: None, **ERRORS})
    def destroy(self, request: Request, *args, **kwargs) -> Response:
        liaison_delete(actor=request.user, liaison=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


# ---------------------------------------------------------------- matrices and escalations


class RuleSerializer(serializers.ModelSerializer):
    """One level of a matrix."""

    class Meta:
        model = EscalationRule
        fields = ["id", "trigger", "priority", "level", "wait_hours", "roles", "users", "delivery", "channel"]
        read_only_fields = fields


class MatrixSerializer(serializers.ModelSerializer):
    """An escalation matrix (the organisation's when vendor is null) with its levels."""

    vendor = ObjectRefSerializer(read_only=True, allow_null=True)
    calendar = ObjectRefSerializer(read_only=True)
    rules = RuleSerializer(many=True, read_only=True)

    class Meta:
        model = EscalationMatrix
        fields = ["id", "vendor", "calendar", "rules"]
        read_only_fields = fields


class MatrixInputSerializer(StrictInputSerializer):
    """The organisation's matrix (no vendor) or a vendor's override, and the business calendar its waits count on."""

    vendor = ScopedPrimaryKeyRelatedField(vendor_list, required=False, allow_null=True, default=None)
    calendar = ScopedPrimaryKeyRelatedField(calendar_list)


class MatrixCalendarSerializer(StrictInputSerializer):
    """A matrix's business calendar."""

    calendar = ScopedPrimaryKeyRelatedField(calendar_list)


class MatrixViewSet(ScopedReadOnlyViewSet):
    """Escalation matrices (升级矩阵): the organisation's and the vendors' overrides. The client's supervisors and
    administrators create one (or change its calendar); its levels are written at `/escalation-rules/`."""

    serializer_class = MatrixSerializer
    schema_model = EscalationMatrix
    permission_classes = [IsAuthenticated, StaffOnly, ReadOnlyRolesCannotWrite]
    http_method_names = ["get", "post", "put", "head", "options"]

    def select(self, user):
        return selectors.matrix_list(user=user)

    def get_object(self) -> EscalationMatrix:
        return selectors.matrix_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(summary=_("List escalation matrices"))
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary=_("Read an escalation matrix"), responses={200: MatrixSerializer, 404: ERRORS[404]})
    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary=_("Create an escalation matrix (or change the calendar of the existing one)"),
        request=MatrixInputSerializer,
        responses={201: MatrixSerializer, **ERRORS},
    )
    def create(self, request: Request, *args, **kwargs) -> Response:
        data = MatrixInputSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        matrix = matrix_save(actor=request.user, organisation=request.user.organisation, **data.validated_data)
        return Response(
            MatrixSerializer(selectors.matrix_get(user=request.user, pk=matrix.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary=_("Change an escalation matrix's calendar"),
        request=MatrixCalendarSerializer,
        responses={200: MatrixSerializer, **ERRORS},
    )
    def update(self, request: Request, *args, **kwargs) -> Response:
        matrix = self.get_object()
        data = MatrixCalendarSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        matrix_save(
            actor=request.user,
            organisation=matrix.organisation,
            vendor=matrix.vendor,
            calendar=data.validated_data["calendar"],
        )
        return Response(MatrixSerializer(selectors.matrix_get(user=request.user, pk=matrix.pk)).data)


class RuleOutSerializer(RuleSerializer):
    """One level of a matrix, with the matrix it belongs to."""

    class Meta(RuleSerializer.Meta):
        fields = ["id", "matrix", *RuleSerializer.Meta.fields[1:]]
        read_only_fields = fields


class RuleInputSerializer(StrictInputSerializer):
    """One level: trigger (and the priority for SLA breaches), level, wait in business hours, who hears of it
    (liaison roles and/or people) and how (in-app, e-mail or a group chat). ``matrix`` only when adding."""

    matrix = ScopedPrimaryKeyRelatedField(selectors.matrix_list, required=False)
    trigger = serializers.ChoiceField(choices=Trigger.choices)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False, allow_blank=True, default="")
    level = serializers.IntegerField(min_value=1, max_value=9)
    wait_hours = serializers.DecimalField(max_digits=7, decimal_places=2, min_value=0, max_value=10000)
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=LiaisonRole.choices), required=False, default=list, max_length=10
    )
    users = ScopedPrimaryKeyRelatedField(user_list, many=True, required=False, default=list)
    delivery = serializers.ChoiceField(choices=Delivery.choices)
    channel = ScopedPrimaryKeyRelatedField(channel_list, required=False, allow_null=True, default=None)


class RuleViewSet(ScopedReadOnlyViewSet):
    """The levels of the escalation matrices: read by the staff who see the matrix, written (added, changed,
    removed) by the client's supervisors and administrators, with the same checks and audit as the pages."""

    serializer_class = RuleOutSerializer
    schema_model = EscalationRule
    permission_classes = [IsAuthenticated, StaffOnly, ReadOnlyRolesCannotWrite]
    http_method_names = ["get", "post", "put", "delete", "head", "options"]

    def select(self, user):
        return selectors.rule_list(user=user)

    def get_object(self) -> EscalationRule:
        return selectors.rule_get(user=self.request.user, pk=self.kwargs["pk"])

    def _input(self, request: Request) -> dict:
        data = RuleInputSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)

    def _out(self, request: Request, rule: EscalationRule, code=status.HTTP_200_OK) -> Response:
        return Response(RuleOutSerializer(selectors.rule_get(user=request.user, pk=rule.pk)).data, status=code)

    @extend_schema(summary=_("List escalation levels"))
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary=_("Read an escalation level"), responses={200: RuleOutSerializer, 404: ERRORS[404]})
    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary=_("Add an escalation level"), request=RuleInputSerializer, responses={201: RuleOutSerializer, **ERRORS}
    )
    def create(self, request: Request, *args, **kwargs) -> Response:
        values = self._input(request)
        matrix = values.pop("matrix", None)
        if matrix is None:
            raise serializers.ValidationError({"matrix": [_("Name the matrix the level belongs to.")]})
        rule = rule_save(actor=request.user, matrix=matrix, users=values.pop("users"), **values)
        return self._out(request, rule, status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Change an escalation level"),
        request=RuleInputSerializer,
        responses={200: RuleOutSerializer, **ERRORS},
    )
    def update(self, request: Request, *args, **kwargs) -> Response:
        rule = self.get_object()
        values = self._input(request)
        matrix = values.pop("matrix", None)
        if matrix is not None and matrix.pk != rule.matrix_id:
            raise serializers.ValidationError({"matrix": [_("A level does not move to another matrix.")]})
        rule = rule_save(actor=request.user, matrix=rule.matrix, rule=rule, users=values.pop("users"), **values)
        return self._out(request, rule)

    @extend_schema(summary=_("Remove an escalation level"), responses={204: None, **ERRORS})
    def destroy(self, request: Request, *args, **kwargs) -> Response:
        rule_delete(actor=request.user, rule=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class StepSerializer(serializers.ModelSerializer):
    """One level sent: when it fell due, when it went, to whom."""

    class Meta:
        model = EscalationStep
        fields = ["level", "due_at", "sent_at", "delivery", "recipients"]
        read_only_fields = fields


class EscalationSerializer(serializers.ModelSerializer):
    """An escalation episode with the levels sent."""

    vendor = ObjectRefSerializer(read_only=True, allow_null=True)
    steps = StepSerializer(many=True, read_only=True)

    class Meta:
        model = Escalation
        fields = [
            "id",
            "trigger",
            "priority",
            "subject_type",
            "subject_id",
            "title",
            "url",
            "vendor",
            "started_at",
            "status",
            "level",
            "settled_at",
            "steps",
        ]
        read_only_fields = fields


class EscalationViewSet(ScopedReadOnlyViewSet):
    """Escalation episodes (升级) and the levels sent for each."""

    serializer_class = EscalationSerializer
    schema_model = Escalation
    permission_classes = [IsAuthenticated, StaffOnly]

    def select(self, user):
        queryset = selectors.escalation_list(user=user).prefetch_related("steps")
        return EscalationFilter(self.request.query_params, queryset=queryset, user=user).qs

    @extend_schema(summary=_("List escalations"))
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary=_("Read an escalation"), responses={200: EscalationSerializer, 404: ERRORS[404]})
    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        return super().retrieve(request, *args, **kwargs)


# ---------------------------------------------------------------- hotline reports


class HotlineReportSerializer(serializers.ModelSerializer):
    """A report to the supervision hotline and what it became."""

    area = serializers.CharField(source="area.localized_name", read_only=True, allow_null=True, default=None)

    class Meta:
        model = HotlineReport
        fields = [
            "id",
            "area",
            "description",
            "contact",
            "status",
            "received_at",
            "triaged_at",
            "complaint",
            "work_order",
            "resolved_at",
            "note",
        ]
        read_only_fields = fields


class ConvertInputSerializer(StrictInputSerializer):
    """Pass a report on: a complaint about a visible work order, or a new work order of a service."""

    summary = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    work_order = ScopedPrimaryKeyRelatedField(work_order_list, required=False, allow_null=True, default=None)
    service = ScopedPrimaryKeyRelatedField(service_list, required=False, allow_null=True, default=None)


class DismissInputSerializer(StrictInputSerializer):
    """Dismiss a report, with the reason."""

    note = serializers.CharField(max_length=2000)


class HotlineReportViewSet(ScopedReadOnlyViewSet):
    """Reports received through the public supervision hotline page (监管热线)."""

    serializer_class = HotlineReportSerializer
    schema_model = HotlineReport
    permission_classes = [IsAuthenticated, ClientOnly, ReadOnlyRolesCannotWrite]

    def select(self, user):
        return selectors.hotline_report_list(user=user)

    def get_object(self) -> HotlineReport:
        return selectors.hotline_report_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(summary=_("List hotline reports"))
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary=_("Read a hotline report"), responses={200: HotlineReportSerializer, 404: ERRORS[404]})
    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary=_("Pass a hotline report on as a complaint or a work order"),
        request=ConvertInputSerializer,
        responses={200: HotlineReportSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def convert(self, request: Request, pk=None) -> Response:
        report = self.get_object()
        serializer = ConvertInputSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        report = hotline_report_convert(actor=request.user, report=report, **serializer.validated_data)
        return Response(HotlineReportSerializer(selectors.hotline_report_get(user=request.user, pk=report.pk)).data)

    @extend_schema(
        summary=_("Dismiss a hotline report"),
        request=DismissInputSerializer,
        responses={200: HotlineReportSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def dismiss(self, request: Request, pk=None) -> Response:
        report = self.get_object()
        serializer = DismissInputSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        report = hotline_report_dismiss(actor=request.user, report=report, **serializer.validated_data)
        return Response(HotlineReportSerializer(selectors.hotline_report_get(user=request.user, pk=report.pk)).data)
