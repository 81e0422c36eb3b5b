"""Meetings API: communication plans and series (read), meetings with their agenda, participants, decisions and
action items, transitions and sign-off as POST actions (If-Match against the ETag), the agenda prefill; action
items with their history and transitions, and an overdue filter.

Views only parse input (serializers), call a service or a selector and serialize the result. Visibility comes
from meetings.selectors: what the reader may not see is a 404.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from oversight.core.api.etags import if_match_version
from oversight.core.api.permissions import ReadOnlyRolesCannotWrite
from oversight.core.api.responses import CHANGE_ERRORS, ERRORS, IF_MATCH, transition_parameter
from oversight.core.api.viewsets import ScopedReadOnlyViewSet
from oversight.core.filters import parse_id
from oversight.meetings import selectors, services
from oversight.meetings.api import serializers as s
from oversight.meetings.choices import ActionAction, MeetingAction
from oversight.meetings.models import ActionItem, CommunicationPlan, Meeting, MeetingSeries
from oversight.tenancy.roles import is_client, is_vendor


class SeesMeetings(BasePermission):
    """Meetings are for the client side and vendor staff; requesters get 403."""

    message = _("Your role cannot see meetings.")

    def has_permission(self, request, view) -> bool:
        return is_client(request.user) or is_vendor(request.user)


PERMISSIONS = [IsAuthenticated, SeesMeetings, ReadOnlyRolesCannotWrite]


def _input(request: Request, serializer_class, context=None) -> dict:
    serializer = serializer_class(data=request.data, context=context or {"request": request})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class PlanViewSet(ScopedReadOnlyViewSet):
    """Communication plans (沟通计划) the signed-in user may see, with their rows."""

    serializer_class = s.MeetingPlanSerializer
    permission_classes = PERMISSIONS
    schema_model = CommunicationPlan

    def select(self, user):
        return selectors.plan_list(user=user).prefetch_related("rows__owner")


class SeriesViewSet(ScopedReadOnlyViewSet):
    """Meeting series the signed-in user may see."""

    serializer_class = s.MeetingSeriesSerializer
    permission_classes = PERMISSIONS
    schema_model = MeetingSeries

    def select(self, user):
        return selectors.series_list(user=user)


class MeetingViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Meetings (会议) the signed-in user may see; the client's operators and the vendor's manager run them."""

    serializer_class = s.MeetingListSerializer
    permission_classes = PERMISSIONS
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Meeting.objects.none()
        return selectors.meeting_list(user=self.request.user).order_by("-starts_at", "-pk")

    def get_object(self) -> Meeting:
        return selectors.meeting_get(user=self.request.user, pk=self.kwargs["pk"])

    def _detail(self, pk, *, status_code: int = status.HTTP_200_OK) -> Response:
        meeting = selectors.meeting_get(user=self.request.user, pk=pk)
        response = Response(s.MeetingDetailSerializer(meeting).data, status_code)
        response["ETag"] = meeting.etag
        return response

    def _version(self, meeting: Meeting) -> int | None:
        return if_match_version(self.request, meeting, _("If-Match does not match this meeting's ETag."))

    @extend_schema(summary=_("List meetings"))
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary=_("Read a meeting"), responses={200: s.MeetingDetailSerializer, 404: ERRORS[404]})
    def retrieve(self, request: Request, pk=None) -> Response:
        return self._detail(self.get_object().pk)

    @extend_schema(
        summary=_("Perform a meeting transition"),
        description=_("hold (the minutes fall due), draft (submit the minutes for signature), cancel."),
        parameters=[
            transition_parameter(a for a in MeetingAction.values if a != MeetingAction.SIGN),
            IF_MATCH,
        ],
        request=s.MeetingEmptyInputSerializer,
        responses={200: s.MeetingDetailSerializer, **CHANGE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path=r"transitions/(?P<transition>[a-z_]+)", url_name="transition")
    def transition(self, request: Request, pk=None, transition: str = "") -> Response:
        if transition not in MeetingAction.values or transition == MeetingAction.SIGN:
            raise NotFound(_("Unknown transition: %(name)s") % {"name": transition})
        meeting = self.get_object()
        _input(request, s.MeetingEmptyInputSerializer)
        services.meeting_transition(
            actor=request.user, meeting=meeting, action=transition, expected_version=self._version(meeting)
        )
        return self._detail(meeting.pk)

    @extend_schema(
        summary=_("Sign the submitted minutes for one side"),
        request=s.MeetingSignInputSerializer,
        responses={200: s.MeetingDetailSerializer, **CHANGE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="sign", url_name="sign")
    def sign(self, request: Request, pk=None) -> Response:
        meeting = self.get_object()
        services.meeting_sign(
            actor=request.user, meeting=meeting, side=_input(request, s.MeetingSignInputSerializer)["side"]
        )
        return self._detail(meeting.pk)

    @extend_schema(
        summary=_("Save the minutes"),
        parameters=[IF_MATCH],
        request=s.MeetingMinutesInputSerializer,
        responses={200: s.MeetingDetailSerializer, **CHANGE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="minutes", url_name="minutes")
    def minutes(self, request: Request, pk=None) -> Response:
        meeting = self.get_object()
        data = _input(request, s.MeetingMinutesInputSerializer)
        services.minutes_save(
            actor=request.user, meeting=meeting, minutes=data["minutes"], expected_version=self._version(meeting)
        )
        return self._detail(meeting.pk)

    @extend_schema(methods=["get"], summary=_("The agenda"), responses={200: s.MeetingAgendaItemSerializer(many=True)})
    @extend_schema(
        methods=["post"],
        summary=_("Fill (or refresh) the agenda from the service data"),
        request=s.MeetingEmptyInputSerializer,
        responses={200: s.MeetingAgendaItemSerializer(many=True), **CHANGE_ERRORS},
    )
    @action(detail=True, methods=["get", "post"], url_path="agenda", url_name="agenda")
    def agenda(self, request: Request, pk=None) -> Response:
        meeting = self.get_object()
        if request.method == "POST":
            _input(request, s.MeetingEmptyInputSerializer)
            services.meeting_prefill_agenda(actor=request.user, meeting=meeting)
        return Response(
            s.MeetingAgendaItemSerializer(selectors.agenda(user=request.user, meeting=meeting), many=True).data
        )

    @extend_schema(summary=_("Participants"), responses={200: s.MeetingParticipantSerializer(many=True)})
    @action(detail=True, methods=["get"], url_path="participants", url_name="participants")
    def participants(self, request: Request, pk=None) -> Response:
        meeting = self.get_object()
        rows = selectors.participants(user=request.user, meeting=meeting)
        return Response(s.MeetingParticipantSerializer(rows, many=True).data)

    @extend_schema(methods=["get"], summary=_("Decisions"), responses={200: s.MeetingDecisionSerializer(many=True)})
    @extend_schema(
        methods=["post"],
        summary=_("Record a decision"),
        request=s.MeetingDecisionInputSerializer,
        responses={201: s.MeetingDecisionSerializer, **ERRORS},
    )
    @action(detail=True, methods=["get", "post"], url_path="decisions", url_name="decisions")
    def decisions(self, request: Request, pk=None) -> Response:
        meeting = self.get_object()
        if request.method == "POST":
            decision = services.decision_add(
                actor=request.user, meeting=meeting, text=_input(request, s.MeetingDecisionInputSerializer)["text"]
            )
            return Response(s.MeetingDecisionSerializer(decision).data, status=status.HTTP_201_CREATED)
        return Response(
            s.MeetingDecisionSerializer(selectors.decisions(user=request.user, meeting=meeting), many=True).data
        )

    @extend_schema(
        methods=["get"], summary=_("Action items"), responses={200: s.MeetingActionItemSerializer(many=True)}
    )
    @extend_schema(
        methods=["post"],
        summary=_("Give someone an action item"),
        request=s.MeetingActionItemInputSerializer,
        responses={201: s.MeetingActionItemSerializer, **ERRORS},
    )
    @action(detail=True, methods=["get", "post"], url_path="action-items", url_name="action-items")
    def action_items(self, request: Request, pk=None) -> Response:
        meeting = self.get_object()
        if request.method == "POST":
            item = services.action_item_create(
                actor=request.user, meeting=meeting, **_input(request, s.MeetingActionItemInputSerializer)
            )
            return Response(s.MeetingActionItemSerializer(item).data, status=status.HTTP_201_CREATED)
        rows = selectors.meeting_actions(user=request.user, meeting=meeting)
        return Response(s.MeetingActionItemSerializer(rows, many=True).data)


OVERDUE = OpenApiParameter(
    "overdue", OpenApiTypes.BOOL, OpenApiParameter.QUERY, required=False, description=_("Only overdue items.")
)
VENDOR = OpenApiParameter("vendor", OpenApiTypes.INT, OpenApiParameter.QUERY, required=False)


class ActionItemViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Action items (待办事项) the signed-in user may see; `?overdue=true` lists the overdue ones."""

    serializer_class = s.MeetingActionItemSerializer
    permission_classes = PERMISSIONS
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ActionItem.objects.none()
        qs = selectors.action_list(user=self.request.user).order_by("due_at", "pk")
        if self.request.query_params.get("overdue") in ("1", "true"):
            qs = qs.filter(selectors.overdue_q())
        vendor = parse_id(self.request.query_params.get("vendor"))
        if vendor is not None:
            qs = qs.filter(vendor_id=vendor)
        return qs

    def get_object(self) -> ActionItem:
        return selectors.action_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(summary=_("List action items"), parameters=[OVERDUE, VENDOR])
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary=_("Read an action item"), responses={200: s.MeetingActionItemSerializer, 404: ERRORS[404]})
    def retrieve(self, request: Request, pk=None) -> Response:
        item = self.get_object()
        response = Response(s.MeetingActionItemSerializer(item).data)
        response["ETag"] = item.etag
        return response

    @extend_schema(
        summary=_("An action item's history"), responses={200: s.MeetingActionItemEventSerializer(many=True)}
    )
    @action(detail=True, methods=["get"], url_path="history", url_name="history")
    def history(self, request: Request, pk=None) -> Response:
        item = self.get_object()
        return Response(
            s.MeetingActionItemEventSerializer(selectors.action_events(user=request.user, item=item), many=True).data
        )

    @extend_schema(
        summary=_("Perform an action-item transition"),
        description=_("start, complete, cancel (cancel needs a note)."),
        parameters=[
            transition_parameter(ActionAction.values),
            IF_MATCH,
        ],
        request=s.MeetingActionTransitionInputSerializer,
        responses={200: s.MeetingActionItemSerializer, **CHANGE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path=r"transitions/(?P<transition>[a-z_]+)", url_name="transition")
    def transition(self, request: Request, pk=None, transition: str = "") -> Response:
        if transition not in ActionAction.values:
            raise NotFound(_("Unknown transition: %(name)s") % {"name": transition})
        item = self.get_object()
        data = _input(request, s.MeetingActionTransitionInputSerializer)
        item = services.action_item_transition(
            actor=request.user,
            item=item,
            action=transition,
            note=data.get("note", ""),
            expected_version=if_match_version(request, item, _("If-Match does not match this action item's ETag.")),
        )
        return Response(s.MeetingActionItemSerializer(item).data)
