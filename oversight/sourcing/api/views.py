"""The sourcing API: saved scenarios (with their figures and tornado) and the commercial models of contract
versions (with each settled period's expected charge beside the statement's amount).

Views only parse input (serializers), call a service or a selector and serialize the result. Scenarios are the
client's: vendor staff and requesters get 403; commercial models are the client's and their own vendor's (another
vendor's or organisation's is 404)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from oversight.core.api.etags import if_match_version
from oversight.core.api.permissions import ReadOnlyRolesCannotWrite
from oversight.core.api.responses import CHANGE_ERRORS, ERRORS, IF_MATCH
from oversight.sourcing import charges, selectors, services
from oversight.sourcing.api import serializers as s
from oversight.sourcing.models import CommercialModel, Scenario
from oversight.tenancy.roles import CLIENT_ROLES, STAFF_ROLES, is_signed_in

STALE = _("If-Match does not match this ETag. Reload it and try again.")


def _role_permission(roles, message):
    class HasRole(BasePermission):
        def has_permission(self, request, view) -> bool:
            user = request.user
            return is_signed_in(user) and (user.is_superuser or user.role in roles)

    HasRole.message = message
    return HasRole


SeesScenarios = _role_permission(CLIENT_ROLES, _("Your role cannot see sourcing scenarios."))
SeesCommercialModels = _role_permission(STAFF_ROLES, _("Your role cannot see commercial models."))


class _Base(mixins.ListModelMixin, viewsets.GenericViewSet):
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def _input(self, serializer_class, *, partial: bool = False) -> dict:
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context(), partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _respond(self, obj, serializer_class, *, status_code=status.HTTP_200_OK) -> Response:
        response = Response(serializer_class(obj, context=self.get_serializer_context()).data, status_code)
        response["ETag"] = obj.etag
        return response


class ScenarioViewSet(_Base):
    """Sourcing scenarios (外包方案): in-house, outsourced or mixed, with TCO, NPV, IRR, payback, ROI and tornado."""

    serializer_class = s.ScenarioSerializer
    permission_classes = [IsAuthenticated, SeesScenarios, ReadOnlyRolesCannotWrite]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Scenario.objects.none()
        return selectors.scenario_list(user=self.request.user)

    def get_object(self) -> Scenario:
        return selectors.scenario_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(summary=_("List sourcing scenarios"))
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary=_("Read a sourcing scenario with its figures"), responses={200: s.ScenarioDetailSerializer, **ERRORS}
    )
    def retrieve(self, request: Request, pk=None) -> Response:
        return self._respond(self.get_object(), s.ScenarioDetailSerializer)

    @extend_schema(
        summary=_("Save a sourcing scenario"),
        request=s.ScenarioInputSerializer,
        responses={201: s.ScenarioDetailSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        data = self._input(s.ScenarioInputSerializer)
        scenario = services.scenario_create(actor=request.user, organisation=request.user.organisation, **data)
        return self._respond(scenario, s.ScenarioDetailSerializer, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Change a sourcing scenario"),
        parameters=[IF_MATCH],
        request=s.ScenarioInputSerializer,
        responses={200: s.ScenarioDetailSerializer, **CHANGE_ERRORS},
    )
    def partial_update(self, request: Request, pk=None) -> Response:
        scenario = self.get_object()
        data = self._input(s.ScenarioInputSerializer, partial=True)
        expected = if_match_version(request, scenario, STALE)
        scenario = services.scenario_update(actor=request.user, scenario=scenario, expected_version=expected, **data)
        return self._respond(scenario, s.ScenarioDetailSerializer)

    @extend_schema(
        summary=_("Delete a sourcing scenario"), parameters=[IF_MATCH], responses={204: None, **CHANGE_ERRORS}
    )
    def destroy(self, request: Request, pk=None) -> Response:
        scenario = self.get_object()
        expected = if_match_version(request, scenario, STALE)
        services.scenario_delete(actor=request.user, scenario=scenario, expected_version=expected)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CommercialModelViewSet(_Base):
    """Commercial models (商务模式) of contact-centre contract versions."""

    serializer_class = s.CommercialModelSerializer
    permission_classes = [IsAuthenticated, SeesCommercialModels, ReadOnlyRolesCannotWrite]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CommercialModel.objects.none()
        return selectors.commercial_model_list(user=self.request.user)

    def get_object(self) -> CommercialModel:
        return selectors.commercial_model_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(summary=_("List commercial models"))
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary=_("Read a commercial model"), responses={200: s.CommercialModelSerializer, **ERRORS})
    def retrieve(self, request: Request, pk=None) -> Response:
        return self._respond(self.get_object(), s.CommercialModelSerializer)

    @extend_schema(
        summary=_("Give a contract version its commercial model"),
        request=s.CommercialModelInputSerializer,
        responses={201: s.CommercialModelSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        data = self._input(s.CommercialModelInputSerializer)
        if data.get("contract_version") is None:
            raise ValidationError({"contract_version": [_("This field is required.")]})
        model = services.commercial_model_create(actor=request.user, **data)
        return self._respond(model, s.CommercialModelSerializer, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Change a commercial model"),
        parameters=[IF_MATCH],
        request=s.CommercialModelInputSerializer,
        responses={200: s.CommercialModelSerializer, **CHANGE_ERRORS},
    )
    def partial_update(self, request: Request, pk=None) -> Response:
        model = self.get_object()
        data = self._input(s.CommercialModelInputSerializer, partial=True)
        if "contract_version" in data:
            raise ValidationError({"contract_version": [_("The contract version of a model does not change.")]})
        expected = if_match_version(request, model, STALE)
        model = services.commercial_model_update(actor=request.user, model=model, expected_version=expected, **data)
        return self._respond(model, s.CommercialModelSerializer)

    @extend_schema(
        summary=_("Delete a commercial model"), parameters=[IF_MATCH], responses={204: None, **CHANGE_ERRORS}
    )
    def destroy(self, request: Request, pk=None) -> Response:
        model = self.get_object()
        expected = if_match_version(request, model, STALE)
        services.commercial_model_delete(actor=request.user, model=model, expected_version=expected)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary=_("Expected charge and settled amount per period"),
        responses={200: s.ChargeSerializer(many=True), 404: ERRORS[404]},
    )
    @action(detail=True, methods=["get"], url_path="charges", url_name="charges")
    def charges(self, request: Request, pk=None) -> Response:
        rows = charges.period_charges(user=request.user, model=self.get_object())
        return Response(s.ChargeSerializer(rows, many=True).data)
