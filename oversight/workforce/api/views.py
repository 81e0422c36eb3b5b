"""The workforce API: forecast snapshots (list, read with points and accuracy, publish) and the staffing of a
queue per interval. Views only parse input, call a selector or service and serialize. Requesters get 403 on every
endpoint; a queue or snapshot the reader may not see is 404."""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from oversight.contactcentre.models import Queue
from oversight.core.api.permissions import ReadOnlyRolesCannotWrite
from oversight.core.api.responses import ERRORS
from oversight.core.filters import parse_id
from oversight.core.zones import local_today
from oversight.tenancy.roles import STAFF_ROLES, is_signed_in
from oversight.workforce import measure, presentation, selectors, services
from oversight.workforce.api import serializers as s
from oversight.workforce.models import ForecastSnapshot


class StaffOnly(BasePermission):
    """Client and vendor staff (requesters see none of it)."""

    message = _("Your role cannot see forecasts and staffing.")

    def has_permission(self, request, view) -> bool:
        user = request.user
        return is_signed_in(user) and (user.is_superuser or user.role in STAFF_ROLES)


class SnapshotViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Forecast snapshots (预测快照): published forecasts, never changed afterwards."""

    serializer_class = s.ForecastSnapshotSerializer
    permission_classes = [IsAuthenticated, StaffOnly, ReadOnlyRolesCannotWrite]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ForecastSnapshot.objects.none()
        qs = selectors.snapshot_list(user=self.request.user)
        queue = self.request.query_params.get("queue")
        if queue is not None:
            queue_id = parse_id(queue)
            qs = qs.filter(queue_id=queue_id) if queue_id is not None else qs.none()
        return qs

    @extend_schema(
        summary=_("List forecast snapshots"),
        parameters=[OpenApiParameter("queue", int, description=_("Only this queue's snapshots."))],
    )
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary=_("Read a forecast snapshot"), responses={200: s.ForecastSnapshotDetailSerializer, 404: ERRORS[404]}
    )
    def retrieve(self, request: Request, pk=None) -> Response:
        snapshot = selectors.snapshot_get(user=request.user, pk=pk)
        context = {**self.get_serializer_context(), "accuracy": measure.snapshot_accuracy(snapshot)}
        return Response(s.ForecastSnapshotDetailSerializer(snapshot, context=context).data)

    @extend_schema(
        summary=_("Publish a forecast snapshot"),
        request=s.SnapshotInputSerializer,
        responses={201: s.ForecastSnapshotSerializer, 400: ERRORS[400], 403: ERRORS[403]},
    )
    def create(self, request: Request) -> Response:
        serializer = s.SnapshotInputSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        snapshot = services.snapshot_publish(
            queue=data["queue"],
            source=data["source"],
            model=data["model"],
            note=data.get("note", ""),
            points=[(p["interval_start"], p["offered"], p.get("aht_seconds")) for p in data["points"]],
            actor=request.user,
        )
        return Response(s.ForecastSnapshotSerializer(snapshot).data, status=status.HTTP_201_CREATED)


class QueueStaffingViewSet(viewsets.GenericViewSet):
    """Required against staffed agents per interval of a queue."""

    permission_classes = [IsAuthenticated, StaffOnly]
    serializer_class = s.StaffingIntervalSerializer
    schema_model = Queue  # the <pk> is a queue's
    http_method_names = ["get", "head", "options"]

    def get_queryset(self):
        return selectors.queue_list(user=self.request.user)

    @extend_schema(
        summary=_("Staffing of a queue per interval"),
        parameters=[s.StaffingQuerySerializer],
        responses={200: s.StaffingIntervalSerializer(many=True), 404: ERRORS[404]},
    )
    @action(detail=True, methods=["get"])
    def staffing(self, request: Request, pk=None) -> Response:
        queue = selectors.queue_get(user=request.user, pk=pk)
        query = s.StaffingQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        days = query.validated_data.get("days") or 7
        start = query.validated_data.get("start") or local_today(queue.organisation) - dt.timedelta(days=days)
        plan = presentation.plan_for(request.user, queue, start, days)
        rows = []
        for i, at in enumerate(plan.starts):
            ratio = plan.ratio[i]
            rows.append(
                {
                    "interval_start": at,
                    "volume": float(plan.volume[i]),
                    "volume_source": str(plan.volume_source[i]),
                    "aht_seconds": float(plan.aht[i]),
                    "required_erlang_c": int(plan.required_c[i]),
                    "fractional_erlang_c": float(plan.fractional_c[i]),
                    "scheduled_erlang_c": int(plan.scheduled_c[i]),
                    "required_erlang_a": None if plan.required_a is None else int(plan.required_a[i]),
                    "fractional_erlang_a": None if plan.fractional_a is None else float(plan.fractional_a[i]),
                    "staffed_agents": float(plan.actual.staffed[i]),
                    "staffed_ratio": None if np.isnan(ratio) else float(ratio),
                    "understaffed": bool(plan.understaffed[i]),
                }
            )
        return Response(s.StaffingIntervalSerializer(rows, many=True).data)
