"""The improvement API: items (raise, read, change; transitions as POST actions with If-Match against the ETag), their
effect measurements (read; measure at review) and the benefit realised.

Views only parse input (serializers), call a service or a selector and serialize the result. Requesters get 403 on
every endpoint; an item of another vendor or organisation is 404."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from oversight.core.api.etags import if_match_version
from oversight.core.api.permissions import ReadOnlyRolesCannotWrite
from oversight.core.api.responses import CHANGE_ERRORS, ERRORS, IF_MATCH, transition_parameter
from oversight.improvement import selectors, services, sources
from oversight.improvement.api import serializers as s
from oversight.improvement.choices import ItemAction
from oversight.improvement.filters import ItemFilter
from oversight.improvement.models import ImprovementItem
from oversight.tenancy.roles import STAFF_ROLES, is_signed_in

TRANSITION = transition_parameter(ItemAction.values)


class SeesRegister(BasePermission):
    """The register is the client's and the vendors' staff's (requesters see none of it)."""

    message = _("Your role cannot see the improvement register.")

    def has_permission(self, request, view) -> bool:
        user = request.user
        return is_signed_in(user) and (user.is_superuser or user.role in STAFF_ROLES)


class ImprovementViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Improvements (改进项) of the continuous-improvement register."""

    serializer_class = s.ImprovementListSerializer
    permission_classes = [IsAuthenticated, SeesRegister, ReadOnlyRolesCannotWrite]
    filterset_class = ItemFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ImprovementItem.objects.none()
        return selectors.item_list(user=self.request.user).order_by("-created_at", "-pk")

    def get_object(self) -> ImprovementItem:
        return selectors.item_get(user=self.request.user, pk=self.kwargs["pk"])

    def _input(self, serializer_class, *, partial: bool = False):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context(), partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _detail(self, pk: int, *, status_code: int = status.HTTP_200_OK) -> Response:
        item = selectors.item_get(user=self.request.user, pk=pk)
        data = s.ImprovementDetailSerializer(item, context=self.get_serializer_context()).data
        response = Response(data, status_code)
        response["ETag"] = item.etag
        return response

    def _if_match(self, item) -> int | None:
        return if_match_version(self.request, item, _("If-Match does not match this ETag. Reload it and try again."))

    @extend_schema(summary=_("List improvements"))
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary=_("Read an improvement"), responses={200: s.ImprovementDetailSerializer, 404: ERRORS[404]})
    def retrieve(self, request: Request, pk=None) -> Response:
        return self._detail(self.get_object().pk)

    @extend_schema(
        summary=_("Raise an improvement"),
        request=s.ImprovementInputSerializer,
        responses={201: s.ImprovementDetailSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        data = self._input(s.ImprovementInputSerializer)
        kind, source_id = sources.parse(data.pop("source", "manual"))
        item = services.item_create(actor=request.user, source_kind=kind, source_id=source_id, **data)
        return self._detail(item.pk, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Change an improvement's details"),
        parameters=[IF_MATCH],
        request=s.ImprovementInputSerializer,
        responses={200: s.ImprovementDetailSerializer, **CHANGE_ERRORS},
    )
    def partial_update(self, request: Request, pk=None) -> Response:
        item = self.get_object()
        data = self._input(s.ImprovementInputSerializer, partial=True)
        data.pop("source", None)
        data.pop("source_note", None)
        services.item_update(actor=request.user, item=item, expected_version=self._if_match(item), **data)
        return self._detail(item.pk)

    @extend_schema(
        summary=_("Perform an improvement transition"),
        description=_(
            "accept, assess, approve and reject (the approver; reject needs a note), start, hold (needs a note), "
            "resume, complete (records the implementation date) and close (needs a measurement when an indicator is "
            "named)."
        ),
        parameters=[TRANSITION, IF_MATCH],
        request=s.ImprovementTransitionInputSerializer,
        responses={200: s.ImprovementDetailSerializer, **CHANGE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path=r"transitions/(?P<transition>[a-z_]+)", url_name="transition")
    def transition(self, request: Request, pk=None, transition: str = "") -> Response:
        if transition not in ItemAction.values:
            raise NotFound(_("Unknown transition: %(name)s") % {"name": transition})
        item = self.get_object()
        data = self._input(s.ImprovementTransitionInputSerializer)
        services.item_transition(
            actor=request.user,
            item=item,
            action=transition,
            expected_version=self._if_match(item),
            note=data["note"],
            implemented_on=data["implemented_on"],
        )
        return self._detail(item.pk)

    @extend_schema(
        methods=["get"],
        summary=_("An improvement's effect measurements"),
        responses={200: s.EffectMeasurementSerializer(many=True)},
    )
    @extend_schema(
        methods=["post"],
        summary=_("Measure an improvement's effect"),
        description=_("At review: the indicator over the same number of days before and after the implementation."),
        request=s.ImprovementMeasureInputSerializer,
        responses={201: s.EffectMeasurementSerializer, **ERRORS},
    )
    @action(detail=True, methods=["get", "post"], url_path="measurements", url_name="measurements")
    def measurements(self, request: Request, pk=None) -> Response:
        item = self.get_object()
        if request.method == "GET":
            records = selectors.measurements(user=request.user, item=item)
            return Response(s.EffectMeasurementSerializer(records, many=True).data)
        data = self._input(s.ImprovementMeasureInputSerializer)
        record = services.effect_measure(actor=request.user, item=item, **data)
        return Response(s.EffectMeasurementSerializer(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Record the benefit realised"),
        parameters=[IF_MATCH],
        request=s.ImprovementBenefitInputSerializer,
        responses={200: s.ImprovementDetailSerializer, **CHANGE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="benefit", url_name="benefit")
    def benefit(self, request: Request, pk=None) -> Response:
        item = self.get_object()
        data = self._input(s.ImprovementBenefitInputSerializer)
        services.benefit_record(actor=request.user, item=item, expected_version=self._if_match(item), **data)
        return self._detail(item.pk)
