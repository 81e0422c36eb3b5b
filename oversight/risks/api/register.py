"""The register's API: risks (with their ratings, reviews and transitions as POST actions, If-Match against the
ETag), mitigations, the matrix versions and the heat map's data.

Views only parse input (serializers), call a service or a selector and serialize the result. The register is
the client's: vendor staff and requesters get 403 on every endpoint; a risk of another organisation is 404."""

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
from oversight.risks import heatmap, selectors, services
from oversight.risks.api import register_serializers as s
from oversight.risks.choices import MitigationAction, RiskAction
from oversight.risks.models import Mitigation, Risk, RiskMatrixVersion
from oversight.risks.register_filters import MitigationFilter, RiskFilter
from oversight.tenancy.roles import is_client

ERRORS = {
    400: OpenApiResponse(description=_("Invalid input, or a business rule refused it.")),
    403: OpenApiResponse(description=_("Your role may not do this.")),
    404: OpenApiResponse(description=_("Not found, or not visible to you.")),
}
CHANGE_ERRORS = {
    **ERRORS,
    409: OpenApiResponse(description=_("Not possible in the current status.")),
    412: OpenApiResponse(description=_("If-Match does not match: someone changed it since you read it.")),
}
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=_("The ETag of the version you saw; if it changed since, the request fails with 412."),
)
KIND = OpenApiParameter(
    "kind",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    required=False,
    enum=["inherent", "current", "target", "residual"],
    description=_("Which rating the heat map counts (current when omitted)."),
)


def _transition_parameter(values) -> OpenApiParameter:
    return OpenApiParameter(
        "transition",
        OpenApiTypes.STR,
        OpenApiParameter.PATH,
        enum=list(values),
        description=_("The transition to perform; allowed_actions lists those open to you now."),
    )


class SeesRegister(BasePermission):
    """The risk register is the client side's."""

    message = _("Your role cannot see the risk register.")

    def has_permission(self, request, view) -> bool:
        return is_client(request.user)


def _if_match(request: Request, obj) -> int | None:
    return if_match_version(request, obj, _("If-Match does not match this ETag. Reload it and try again."))


class _InputMixin:
    def _input(self, serializer_class, *, partial: bool = False):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context(), partial=partial)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class RiskViewSet(_InputMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Risks (风险) of the register; the client's operators record, change, rate, review and move them."""

    serializer_class = s.RiskListSerializer
    permission_classes = [IsAuthenticated, SeesRegister, ReadOnlyRolesCannotWrite]
    filterset_class = RiskFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Risk.objects.none()
        return selectors.risk_list(user=self.request.user).order_by("-created_at", "-pk")

    def get_object(self) -> Risk:
        return selectors.risk_get_by_pk(user=self.request.user, pk=self.kwargs["pk"])

    def _detail(self, pk: int, *, status_code: int = status.HTTP_200_OK) -> Response:
        risk = selectors.risk_get_by_pk(user=self.request.user, pk=pk)
        response = Response(s.RiskDetailSerializer(risk, context=self.get_serializer_context()).data, status_code)
        response["ETag"] = risk.etag
        return response

    @extend_schema(summary=_("List risks"))
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary=_("Read a risk"), responses={200: s.RiskDetailSerializer, 404: ERRORS[404]})
    def retrieve(self, request: Request, pk=None) -> Response:
        return self._detail(self.get_object().pk)

    @extend_schema(
        summary=_("Record a risk"),
        request=s.RiskDetailsInputSerializer,
        responses={201: s.RiskDetailSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        risk = services.risk_create(actor=request.user, **self._input(s.RiskDetailsInputSerializer))
        return self._detail(risk.pk, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Change a risk's details"),
        parameters=[IF_MATCH],
        request=s.RiskDetailsInputSerializer,
        responses={200: s.RiskDetailSerializer, **CHANGE_ERRORS},
    )
    def partial_update(self, request: Request, pk=None) -> Response:
        risk = self.get_object()
        data = dict(self._input(s.RiskDetailsInputSerializer, partial=True))
        services.risk_update(actor=request.user, risk=risk, expected_version=_if_match(request, risk), **data)
        return self._detail(risk.pk)

    @extend_schema(
        summary=_("Perform a risk transition"),
        description=_("assess (needs a rating), treat (needs a treatment), monitor, close and reopen (need a note)."),
        parameters=[_transition_parameter(RiskAction.values), IF_MATCH],
        request=s.RiskTransitionInputSerializer,
        responses={200: s.RiskDetailSerializer, **CHANGE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path=r"transitions/(?P<transition>[a-z_]+)", url_name="transition")
    def transition(self, request: Request, pk=None, transition: str = "") -> Response:
        if transition not in RiskAction.values:
            raise NotFound(_("Unknown transition: %(name)s") % {"name": transition})
        risk = self.get_object()
        data = self._input(s.RiskTransitionInputSerializer)
        services.risk_transition(
            actor=request.user,
            risk=risk,
            action=transition,
            expected_version=_if_match(request, risk),
            note=data["note"],
        )
        return self._detail(risk.pk)

    @extend_schema(
        methods=["get"], summary=_("A risk's rating history"), responses={200: s.RiskRatingSerializer(many=True)}
    )
    @extend_schema(
        methods=["post"],
        summary=_("Rate a risk"),
        description=_("On the matrix version in use; the history is append-only."),
        request=s.RiskRatingInputSerializer,
        responses={201: s.RiskRatingSerializer, **ERRORS},
    )
    @action(detail=True, methods=["get", "post"], url_path="ratings", url_name="ratings")
    def ratings(self, request: Request, pk=None) -> Response:
        risk = self.get_object()
        if request.method == "GET":
            return Response(s.RiskRatingSerializer(selectors.risk_ratings(risk=risk), many=True).data)
        rating = services.risk_rating_record(risk=risk, actor=request.user, **self._input(s.RiskRatingInputSerializer))
        return Response(s.RiskRatingSerializer(rating).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["get"], summary=_("A risk's reviews"), responses={200: s.RiskReviewSerializer(many=True)})
    @extend_schema(
        methods=["post"],
        summary=_("Record a review"),
        request=s.RiskReviewInputSerializer,
        responses={201: s.RiskReviewSerializer, **ERRORS},
    )
    @action(detail=True, methods=["get", "post"], url_path="reviews", url_name="reviews")
    def reviews(self, request: Request, pk=None) -> Response:
        risk = self.get_object()
        if request.method == "GET":
            return Response(s.RiskReviewSerializer(selectors.risk_reviews(risk=risk), many=True).data)
        review = services.risk_review_record(actor=request.user, risk=risk, **self._input(s.RiskReviewInputSerializer))
        return Response(s.RiskReviewSerializer(review).data, status=status.HTTP_201_CREATED)


class MitigationViewSet(_InputMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Mitigations (缓释措施); one may serve many risks."""

    serializer_class = s.MitigationSerializer
    permission_classes = [IsAuthenticated, SeesRegister, ReadOnlyRolesCannotWrite]
    filterset_class = MitigationFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Mitigation.objects.none()
        return selectors.mitigation_list(user=self.request.user).order_by("due_date", "pk")

    def get_object(self) -> Mitigation:
        return selectors.mitigation_get(user=self.request.user, pk=self.kwargs["pk"])

    def _detail(self, pk: int, *, status_code: int = status.HTTP_200_OK) -> Response:
        mitigation = selectors.mitigation_get(user=self.request.user, pk=pk)
        response = Response(self.get_serializer(mitigation).data, status_code)
        response["ETag"] = f'"{mitigation.pk}-{mitigation.version}"'
        return response

    @extend_schema(summary=_("List mitigations"))
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary=_("Read a mitigation"), responses={200: s.MitigationSerializer, 404: ERRORS[404]})
    def retrieve(self, request: Request, pk=None) -> Response:
        return self._detail(self.get_object().pk)

    @extend_schema(
        summary=_("Record a mitigation"),
        request=s.RiskMitigationInputSerializer,
        responses={201: s.MitigationSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        mitigation = services.mitigation_create(actor=request.user, **self._input(s.RiskMitigationInputSerializer))
        return self._detail(mitigation.pk, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Change a mitigation"),
        parameters=[IF_MATCH],
        request=s.RiskMitigationInputSerializer,
        responses={200: s.MitigationSerializer, **CHANGE_ERRORS},
    )
    def partial_update(self, request: Request, pk=None) -> Response:
        mitigation = self.get_object()
        data = dict(self._input(s.RiskMitigationInputSerializer, partial=True))
        services.mitigation_update(
            actor=request.user, mitigation=mitigation, expected_version=_if_match(request, mitigation), **data
        )
        return self._detail(mitigation.pk)

    @extend_schema(
        summary=_("Perform a mitigation transition"),
        parameters=[_transition_parameter(MitigationAction.values), IF_MATCH],
        request=None,
        responses={200: s.MitigationSerializer, **CHANGE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path=r"transitions/(?P<transition>[a-z_]+)", url_name="transition")
    def transition(self, request: Request, pk=None, transition: str = "") -> Response:
        if transition not in MitigationAction.values:
            raise NotFound(_("Unknown transition: %(name)s") % {"name": transition})
        mitigation = self.get_object()
        services.mitigation_transition(
            actor=request.user,
            mitigation=mitigation,
            action=transition,
            expected_version=_if_match(request, mitigation),
        )
        return self._detail(mitigation.pk)


@extend_schema_view(
    list=extend_schema(summary=_("List the risk matrix's versions")),
    retrieve=extend_schema(summary=_("Read a risk matrix version")),
)
class MatrixVersionViewSet(ScopedReadOnlyViewSet):
    """The versions of the organisation's risk matrix (newest first), each with its cells' scores and levels."""

    serializer_class = s.RiskMatrixVersionSerializer
    schema_model = RiskMatrixVersion
    permission_classes = [IsAuthenticated, SeesRegister, ReadOnlyRolesCannotWrite]

    def select(self, user):
        return selectors.matrix_versions(user=user)

    @extend_schema(
        summary=_("The heat map of a matrix version"),
        parameters=[KIND],
        responses={200: s.RiskHeatMapSerializer, **ERRORS},
    )
    @action(detail=True, methods=["get"], url_path="heat-map", url_name="heat-map")
    def heat_map(self, request: Request, pk=None) -> Response:
        version = self.get_object()
        query = s.RiskHeatMapQuerySerializer(data=request.query_params.dict() if request.query_params else {})
        query.is_valid(raise_exception=True)
        kind = query.validated_data["kind"]
        positions, arrows = selectors.heat_map_data(user=request.user, version=version, kind=kind)
        laid_out = heatmap.heat_map(version, positions, arrows)
        data = {
            "matrix_version": version.number,
            "kind": kind,
            "total": laid_out.total,
            "cells": [
                {
                    "probability": c.probability,
                    "impact": c.impact,
                    "count": c.count,
                    "level": c.level,
                    "colour": c.colour,
                }
                for c in laid_out.cells
            ],
            "arrows": [{"risk": number, "inherent": list(a), "residual": list(b)} for number, a, b in arrows],
        }
        return Response(s.RiskHeatMapSerializer(data).data)
