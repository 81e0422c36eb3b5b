"""Feedback API: ratings (read-only), complaints with transitions as POST actions, quarterly prize draws.

Views only parse input (serializers), call a service or a selector and serialize the result. Visibility
comes from feedback.selectors: another vendor's or organisation's complaint is a 404.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from oversight.core.api.permissions import ReadOnlyRolesCannotWrite
from oversight.core.api.viewsets import ScopedReadOnlyViewSet
from oversight.feedback import permissions, selectors, services
from oversight.feedback.api import serializers as s
from oversight.feedback.choices import ComplaintAction
from oversight.feedback.filters import ComplaintFilter, RatingFilter
from oversight.feedback.models import Complaint, PrizeDraw, Rating

ERRORS = {
    400: OpenApiResponse(description=_("Invalid input, or a business rule refused it.")),
    403: OpenApiResponse(description=_("Your role may not do this.")),
    404: OpenApiResponse(description=_("Not found, or not visible to you.")),
}
CHANGE_ERRORS = {
    **ERRORS,
    409: OpenApiResponse(description=_("Not possible in the complaint's current status.")),
    412: OpenApiResponse(description=_("expected_version does not match: someone changed the complaint since.")),
}
TRANSITION = OpenApiParameter(
    "transition",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    enum=ComplaintAction.values,
    description=_("The transition to perform; the detail's allowed_actions lists those open to you now."),
)
EXPECTED_VERSION = OpenApiParameter(
    "expected_version",
    OpenApiTypes.INT,
    OpenApiParameter.QUERY,
    required=False,
    description=_("The complaint version you saw; if it changed since, the request fails with 412."),
)


def _expected_version(request: Request) -> int | None:
    value = request.query_params.get("expected_version")
    if value is None or value == "":
        return None
    if not (value.isascii() and value.isdigit()):
        raise ValidationError({"expected_version": [_("A whole number.")]})
    return int(value)


class SeesComplaints(BasePermission):
    """Complaints are for the client side and vendor staff; requesters get 403."""

    message = _("Your role cannot see complaints.")

    def has_permission(self, request, view) -> bool:
        return permissions.sees_complaints(request.user)


class SeesDraws(BasePermission):
    """Prize draws are for the client side only."""

    message = _("Only the client side sees prize draws.")

    def has_permission(self, request, view) -> bool:
        return permissions.sees_draws(request.user)


@extend_schema_view(
    list=extend_schema(summary=_("List ratings")),
    retrieve=extend_schema(summary=_("Read a rating")),
)
class RatingViewSet(ScopedReadOnlyViewSet):
    """Ratings: requesters see their own, vendor staff their vendor's, the client side all of its organisation's."""

    serializer_class = s.RatingSerializer
    schema_model = Rating
    filterset_class = RatingFilter

    def select(self, user):
        return selectors.rating_list(user=user)


class ComplaintViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Complaints (投诉) the signed-in user may see; the client's supervisors open and move them."""

    serializer_class = s.ComplaintListSerializer
    permission_classes = [IsAuthenticated, SeesComplaints, ReadOnlyRolesCannotWrite]
    filterset_class = ComplaintFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Complaint.objects.none()
        return selectors.complaint_list(user=self.request.user)

    def get_object(self) -> Complaint:
        return selectors.complaint_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_serializer_class(self):
        return s.ComplaintListSerializer if self.action == "list" else s.ComplaintDetailSerializer

    def _detail(self, pk: int, *, status_code: int = status.HTTP_200_OK) -> Response:
        complaint = selectors.complaint_get(user=self.request.user, pk=pk)
        return Response(s.ComplaintDetailSerializer(complaint, context=self.get_serializer_context()).data, status_code)

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(summary=_("List complaints"))
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary=_("Read a complaint"), responses={200: s.ComplaintDetailSerializer, 404: ERRORS[404]})
    def retrieve(self, request: Request, pk=None) -> Response:
        return self._detail(self.get_object().pk)

    @extend_schema(
        summary=_("Open a complaint"),
        description=_("Client supervisors and administrators open a complaint about a work order by hand."),
        request=s.ComplaintCreateInputSerializer,
        responses={201: s.ComplaintDetailSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        data = self._input(s.ComplaintCreateInputSerializer)
        complaint = services.complaint_open(actor=request.user, **data)
        return self._detail(complaint.pk, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Perform a complaint transition"),
        description=_(
            "investigate, resolve (needs the resolution in text), close, reopen (needs the reason in text). "
            "Repeating a transition that is already done is harmless."
        ),
        parameters=[TRANSITION, EXPECTED_VERSION],
        request=s.ComplaintTransitionInputSerializer,
        responses={200: s.ComplaintDetailSerializer, **CHANGE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path=r"transitions/(?P<transition>[a-z_]+)", url_name="transition")
    def transition(self, request: Request, pk=None, transition: str = "") -> Response:
        if transition not in ComplaintAction.values:
            raise NotFound(_("Unknown transition: %(name)s") % {"name": transition})
        complaint = self.get_object()
        data = self._input(s.ComplaintTransitionInputSerializer)
        services.complaint_transition(
            actor=request.user,
            complaint=complaint,
            action=transition,
            text=data["text"],
            expected_version=_expected_version(request),
        )
        return self._detail(complaint.pk)

    @extend_schema(
        summary=_("Hand a complaint over"),
        parameters=[EXPECTED_VERSION],
        request=s.ComplaintAssignInputSerializer,
        responses={200: s.ComplaintDetailSerializer, **CHANGE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk=None) -> Response:
        complaint = self.get_object()
        data = self._input(s.ComplaintAssignInputSerializer)
        services.complaint_assign(
            actor=request.user,
            complaint=complaint,
            assignee=data["assignee"],
            expected_version=_expected_version(request),
        )
        return self._detail(complaint.pk)

    @extend_schema(
        summary=_("Comment on a complaint"),
        description=_("The vendor's staff answer; the client's supervisors add notes (internal ones too)."),
        request=s.ComplaintCommentInputSerializer,
        responses={201: s.ComplaintDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def comments(self, request: Request, pk=None) -> Response:
        complaint = self.get_object()
        data = self._input(s.ComplaintCommentInputSerializer)
        services.complaint_comment(actor=request.user, complaint=complaint, **data)
        return self._detail(complaint.pk, status_code=status.HTTP_201_CREATED)


class PrizeDrawViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Quarterly prize draws of the organisation (client side only)."""

    serializer_class = s.PrizeDrawSerializer
    permission_classes = [IsAuthenticated, SeesDraws, ReadOnlyRolesCannotWrite]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return PrizeDraw.objects.none()
        return selectors.prize_draw_list(user=self.request.user).order_by("-year", "-quarter")

    def get_object(self) -> PrizeDraw:
        return selectors.prize_draw_get(user=self.request.user, pk=self.kwargs["pk"])

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(summary=_("List prize draws"))
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary=_("Read a prize draw"))
    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        summary=_("Publish a quarter's draw"),
        description=_(
            "Freeze the participants of a finished quarter (distinct requesters who rated), store their SHA-256 "
            "digest and name the public source of the future seed."
        ),
        request=s.PrizeDrawPublishInputSerializer,
        responses={201: s.PrizeDrawSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        data = self._input(s.PrizeDrawPublishInputSerializer)
        draw = services.prize_draw_publish(actor=request.user, **data)
        return Response(self.get_serializer(draw).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Draw the winners"),
        description=_("With the seed published by the named source; the result is stored and never changes."),
        request=s.PrizeDrawRunInputSerializer,
        responses={200: s.PrizeDrawSerializer, 409: OpenApiResponse(description=_("Already drawn.")), **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def draw(self, request: Request, pk=None) -> Response:
        draw = self.get_object()
        data = self._input(s.PrizeDrawRunInputSerializer)
        draw = services.prize_draw_run(actor=request.user, draw=draw, seed=data["seed"])
        return Response(self.get_serializer(draw).data)

    @extend_schema(summary=_("Verify a draw by re-running it"), responses={200: s.DrawVerificationSerializer, **ERRORS})
    @action(detail=True, methods=["get"])
    def verify(self, request: Request, pk=None) -> Response:
        check = selectors.prize_draw_verify(draw=self.get_object())
        data = {
            **check.__dict__,
            "ranking": [{"id": participant, "ticket": ticket} for participant, ticket in check.ranking],
        }
        return Response(s.DrawVerificationSerializer(data).data)
