"""Contact-centre API: queues (read), current interval facts (read, filtered by queue and time) and posting
interval facts as JSON rows (the same validation as a file: all-or-nothing, idempotent, revisions and locks).
Visibility comes from contactcentre.selectors: what the reader may not see is a 404."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from oversight.contactcentre import selectors, services
from oversight.contactcentre.api import serializers as s
from oversight.contactcentre.models import IntervalFact, Queue
from oversight.core.api.permissions import ReadOnlyRolesCannotWrite
from oversight.core.api.responses import ERRORS
from oversight.core.api.viewsets import ScopedReadOnlyViewSet
from oversight.core.filters import parse_id
from oversight.tenancy.roles import is_client, is_vendor
from oversight.tenancy.selectors import vendor_list


class SeesContactCentre(BasePermission):
    """The client side and vendor staff; requesters get 403."""

    message = _("Your role cannot see contact-centre data.")

    def has_permission(self, request, view) -> bool:
        return is_client(request.user) or is_vendor(request.user)


PERMISSIONS = [IsAuthenticated, SeesContactCentre, ReadOnlyRolesCannotWrite]


class ContactQueueViewSet(ScopedReadOnlyViewSet):
    """Contact queues (客服队列) the signed-in user may see."""

    serializer_class = s.QueueSerializer
    permission_classes = PERMISSIONS
    schema_model = Queue

    def select(self, user):
        return selectors.queue_list(user=user)


def _instant(raw, name):
    if raw in (None, ""):
        return None
    try:
        value = dt.datetime.fromisoformat(raw)
    except ValueError as exc:
        raise ValidationError({name: _("Give an ISO 8601 date and time with its offset.")}) from exc
    if value.tzinfo is None:
        raise ValidationError({name: _("Give an ISO 8601 date and time with its offset.")})
    return value


class IntervalFactViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Current interval facts (区间数据) of visible queues; POST rows to add or correct them."""

    serializer_class = s.IntervalFactSerializer
    permission_classes = PERMISSIONS

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return IntervalFact.objects.none()
        params = self.request.query_params
        queues = None
        if params.get("queue"):
            queue_id = parse_id(params["queue"])
            if queue_id is None:
                raise ValidationError({"queue": _("Give a queue id.")})
            queues = selectors.queue_list(user=self.request.user).filter(pk=queue_id)
        return selectors.current_facts(
            user=self.request.user,
            queues=queues,
            start=_instant(params.get("from"), "from"),
            end=_instant(params.get("to"), "to"),
        ).select_related("queue")

    @extend_schema(
        parameters=[
            OpenApiParameter("queue", int, description="A queue's id."),
            OpenApiParameter("from", str, description="Interval starts from (ISO 8601 with offset)."),
            OpenApiParameter("to", str, description="Interval starts before (ISO 8601 with offset)."),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=s.FactsPostSerializer, responses={200: s.FactsOutcomeSerializer, **ERRORS})
    def create(self, request, *args, **kwargs):
        body = s.FactsPostSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        vendors = vendor_list(user=request.user)
        vendor_id = data.get("vendor") or getattr(request.user, "vendor_id", None)
        vendor = vendors.filter(pk=vendor_id).first() if vendor_id else None
        if vendor is None:
            raise NotFound(_("No such vendor."))
        outcome = services.facts_post(
            actor=request.user,
            vendor=vendor,
            rows=data["rows"],
            correction_reason=data.get("correction_reason", ""),
        )
        result = {
            "rows": outcome.rows,
            "created": outcome.created,
            "revised": outcome.revised,
            "unchanged": outcome.unchanged,
        }
        return Response(s.FactsOutcomeSerializer(result).data, status=status.HTTP_200_OK)
