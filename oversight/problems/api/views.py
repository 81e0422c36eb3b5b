"""Problems API: problems with their transitions as POST actions (If-Match against the ETag), incident links,
the workaround, known errors (with a text search) and suggestions.

Views only parse input (serializers), call a service or a selector and serialize the result. Visibility comes
from problems.selectors: a problem the reader may not see is a 404.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from oversight.core.api.etags import if_match_version
from oversight.core.api.permissions import ReadOnlyRolesCannotWrite
from oversight.core.api.viewsets import ScopedReadOnlyViewSet
from oversight.problems import selectors, services
from oversight.problems.api import serializers as s
from oversight.problems.choices import ProblemAction
from oversight.problems.filters import KnownErrorFilter, ProblemFilter
from oversight.problems.models import KnownError, Problem, ProblemSuggestion
from oversight.tenancy.roles import is_client, is_vendor

ERRORS = {
    400: OpenApiResponse(description=_("Invalid input, or a business rule refused it.")),
    403: OpenApiResponse(description=_("Your role may not do this.")),
    404: OpenApiResponse(description=_("Not found, or not visible to you.")),
}
CHANGE_ERRORS = {
    **ERRORS,
    409: OpenApiResponse(description=_("Not possible in the problem's current status.")),
    412: OpenApiResponse(description=_("If-Match does not match: someone changed the problem since you read it.")),
}
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=_("The ETag of the version you saw; if the problem changed since, the request fails with 412."),
)
TRANSITION = OpenApiParameter(
    "transition",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    enum=ProblemAction.values,
    description=_("The transition to perform; the detail's allowed_actions lists those open to you now."),
)
SEARCH = OpenApiParameter(
    "search",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    required=False,
    description=_("A text (Chinese or English): the current known errors that match it, best first."),
)


def _if_match(request: Request, problem: Problem) -> int | None:
    return if_match_version(
        request, problem, _("If-Match does not match this problem's ETag. Reload it and try again.")
    )


class SeesProblems(BasePermission):
    """Problems are for the client side and vendor staff; requesters get 403."""

    message = _("Your role cannot see problems.")

    def has_permission(self, request, view) -> bool:
        return is_client(request.user) or is_vendor(request.user)


class SeesSuggestions(BasePermission):
    """Problem suggestions are for the client side only."""

    message = _("Only the client side sees problem suggestions.")

    def has_permission(self, request, view) -> bool:
        return is_client(request.user)


class ProblemViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Problems (问题) the signed-in user may see; the client's operators open and move them."""

    serializer_class = s.ProblemListSerializer
    permission_classes = [IsAuthenticated, SeesProblems, ReadOnlyRolesCannotWrite]
    filterset_class = ProblemFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Problem.objects.none()
        return selectors.problem_list(user=self.request.user)

    def get_object(self) -> Problem:
        return selectors.problem_get_by_pk(user=self.request.user, pk=self.kwargs["pk"])

    def _detail(self, pk: int, *, status_code: int = status.HTTP_200_OK) -> Response:
        problem = selectors.problem_get_by_pk(user=self.request.user, pk=pk)
        data = s.ProblemDetailSerializer(problem, context=self.get_serializer_context()).data
        response = Response(data, status_code)
        response["ETag"] = problem.etag
        return response

    def _input(self, serializer_class, *, partial: bool = False):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context(), partial=partial)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(summary=_("List problems"))
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary=_("Read a problem"), responses={200: s.ProblemDetailSerializer, 404: ERRORS[404]})
    def retrieve(self, request: Request, pk=None) -> Response:
        return self._detail(self.get_object().pk)

    @extend_schema(
        summary=_("Open a problem"),
        description=_("Client administrators and supervisors open a problem, optionally from incidents."),
        request=s.ProblemCreateInputSerializer,
        responses={201: s.ProblemDetailSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        data = dict(self._input(s.ProblemCreateInputSerializer))
        problem = services.problem_create(actor=request.user, **data)
        return self._detail(problem.pk, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Change a problem's details"),
        parameters=[IF_MATCH],
        request=s.ProblemInputSerializer,
        responses={200: s.ProblemDetailSerializer, **CHANGE_ERRORS},
    )
    def partial_update(self, request: Request, pk=None) -> Response:
        problem = self.get_object()
        data = dict(self._input(s.ProblemInputSerializer, partial=True))
        services.problem_update(
            actor=request.user, problem=problem, expected_version=_if_match(request, problem), **data
        )
        return self._detail(problem.pk)

    @extend_schema(
        summary=_("Write the root-cause analysis"),
        description=_("Only the fields sent change. The attributed vendor's manager may write it too."),
        parameters=[IF_MATCH],
        request=s.ProblemAnalysisInputSerializer,
        responses={200: s.ProblemDetailSerializer, **CHANGE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def analysis(self, request: Request, pk=None) -> Response:
        problem = self.get_object()
        data = dict(self._input(s.ProblemAnalysisInputSerializer))
        services.problem_update_analysis(
            actor=request.user, problem=problem, expected_version=_if_match(request, problem), **data
        )
        return self._detail(problem.pk)

    @extend_schema(
        summary=_("Perform a problem transition"),
        description=_(
            "assess, analyse, record_known_error (needs the root cause and a workaround), fix_in_change, resolve "
            "(needs the permanent fix), close, cancel and reopen (need a note). Repeating a transition that is "
            "already done is harmless."
        ),
        parameters=[TRANSITION, IF_MATCH],
        request=s.ProblemTransitionInputSerializer,
        responses={200: s.ProblemDetailSerializer, **CHANGE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path=r"transitions/(?P<transition>[a-z_]+)", url_name="transition")
    def transition(self, request: Request, pk=None, transition: str = "") -> Response:
        if transition not in ProblemAction.values:
            raise NotFound(_("Unknown transition: %(name)s") % {"name": transition})
        problem = self.get_object()
        data = self._input(s.ProblemTransitionInputSerializer)
        services.problem_transition(
            actor=request.user,
            problem=problem,
            action=transition,
            expected_version=_if_match(request, problem),
            note=data["note"],
        )
        return self._detail(problem.pk)

    @extend_schema(
        summary=_("Link incidents to a problem"),
        request=s.ProblemLinkInputSerializer,
        responses={200: s.ProblemDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="incidents", url_name="incidents")
    def link(self, request: Request, pk=None) -> Response:
        problem = self.get_object()
        data = self._input(s.ProblemLinkInputSerializer)
        services.problem_link_incidents(actor=request.user, problem=problem, work_orders=data["work_orders"])
        return self._detail(problem.pk)

    @extend_schema(
        summary=_("Unlink an incident from a problem"),
        request=s.ProblemUnlinkInputSerializer,
        responses={200: s.ProblemDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="incidents/unlink", url_name="unlink")
    def unlink(self, request: Request, pk=None) -> Response:
        problem = self.get_object()
        data = self._input(s.ProblemUnlinkInputSerializer)
        services.problem_unlink_incident(actor=request.user, problem=problem, work_order=data["work_order"])
        return self._detail(problem.pk)

    @extend_schema(
        summary=_("Send the workaround to the open linked incidents"),
        description=_("Once per version: send If-Match (required); a repeat with the same ETag is refused."),
        parameters=[IF_MATCH],
        request=None,
        responses={200: s.ProblemDetailSerializer, **CHANGE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="communicate-workaround", url_name="communicate")
    def communicate(self, request: Request, pk=None) -> Response:
        problem = self.get_object()
        services.problem_communicate_workaround(
            actor=request.user, problem=problem, expected_version=_if_match(request, problem)
        )
        return self._detail(problem.pk)


@extend_schema_view(
    list=extend_schema(summary=_("List known errors"), parameters=[SEARCH]),
    retrieve=extend_schema(summary=_("Read a known error")),
)
class KnownErrorViewSet(ScopedReadOnlyViewSet):
    """Known errors (已知错误) the user may see; `?search=` ranks the current ones by a text."""

    serializer_class = s.KnownErrorSerializer
    schema_model = KnownError
    filterset_class = KnownErrorFilter
    permission_classes = [IsAuthenticated, SeesProblems, ReadOnlyRolesCannotWrite]

    def select(self, user):
        return selectors.known_error_list(user=user)

    def list(self, request: Request, *args, **kwargs) -> Response:
        text = request.query_params.get("search", "").strip()[:2000]
        if not text:
            return super().list(request, *args, **kwargs)
        allowed = set(self.filter_queryset(self.get_queryset()).values_list("pk", flat=True))
        found = [k for k in selectors.known_error_search(user=request.user, text=text, limit=20) if k.pk in allowed]
        return Response(
            {"count": len(found), "next": None, "previous": None, "results": self.get_serializer(found, many=True).data}
        )


@extend_schema_view(
    list=extend_schema(summary=_("List problem suggestions")),
    retrieve=extend_schema(summary=_("Read a problem suggestion")),
)
class ProblemSuggestionViewSet(ScopedReadOnlyViewSet):
    """Problems suggested by recurring incidents (the client side); operators accept or dismiss them."""

    serializer_class = s.ProblemSuggestionSerializer
    schema_model = ProblemSuggestion
    permission_classes = [IsAuthenticated, SeesSuggestions, ReadOnlyRolesCannotWrite]

    def select(self, user):
        return selectors.suggestion_list(user=user).order_by("-created_at", "-pk")

    def get_object(self) -> ProblemSuggestion:
        return selectors.suggestion_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(
        summary=_("Open a problem from a suggestion"),
        request=None,
        responses={201: s.ProblemDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk=None) -> Response:
        problem = services.suggestion_accept(actor=request.user, suggestion=self.get_object())
        data = s.ProblemDetailSerializer(problem, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Dismiss a suggestion"), request=None, responses={200: s.ProblemSuggestionSerializer, **ERRORS}
    )
    @action(detail=True, methods=["post"])
    def dismiss(self, request: Request, pk=None) -> Response:
        suggestion = services.suggestion_dismiss(actor=request.user, suggestion=self.get_object())
        return Response(self.get_serializer(suggestion).data)
