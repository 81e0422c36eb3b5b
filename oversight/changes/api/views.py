"""Changes API: changes with their transitions as POST actions (If-Match against the ETag), the risk
questionnaire, votes, the post-implementation review and caused incidents, calendar conflicts with reason codes;
the catalogue of standard changes, the change calendar (windows, and what is on it for a date range) and CAB
meetings with their agenda and decisions.

Views only parse input (serializers), call a service or a selector and serialize the result. Visibility comes
from changes.selectors: a change the reader may not see is a 404.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from oversight.changes import calendar_check, selectors, services
from oversight.changes.api import serializers as s
from oversight.changes.choices import ChangeAction
from oversight.changes.filters import ChangeFilter
from oversight.changes.models import CabMeeting, Change, ChangeTemplate, ChangeWindow
from oversight.core import clock
from oversight.core.api.etags import if_match_version
from oversight.core.api.permissions import ReadOnlyRolesCannotWrite
from oversight.core.errors import NotAllowed
from oversight.tenancy.roles import is_client, is_vendor

ERRORS = {
    400: OpenApiResponse(description=_("Invalid input, or a business rule refused it.")),
    403: OpenApiResponse(description=_("Your role may not do this.")),
    404: OpenApiResponse(description=_("Not found, or not visible to you.")),
}
CHANGE_ERRORS = {
    **ERRORS,
    409: OpenApiResponse(description=_("Not possible in the change's current status.")),
    412: OpenApiResponse(description=_("If-Match does not match: someone changed the change since you read it.")),
}
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=_("The ETag of the version you saw; if the change was changed since, the request fails with 412."),
)
TRANSITION = OpenApiParameter(
    "transition",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    enum=ChangeAction.values,
    description=_("The transition to perform; the detail's allowed_actions lists those open to you now."),
)
#: The longest range the calendar answers at once (a quarter).
CALENDAR_MAX_DAYS = 92


def _if_match(request: Request, change: Change) -> int | None:
    return if_match_version(request, change, _("If-Match does not match this change's ETag. Reload it and try again."))


class SeesChanges(BasePermission):
    """Changes are for the client side and vendor staff; requesters get 403."""

    message = _("Your role cannot see changes.")

    def has_permission(self, request, view) -> bool:
        return is_client(request.user) or is_vendor(request.user)


class SeesCab(BasePermission):
    """CAB meetings are the client side's."""

    message = _("Only the client side sees CAB meetings.")

    def has_permission(self, request, view) -> bool:
        return is_client(request.user)


class InputMixin:
    """Parse a request body with an input serializer (400 with the one error body when it is invalid)."""

    def _input(self, serializer_class, *, partial: bool = False, data=None):
        serializer = serializer_class(
            data=self.request.data if data is None else data, context=self.get_serializer_context(), partial=partial
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class ChangeViewSet(InputMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Changes (变更) the signed-in user may see; the client's operators and the implementer's staff request and
    move them as `changes.permissions` allows."""

    serializer_class = s.ChangeListSerializer
    permission_classes = [IsAuthenticated, SeesChanges, ReadOnlyRolesCannotWrite]
    filterset_class = ChangeFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Change.objects.none()
        return selectors.change_list(user=self.request.user)

    def get_object(self) -> Change:
        return selectors.change_get_by_pk(user=self.request.user, pk=self.kwargs["pk"])

    def _detail(self, pk: int, *, status_code: int = status.HTTP_200_OK) -> Response:
        change = selectors.change_get_by_pk(user=self.request.user, pk=pk)
        data = s.ChangeDetailSerializer(change, context=self.get_serializer_context()).data
        response = Response(data, status_code)
        response["ETag"] = change.etag
        return response

    @extend_schema(summary=_("List changes"))
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary=_("Read a change"), responses={200: s.ChangeDetailSerializer, 404: ERRORS[404]})
    def retrieve(self, request: Request, pk=None) -> Response:
        return self._detail(self.get_object().pk)

    @extend_schema(
        summary=_("Request a change"),
        description=_(
            "The client's operators request a change for any vendor, a vendor's staff for their own vendor. A "
            "standard change names an active template, whose plans it takes unless given."
        ),
        request=s.ChangeCreateInputSerializer,
        responses={201: s.ChangeDetailSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        data = dict(self._input(s.ChangeCreateInputSerializer))
        change = services.change_create(actor=request.user, **data)
        return self._detail(change.pk, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Change a change's details"),
        description=_("Only the fields sent change; the risk follows. A scheduled change moved is checked again."),
        parameters=[IF_MATCH],
        request=s.ChangeInputSerializer,
        responses={200: s.ChangeDetailSerializer, **CHANGE_ERRORS},
    )
    def partial_update(self, request: Request, pk=None) -> Response:
        change = self.get_object()
        data = dict(self._input(s.ChangeInputSerializer, partial=True))
        services.change_update(actor=request.user, change=change, expected_version=_if_match(request, change), **data)
        return self._detail(change.pk)

    @extend_schema(
        summary=_("Perform a change transition"),
        description=_(
            "assess, authorise, reject, schedule, start, record_unauthorised, complete, close and cancel; the type "
            "decides the path. reject, cancel and record_unauthorised need a note; close needs the review. "
            "Repeating a transition that is already done is harmless."
        ),
        parameters=[TRANSITION, IF_MATCH],
        request=s.NoteInputSerializer,
        responses={200: s.ChangeDetailSerializer, **CHANGE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path=r"transitions/(?P<transition>[a-z_]+)", url_name="transition")
    def transition(self, request: Request, pk=None, transition: str = "") -> Response:
        if transition not in ChangeAction.values:
            raise NotFound(_("Unknown transition: %(name)s") % {"name": transition})
        change = self.get_object()
        data = self._input(s.NoteInputSerializer)
        services.change_transition(
            actor=request.user,
            change=change,
            action=transition,
            expected_version=_if_match(request, change),
            note=data["note"],
        )
        return self._detail(change.pk)

    @extend_schema(
        summary=_("Answer the risk questionnaire"),
        description=_("Answer every question (0 least risky … 3 most) or none; both scores are computed again."),
        parameters=[IF_MATCH],
        request=s.RiskInputSerializer,
        responses={200: s.ChangeDetailSerializer, **CHANGE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def risk(self, request: Request, pk=None) -> Response:
        change = self.get_object()
        data = self._input(s.RiskInputSerializer)
        services.change_assess_risk(
            actor=request.user, change=change, answers=data["answers"], expected_version=_if_match(request, change)
        )
        return self._detail(change.pk)

    @extend_schema(
        summary=_("Record the post-implementation review"),
        description=_("While the change is in review: the outcome, and what went wrong unless it was successful."),
        parameters=[IF_MATCH],
        request=s.ReviewInputSerializer,
        responses={200: s.ChangeDetailSerializer, **CHANGE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk=None) -> Response:
        change = self.get_object()
        data = self._input(s.ReviewInputSerializer)
        services.change_review(
            actor=request.user,
            change=change,
            outcome=data["outcome"],
            notes=data["notes"],
            expected_version=_if_match(request, change),
        )
        return self._detail(change.pk)

    @extend_schema(
        summary=_("Approve a soft blackout exception"),
        description=_("The client's change manager lets the change's window fall in a soft blackout, with a reason."),
        parameters=[IF_MATCH],
        request=s.NoteInputSerializer,
        responses={200: s.ChangeDetailSerializer, **CHANGE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def exception(self, request: Request, pk=None) -> Response:
        change = self.get_object()
        data = self._input(s.NoteInputSerializer)
        services.change_approve_exception(
            actor=request.user, change=change, note=data["note"], expected_version=_if_match(request, change)
        )
        return self._detail(change.pk)

    @extend_schema(
        summary=_("Vote on a change"),
        description=_(
            "Only a member of the open approval step votes (or their substitute once asked after the deadline); a "
            "rejection needs a comment. A vote that decides the step opens the next one or decides the change."
        ),
        request=s.VoteInputSerializer,
        responses={200: s.ChangeDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def vote(self, request: Request, pk=None) -> Response:
        change = self.get_object()
        data = self._input(s.VoteInputSerializer)
        place = selectors.vote_request_for(user=request.user, change=change)
        if place is None:
            raise NotAllowed(_("You are not asked to vote on this change."))
        services.approval_vote(actor=request.user, request=place, approve=data["approve"], comment=data["comment"])
        return self._detail(change.pk)

    @extend_schema(
        summary=_("Link incidents caused by a change"),
        request=s.LinkIncidentsInputSerializer,
        responses={200: s.ChangeDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="incidents", url_name="incidents")
    def link(self, request: Request, pk=None) -> Response:
        change = self.get_object()
        data = self._input(s.LinkIncidentsInputSerializer)
        services.change_link_incidents(actor=request.user, change=change, work_orders=data["work_orders"])
        return self._detail(change.pk)

    @extend_schema(
        summary=_("Unlink an incident from a change"),
        request=s.UnlinkIncidentInputSerializer,
        responses={200: s.ChangeDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="incidents/unlink", url_name="unlink")
    def unlink(self, request: Request, pk=None) -> Response:
        change = self.get_object()
        data = self._input(s.UnlinkIncidentInputSerializer)
        services.change_unlink_incident(actor=request.user, change=change, work_order=data["work_order"])
        return self._detail(change.pk)

    @extend_schema(
        summary=_("A change's conflicts on the calendar"),
        description=_(
            "Checked now against the calendar, for the change's planned window: every conflict with its reason "
            "code (blackout, outside_window, exceeds_window, same_ci, related_ci, double_booked)."
        ),
        responses={200: s.ConflictSerializer(many=True), 404: ERRORS[404]},
    )
    @action(detail=True, methods=["get"])
    def conflicts(self, request: Request, pk=None) -> Response:
        change = self.get_object()
        found = [
            {
                "code": c.code,
                "window": c.window_id,
                "change": c.change_id,
                "cis": list(c.cis),
                "hard": c.hard,
                "start": c.start,
                "end": c.end,
            }
            for c in calendar_check.conflict_report(change).conflicts
        ]
        return Response(s.ConflictSerializer(s.conflict_rows(request.user, found), many=True).data)


class TemplateViewSet(InputMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The catalogue of standard changes (标准变更): every reader sees it, the client's operators keep it."""

    serializer_class = s.ChangeTemplateSerializer
    permission_classes = [IsAuthenticated, SeesChanges, ReadOnlyRolesCannotWrite]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ChangeTemplate.objects.none()
        return selectors.template_list(user=self.request.user)

    def get_object(self) -> ChangeTemplate:
        return selectors.template_get(user=self.request.user, pk=self.kwargs["pk"])

    def _out(self, template, code=status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(template).data, status=code)

    @extend_schema(summary=_("List standard change templates"))
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary=_("Read a standard change template"), responses={200: s.ChangeTemplateSerializer, **ERRORS})
    def retrieve(self, request: Request, pk=None) -> Response:
        return self._out(self.get_object())

    @extend_schema(
        summary=_("Add a standard change template"),
        request=s.ChangeTemplateInputSerializer,
        responses={201: s.ChangeTemplateSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        template = services.change_template_create(actor=request.user, **self._input(s.ChangeTemplateInputSerializer))
        return self._out(template, status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Change a standard change template"),
        request=s.ChangeTemplateUpdateInputSerializer,
        responses={200: s.ChangeTemplateSerializer, **ERRORS},
    )
    def partial_update(self, request: Request, pk=None) -> Response:
        template = self.get_object()
        data = self._input(s.ChangeTemplateUpdateInputSerializer, partial=True)
        return self._out(services.change_template_update(actor=request.user, template=template, **data))


@extend_schema_view(list=extend_schema(summary=_("List change calendar windows")))
class WindowViewSet(InputMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The change calendar (变更日历): blackout and maintenance windows, and what is on the calendar for a range.
    Every reader sees the calendar; the client's operators add and deactivate windows."""

    serializer_class = s.ChangeWindowSerializer
    permission_classes = [IsAuthenticated, SeesChanges, ReadOnlyRolesCannotWrite]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ChangeWindow.objects.none()
        return (
            selectors.window_list(user=self.request.user)
            .prefetch_related("services", "vendors", "sites")
            .order_by("start", "pk")
        )

    def get_object(self) -> ChangeWindow:
        return selectors.window_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(summary=_("Read a calendar window"), responses={200: s.ChangeWindowSerializer, **ERRORS})
    def retrieve(self, request: Request, pk=None) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        summary=_("Add a calendar window"),
        description=_("Scheduled changes the new window conflicts with are checked again and flagged."),
        request=s.WindowInputSerializer,
        responses={201: s.ChangeWindowSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        window = services.window_create(actor=request.user, **self._input(s.WindowInputSerializer))
        return Response(self.get_serializer(window).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Take a window off the calendar"), request=None, responses={200: s.ChangeWindowSerializer, **ERRORS}
    )
    @action(detail=True, methods=["post"])
    def deactivate(self, request: Request, pk=None) -> Response:
        window = services.window_deactivate(actor=request.user, window=self.get_object())
        return Response(self.get_serializer(window).data)

    @extend_schema(
        summary=_("The change calendar of a date range"),
        description=_(
            "The active windows' occurrences (recurring ones expanded) and the changes planned in the range, "
            "from the first day to the last (days in your time zone, at most 92)."
        ),
        parameters=[
            OpenApiParameter("since", OpenApiTypes.DATE, OpenApiParameter.QUERY, required=True),
            OpenApiParameter("until", OpenApiTypes.DATE, OpenApiParameter.QUERY, required=True),
        ],
        responses={200: s.CalendarSerializer, 400: ERRORS[400], 403: ERRORS[403]},
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def calendar(self, request: Request) -> Response:
        days = self._input(s.CalendarQuerySerializer, data=request.query_params.dict())
        # Without a range: the reader's current month (either end alone extends it to that end's month).
        today = timezone.localdate(clock.now())
        if "since" not in days:
            days["since"] = days.get("until", today).replace(day=1)
        if "until" not in days:
            first = days["since"].replace(day=1)
            days["until"] = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        if not days["since"] <= days["until"] < days["since"] + dt.timedelta(days=CALENDAR_MAX_DAYS):
            raise ValidationError({"until": [_("Ask for 1 to 92 days, the last not before the first.")]})
        zone = timezone.get_current_timezone()
        since = dt.datetime.combine(days["since"], dt.time.min, tzinfo=zone)
        until = dt.datetime.combine(days["until"] + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        windows = selectors.window_list(user=request.user, active_only=True)
        names = dict(windows.values_list("pk", "name"))
        occurrences = [
            {
                "window": o.window_id,
                "name": names[o.window_id],
                "kind": o.kind,
                "hard": o.hard,
                "start": o.start,
                "end": o.end,
            }
            for o in calendar_check.window_occurrences(request.user.organisation, since, until, windows=windows)
        ]
        occurrences.sort(key=lambda o: (o["start"], o["window"]))
        changes = selectors.changes_on_calendar(user=request.user, since=since, until=until)
        data = {"since": since, "until": until, "windows": occurrences, "changes": changes}
        return Response(s.CalendarSerializer(data, context=self.get_serializer_context()).data)


@extend_schema_view(list=extend_schema(summary=_("List CAB meetings")))
class CabMeetingViewSet(InputMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """CAB meetings (变更咨询委员会) with their agenda and decisions: the client side reads them, its operators
    plan them and record the board's decisions."""

    serializer_class = s.CabMeetingSerializer
    permission_classes = [IsAuthenticated, SeesCab, ReadOnlyRolesCannotWrite]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CabMeeting.objects.none()
        return selectors.cab_list(user=self.request.user)

    def get_object(self) -> CabMeeting:
        return selectors.cab_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(summary=_("Read a CAB meeting"), responses={200: s.CabMeetingSerializer, **ERRORS})
    def retrieve(self, request: Request, pk=None) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        summary=_("Plan a CAB meeting"),
        description=_("Its agenda is every change awaiting authorisation, riskiest first."),
        request=s.CabMeetingInputSerializer,
        responses={201: s.CabMeetingSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        meeting = services.cab_meeting_create(actor=request.user, **self._input(s.CabMeetingInputSerializer))
        return Response(self.get_serializer(meeting).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Record the CAB's decision on an agenda item"),
        description=_("authorise or reject (with a reason) closes the change's approval steps; defer keeps it open."),
        request=s.CabDecisionInputSerializer,
        responses={200: s.CabMeetingSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk=None) -> Response:
        meeting = self.get_object()
        data = self._input(s.CabDecisionInputSerializer)
        item = selectors.cab_item_get(user=request.user, meeting=meeting, pk=data["item"])
        services.cab_decide(actor=request.user, item=item, decision=data["decision"], note=data["note"])
        return Response(self.get_serializer(selectors.cab_get(user=request.user, pk=meeting.pk)).data)
