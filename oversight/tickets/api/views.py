"""Work-order API: list/create/read/patch, transitions and other changes as POST actions, and sub-resources.

Views only parse input (serializers), call a service or a selector, and serialize the result.
Visibility comes from tickets.selectors (another vendor's or organisation's work order is a 404);
concurrency from ETag / If-Match (a stale If-Match is a 412).
"""

from __future__ import annotations

from functools import cached_property

from django.http import FileResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from oversight.core.api.etags import if_match_version
from oversight.core.api.permissions import ReadOnlyRolesCannotWrite
from oversight.core.files import download_response
from oversight.core.filters import parse_id
from oversight.tickets import permissions, selectors, services
from oversight.tickets.api import serializers as s
from oversight.tickets.filters import WorkOrderFilter
from oversight.tickets.models import Attachment, Comment, SLAClock, WorkOrder, WorkOrderEvent

IDEMPOTENCY_KEY_MAX = 100
API_ACTION_VALUES = frozenset(value for value, _label in s.API_ACTIONS)

WORK_ORDER_ID = OpenApiParameter(
    "id",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description=_("The work order's id, or its number (e.g. GH20260000001)."),
)
NESTED_WORK_ORDER_ID = OpenApiParameter(
    "work_order_id",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description=_("The work order's id, or its number."),
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=_("The ETag of the version you saw; if the work order changed since, the request fails with 412."),
)
ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=True,
    description=_("The work order's current version; send it back in If-Match."),
)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=_(
        "A client-chosen key (at most 100 characters). Repeating a create with the same key returns the "
        "work order made the first time (200 instead of 201) instead of making a second one."
    ),
)
TRANSITION = OpenApiParameter(
    "transition",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    enum=sorted(API_ACTION_VALUES),
    description=_("The transition to perform; the detail's allowed_actions lists those open to you now."),
)
ERRORS = {
    400: OpenApiResponse(description=_("Invalid input, or a business rule refused it.")),
    403: OpenApiResponse(description=_("Your role may not do this.")),
    404: OpenApiResponse(description=_("Not found, or not visible to you.")),
}
CHANGE_ERRORS = {
    **ERRORS,
    409: OpenApiResponse(description=_("Not possible in the work order's current status.")),
    412: OpenApiResponse(description=_("If-Match does not match: someone changed the work order since you read it.")),
}


def resolve_work_order(user, ref) -> WorkOrder:
    """A visible work order by id or by number (404 when it does not exist or is not visible)."""
    ref = str(ref)
    if pk := parse_id(ref):
        return selectors.work_order_get(user=user, pk=pk)
    return selectors.work_order_get_by_number(user=user, number=ref)


def expected_version(request: Request, work_order: WorkOrder) -> int | None:
    """The version the client claims to have seen (from If-Match), or None when it sent no If-Match."""
    return if_match_version(
        request, work_order, _("If-Match does not match this work order's ETag. Reload it and try again.")
    )


class WorkOrderViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Work orders visible to the signed-in user."""

    serializer_class = s.WorkOrderListSerializer
    permission_classes = [IsAuthenticated, ReadOnlyRolesCannotWrite]
    filterset_class = WorkOrderFilter
    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_value_regex = "[^/.]+"  # an id or a work-order number (resolve_work_order)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return WorkOrder.objects.none()
        return selectors.work_order_list(user=self.request.user)

    def get_object(self) -> WorkOrder:
        return resolve_work_order(self.request.user, self.kwargs["pk"])

    def _detail(self, pk: int, *, status_code: int = status.HTTP_200_OK) -> Response:
        work_order = selectors.work_order_get(user=self.request.user, pk=pk)
        data = s.WorkOrderDetailSerializer(work_order, context=self.get_serializer_context()).data
        response = Response(data, status=status_code)
        response["ETag"] = work_order.etag
        return response

    def _input(self, serializer_class, **kwargs):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context(), **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(
        summary=_("List work orders"),
        description=_("Filtering, text search and ordering (from an allowlist) as in the web lists."),
    )
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary=_("Create a work order"),
        parameters=[IDEMPOTENCY_KEY, ETAG],
        request=s.WorkOrderCreateInputSerializer,
        responses={
            201: s.WorkOrderDetailSerializer,
            200: OpenApiResponse(s.WorkOrderDetailSerializer, description=_("Repeated Idempotency-Key.")),
            **ERRORS,
        },
    )
    def create(self, request: Request) -> Response:
        data = self._input(s.WorkOrderCreateInputSerializer)
        key = request.headers.get("Idempotency-Key", "").strip() or None
        if key is not None and len(key) > IDEMPOTENCY_KEY_MAX:
            raise serializers.ValidationError(
                {"Idempotency-Key": [_("At most %(n)s characters.") % {"n": IDEMPOTENCY_KEY_MAX}]}
            )
        work_order, created = services.work_order_create_idempotent(actor=request.user, idempotency_key=key, **data)
        response = self._detail(work_order.pk, status_code=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
        response["Location"] = reverse("api:work-order-detail", kwargs={"pk": work_order.pk})
        return response

    @extend_schema(
        summary=_("Read a work order"),
        parameters=[WORK_ORDER_ID, ETAG],
        responses={200: s.WorkOrderDetailSerializer, 404: ERRORS[404]},
    )
    def retrieve(self, request: Request, pk=None) -> Response:
        return self._detail(self.get_object().pk)

    @extend_schema(
        summary=_("Edit descriptive fields"),
        description=_(
            "Only title, description, location_detail, asset_tag, contact_phone and site can be changed; any other "
            "field in the body is refused with 400. Status changes go through the transitions."
        ),
        parameters=[WORK_ORDER_ID, IF_MATCH, ETAG],
        request=s.WorkOrderUpdateInputSerializer,
        responses={200: s.WorkOrderDetailSerializer, **CHANGE_ERRORS},
    )
    def partial_update(self, request: Request, pk=None) -> Response:
        work_order = self.get_object()
        version = expected_version(request, work_order)
        permissions.require(permissions.may_edit_details(request.user, work_order))
        changes = self._input(s.WorkOrderUpdateInputSerializer, partial=True)
        services.work_order_update_details(
            actor=request.user, work_order=work_order, changes=dict(changes), expected_version=version
        )
        return self._detail(work_order.pk)

    @extend_schema(
        summary=_("Perform a transition"),
        description=_(
            "Move the work order along the lifecycle (accept, arrive, resolve, confirm, reopen, cancel...). "
            "Resolve needs a resolution (or note); reopen and cancel need a note giving the reason. "
            "Repeating a transition that is already done is harmless."
        ),
        parameters=[WORK_ORDER_ID, TRANSITION, IF_MATCH, ETAG],
        request=s.TransitionInputSerializer,
        responses={200: s.WorkOrderDetailSerializer, **CHANGE_ERRORS},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"transitions/(?P<transition>[a-z_]+)",
        url_name="transition",
    )
    def transition(self, request: Request, pk=None, transition: str = "") -> Response:
        if transition not in API_ACTION_VALUES:
            raise NotFound(_("Unknown transition: %(name)s") % {"name": transition})
        work_order = self.get_object()
        version = expected_version(request, work_order)
        data = self._input(s.TransitionInputSerializer)
        services.work_order_transition(
            actor=request.user, work_order=work_order, action=transition, expected_version=version, **data
        )
        return self._detail(work_order.pk)

    @extend_schema(
        summary=_("Dispatch or reassign"),
        parameters=[WORK_ORDER_ID, IF_MATCH, ETAG],
        request=s.AssignInputSerializer,
        responses={200: s.WorkOrderDetailSerializer, **CHANGE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk=None) -> Response:
        work_order = self.get_object()
        version = expected_version(request, work_order)
        permissions.require(permissions.may_reassign(request.user, work_order))
        data = self._input(s.AssignInputSerializer)
        services.work_order_assign(
            actor=request.user,
            work_order=work_order,
            assignee=data.get("assignee"),
            team=data.get("team"),
            note=data["note"],
            expected_version=version,
        )
        return self._detail(work_order.pk)

    @extend_schema(
        summary=_("Transfer to another service or vendor (client side only)"),
        parameters=[WORK_ORDER_ID, IF_MATCH, ETAG],
        request=s.TransferInputSerializer,
        responses={200: s.WorkOrderDetailSerializer, **CHANGE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def transfer(self, request: Request, pk=None) -> Response:
        work_order = self.get_object()
        version = expected_version(request, work_order)
        permissions.require(
            permissions.may_transfer(request.user, work_order), _("Only the client side can transfer work orders.")
        )
        data = self._input(s.TransferInputSerializer)
        services.work_order_transfer(
            actor=request.user,
            work_order=work_order,
            service=data["service"],
            reason=data["reason"],
            expected_version=version,
        )
        return self._detail(work_order.pk)

    @extend_schema(
        summary=_("Change impact and urgency (and so the priority)"),
        parameters=[WORK_ORDER_ID, IF_MATCH, ETAG],
        request=s.PriorityInputSerializer,
        responses={200: s.WorkOrderDetailSerializer, **CHANGE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def priority(self, request: Request, pk=None) -> Response:
        work_order = self.get_object()
        version = expected_version(request, work_order)
        permissions.require(permissions.may_change_priority(request.user, work_order))
        data = self._input(s.PriorityInputSerializer)
        services.work_order_change_priority(
            actor=request.user,
            work_order=work_order,
            impact=data["impact"],
            urgency=data["urgency"],
            reason=data["reason"],
            expected_version=version,
        )
        return self._detail(work_order.pk)

    @extend_schema(
        summary=_("Change several work orders at once"),
        description=_(
            "Dispatch or reassign, transfer, or change the priority of up to 200 work orders. Each work order goes "
            "through its own action with that action's rules and audit, as if it were changed alone, in its own "
            "transaction: the answer lists, in the order sent, what was done and what was refused and why. An id "
            "that does not exist or that you may not see is reported as not_found, the same for both. Repeating "
            "the same change is harmless where the single action is (an assignment to the same person, the same "
            "priority)."
        ),
        request=s.BulkChangeInputSerializer,
        responses={200: s.BulkResultSerializer, 400: ERRORS[400], 403: ERRORS[403]},
    )
    @action(detail=False, methods=["post"])
    def bulk(self, request: Request) -> Response:
        data = self._input(s.BulkChangeInputSerializer)
        ids = data["ids"]
        rows = {wo.pk: wo for wo in selectors.work_order_list(user=request.user).filter(pk__in=ids)}
        outcomes = services.work_orders_bulk_change(
            actor=request.user,
            work_orders=[rows[pk] for pk in ids if pk in rows],
            action=data["action"],
            assignee=data.get("assignee"),
            team=data.get("team"),
            service=data.get("service"),
            impact=data.get("impact"),
            urgency=data.get("urgency"),
            reason=data["reason"],
        )
        by_id = {outcome.work_order.pk: outcome for outcome in outcomes}
        not_found = str(_("Not found, or not visible to you."))
        results = []
        for pk in ids:
            outcome = by_id.get(pk)
            if outcome is None:
                results.append({"id": pk, "number": None, "done": False, "code": "not_found", "reason": not_found})
            else:
                number = outcome.work_order.number
                results.append(
                    {"id": pk, "number": number, "done": outcome.done, "code": outcome.code, "reason": outcome.reason}
                )
        done = sum(1 for item in results if item["done"])
        body = {"action": data["action"], "done": done, "refused": len(results) - done, "results": results}
        return Response(s.BulkResultSerializer(body).data)


class WorkOrderChildViewSet(viewsets.GenericViewSet):
    """Base for a work order's sub-resources: the work order must be visible (else 404)."""

    permission_classes = [IsAuthenticated, ReadOnlyRolesCannotWrite]
    schema_model = None

    @cached_property
    def work_order(self) -> WorkOrder:
        return resolve_work_order(self.request.user, self.kwargs["work_order_id"])

    def select(self, user, work_order):
        raise NotImplementedError

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.schema_model._default_manager.none()
        return self.select(self.request.user, self.work_order)


@extend_schema_view(list=extend_schema(summary=_("The work order's timeline"), parameters=[NESTED_WORK_ORDER_ID]))
class WorkOrderEventViewSet(mixins.ListModelMixin, WorkOrderChildViewSet):
    """The immutable timeline (全过程); internal events are hidden from requesters."""

    serializer_class = s.WorkOrderEventSerializer
    schema_model = WorkOrderEvent

    def select(self, user, work_order):
        return selectors.work_order_events(user=user, work_order=work_order)


@extend_schema_view(list=extend_schema(summary=_("The work order's SLA clocks"), parameters=[NESTED_WORK_ORDER_ID]))
class SLAClockViewSet(mixins.ListModelMixin, WorkOrderChildViewSet):
    """Each SLA clock with due, warning and breach times, elapsed and paused business time, and its segments."""

    serializer_class = s.SLAClockSerializer
    schema_model = SLAClock
    pagination_class = None

    def select(self, user, work_order):
        return selectors.work_order_clocks(work_order=work_order)


@extend_schema_view(
    list=extend_schema(summary=_("The work order's comments"), parameters=[NESTED_WORK_ORDER_ID]),
    create=extend_schema(
        summary=_("Add a comment"),
        parameters=[NESTED_WORK_ORDER_ID],
        request=s.CommentInputSerializer,
        responses={201: s.CommentSerializer, **ERRORS},
    ),
)
class CommentViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, WorkOrderChildViewSet):
    """Comments; internal ones are hidden from requesters and only staff may write them."""

    serializer_class = s.CommentSerializer
    schema_model = Comment

    def select(self, user, work_order):
        return selectors.work_order_comments(user=user, work_order=work_order)

    def create(self, request: Request, *args, **kwargs) -> Response:
        data = s.CommentInputSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        comment = services.comment_create(actor=request.user, work_order=self.work_order, **data.validated_data)
        return Response(self.get_serializer(comment).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary=_("The work order's attachments"), parameters=[NESTED_WORK_ORDER_ID]),
    create=extend_schema(
        summary=_("Upload an attachment"),
        description=_("Multipart upload; size limit and type checked from the file's bytes."),
        parameters=[NESTED_WORK_ORDER_ID],
        request={"multipart/form-data": s.AttachmentInputSerializer},
        responses={201: s.AttachmentSerializer, **ERRORS},
    ),
)
class WorkOrderAttachmentViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, WorkOrderChildViewSet):
    """Attachments; internal ones are hidden from requesters. Files are downloaded from /attachments/{id}/download/."""

    serializer_class = s.AttachmentSerializer
    schema_model = Attachment
    parser_classes = [MultiPartParser, FormParser]

    def select(self, user, work_order):
        return selectors.work_order_attachments(user=user, work_order=work_order)

    def create(self, request: Request, *args, **kwargs) -> Response:
        data = s.AttachmentInputSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        attachment = services.attachment_create(
            actor=request.user,
            work_order=self.work_order,
            upload=data.validated_data["file"],
            is_internal=data.validated_data["is_internal"],
        )
        return Response(self.get_serializer(attachment).data, status=status.HTTP_201_CREATED)


class DownloadRenderer(BaseRenderer):
    """Lets clients ask for the file with `Accept: application/octet-stream`; errors are still JSON."""

    media_type = "application/octet-stream"
    format = "bin"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return JSONRenderer().render(data) if isinstance(data, dict | list) else data


class AttachmentViewSet(viewsets.GenericViewSet):
    """An attachment's metadata and its file, each only after the permission check (404 otherwise)."""

    serializer_class = s.AttachmentSerializer
    permission_classes = [IsAuthenticated, ReadOnlyRolesCannotWrite]

    def get_object(self) -> Attachment:
        return selectors.attachment_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_queryset(self):
        # Only for schema generation: single attachments are fetched through selectors.attachment_get.
        return Attachment.objects.none()

    @extend_schema(summary=_("An attachment's metadata"), responses={200: s.AttachmentSerializer, 404: ERRORS[404]})
    def retrieve(self, request: Request, pk=None) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        summary=_("Download an attachment"),
        description=_(
            "Always sent as a download (Content-Disposition: attachment) with its checked content type and "
            "X-Content-Type-Options: nosniff; never rendered inline."
        ),
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description=_("The file.")),
            404: ERRORS[404],
        },
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, DownloadRenderer])
    def download(self, request: Request, pk=None) -> FileResponse:
        attachment = self.get_object()
        return download_response(
            attachment.file, filename=attachment.original_name, content_type=attachment.content_type
        )
