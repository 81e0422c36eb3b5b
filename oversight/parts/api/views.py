"""Spare parts API: parts, locations, stock levels and the stock ledger, read through parts.selectors (invisible
is 404); POST creates parts and locations (the client's operators) and ledger rows (whoever the services allow).
A refused movement answers with the one error body: 400 for bad input, 403 for a role that may not, 409
``out_of_stock`` (with ``on_hand`` and ``requested``) when it would take more than is on hand."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from oversight.core.api.permissions import ReadOnlyRolesCannotWrite
from oversight.parts import permissions, selectors, services
from oversight.parts.api import serializers as s
from oversight.parts.models import PartItem, StockLevel, StockLocation, StockMovement

ERRORS = {
    400: OpenApiResponse(description=_("Invalid input, or a business rule refused it.")),
    403: OpenApiResponse(description=_("Your role may not do this.")),
    404: OpenApiResponse(description=_("Not found, or not visible to you.")),
}
MOVEMENT_ERRORS = {**ERRORS, 409: OpenApiResponse(description=_("Not enough on hand: nothing was recorded."))}


def _input(view, serializer_class):
    serializer = serializer_class(data=view.request.data, context=view.get_serializer_context())
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _require_catalogue(user) -> None:
    """Refuse with 403 before reading the input: the catalogue is the client's operators' alone."""
    permissions.require(permissions.may_manage_catalogue(user, getattr(user, "organisation_id", None)))


def _int_param(request, name: str) -> int | None:
    value = request.query_params.get(name, "")
    return int(value) if value.isdigit() else None


class PartItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The spare parts the signed-in user may see."""

    serializer_class = s.PartItemSerializer
    permission_classes = [IsAuthenticated, ReadOnlyRolesCannotWrite]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return PartItem.objects.none()
        return selectors.item_list(user=self.request.user).order_by("code", "pk")

    def get_object(self) -> PartItem:
        return selectors.item_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(
        summary=_("Add a spare part"),
        request=s.PartItemInputSerializer,
        responses={201: s.PartItemSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        _require_catalogue(request.user)
        item = services.item_create(actor=request.user, **_input(self, s.PartItemInputSerializer))
        response = Response(s.PartItemSerializer(item).data, status=status.HTTP_201_CREATED)
        response["Location"] = reverse("api:part-item-detail", kwargs={"pk": item.pk})
        return response


class StockLocationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The stock locations of the signed-in user's organisation."""

    serializer_class = s.StockLocationSerializer
    permission_classes = [IsAuthenticated, ReadOnlyRolesCannotWrite]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return StockLocation.objects.none()
        return selectors.location_list(user=self.request.user).order_by("code", "pk")

    def get_object(self) -> StockLocation:
        return selectors.location_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(
        summary=_("Add a stock location"),
        request=s.StockLocationInputSerializer,
        responses={201: s.StockLocationSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        _require_catalogue(request.user)
        location = services.location_create(actor=request.user, **_input(self, s.StockLocationInputSerializer))
        response = Response(s.StockLocationSerializer(location).data, status=status.HTTP_201_CREATED)
        response["Location"] = reverse("api:part-location-detail", kwargs={"pk": location.pk})
        return response


class StockLevelViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Stock per part × location (filter with ?item= and ?location=), with to order and low stock."""

    serializer_class = s.StockLevelSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return StockLevel.objects.none()
        qs = selectors.level_list(user=self.request.user)
        for name in ("item", "location"):
            value = _int_param(self.request, name)
            if value is not None:
                qs = qs.filter(**{f"{name}_id": value})
        return qs


class StockMovementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The stock ledger (filter with ?item=, ?location=, ?kind=); POST records a movement, never a change."""

    serializer_class = s.StockMovementSerializer
    permission_classes = [IsAuthenticated, ReadOnlyRolesCannotWrite]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return StockMovement.objects.none()
        qs = selectors.movement_list(user=self.request.user)
        for name in ("item", "location"):
            value = _int_param(self.request, name)
            if value is not None:
                qs = qs.filter(**{f"{name}_id": value})
        kind = self.request.query_params.get("kind")
        if kind:
            qs = qs.filter(kind=kind)
        return qs

    def get_object(self) -> StockMovement:
        return self._one(self.kwargs["pk"])

    def _one(self, pk) -> StockMovement:
        try:
            return self.get_queryset().get(pk=pk)
        except (StockMovement.DoesNotExist, ValueError, TypeError) as exc:
            raise Http404 from exc

    @extend_schema(
        summary=_("Record a stock movement"),
        description=_(
            "Kinds: order, order_cancel, receive, consume (needs work_order, its number), return, adjust (needs "
            "a reason; a negative quantity removes stock). Refused with 409 out_of_stock when it would take more "
            "than is on hand."
        ),
        request=s.StockMovementInputSerializer,
        responses={201: s.StockMovementSerializer, **MOVEMENT_ERRORS},
    )
    def create(self, request: Request) -> Response:
        data = _input(self, s.StockMovementInputSerializer)
        movement = services.movement_record(actor=request.user, **data)
        response = Response(s.StockMovementSerializer(self._one(movement.pk)).data, status=status.HTTP_201_CREATED)
        response["Location"] = reverse("api:part-movement-detail", kwargs={"pk": movement.pk})
        return response

    @extend_schema(
        summary=_("Transfer units between two locations"),
        description=_("Writes two ledger rows in one transaction (out of the source, into the destination)."),
        request=s.StockTransferInputSerializer,
        responses={201: s.StockMovementSerializer(many=True), **MOVEMENT_ERRORS},
    )
    @action(detail=False, methods=["post"])
    def transfer(self, request: Request) -> Response:
        data = _input(self, s.StockTransferInputSerializer)
        rows = services.stock_transfer(actor=request.user, **data)
        body = s.StockMovementSerializer([self._one(row.pk) for row in rows], many=True).data
        return Response(body, status=status.HTTP_201_CREATED)
