"""Evaluation API: periods (list, read, results, commitments, drill-down, timeline), their transitions as POST
actions, manual entries, disputes and their decisions, evidence downloads, and indicator schemes.

Visibility comes from scorecards.selectors (invisible = 404); who may act is decided by the services.
"""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from oversight.core.api.permissions import ReadOnlyRolesCannotWrite
from oversight.core.files import download_response
from oversight.core.filters import parse_id
from oversight.core.kpis import registry
from oversight.scorecards import selectors, services
from oversight.scorecards.api import serializers as s
from oversight.scorecards.filters import PeriodFilter
from oversight.scorecards.models import Dispute, EvaluationPeriod, Evidence, IndicatorScheme
from oversight.tickets.api.views import DownloadRenderer
from oversight.tickets.selectors import work_order_get, work_order_get_by_number

ERRORS = {
    400: OpenApiResponse(description=_("Invalid input, or a business rule refused it.")),
    403: OpenApiResponse(description=_("Your role may not do this.")),
    404: OpenApiResponse(description=_("Not found, or not visible to you.")),
}
CHANGE_ERRORS = {**ERRORS, 409: OpenApiResponse(description=_("Not possible in the evaluation's current status."))}
DRILL_PARAMS = [
    OpenApiParameter("indicator", OpenApiTypes.STR, description=_("An indicator's code (or give commitment).")),
    OpenApiParameter("commitment", OpenApiTypes.STR, description=_("A commitment's code.")),
    OpenApiParameter(
        "set",
        OpenApiTypes.STR,
        description=_("numerator, denominator, excluded or a group name (e.g. pending, promoters); default numerator."),
    ),
    OpenApiParameter("offset", OpenApiTypes.INT, description=_("Records to skip (default 0).")),
    OpenApiParameter("limit", OpenApiTypes.INT, description=_("Records to describe (default 200, at most 1000).")),
]


def describe(record, record_type: str) -> dict:
    """A short description of one record behind a figure (as its registered record kind describes it)."""
    try:
        return registry.record_kind(record_type).describe(record)
    except KeyError:
        return {"id": record.pk}


def evidence_response(evidence: Evidence) -> FileResponse:
    """The file as a download that no browser renders (shared by the API and the HTML page)."""
    return download_response(evidence.file, filename=evidence.original_name, content_type=evidence.content_type)


def find_work_order(user, ref: str):
    """A work order the user may see, by id or number (None for an empty reference); unknown = 400."""
    ref = (ref or "").strip()
    if not ref:
        return None
    try:
        return (
            work_order_get(user=user, pk=pk)
            if (pk := parse_id(ref))
            else work_order_get_by_number(user=user, number=ref)
        )
    except Http404 as exc:
        raise serializers.ValidationError({"work_order": [_("Unknown work order.")]}) from exc


def drilldown_payload(*, user, period: EvaluationPeriod, params) -> dict:
    """The drill-down answer for query parameters indicator|commitment, set, offset, limit."""
    code = params.get("indicator") or ""
    commitment = params.get("commitment") or ""
    if code:
        result = period.results.filter(code=code).select_related("period").first()
    elif commitment:
        result = period.commitment_results.filter(code=commitment).select_related("period").first()
    else:
        raise serializers.ValidationError({"indicator": [_("Name an indicator or a commitment.")]})
    if result is None:
        raise Http404
    which = params.get("set") or "numerator"
    ids = selectors.record_ids(result, which)
    try:
        offset = max(0, int(params.get("offset", 0)))
        limit = min(1000, max(1, int(params.get("limit", 200))))
    except (TypeError, ValueError) as exc:
        raise serializers.ValidationError({"limit": [_("Enter whole numbers.")]}) from exc
    kind = selectors.drilldown_kind(result, which)
    record_type = kind.key if kind else result.record_type
    page = ids[offset : offset + limit]
    records = selectors.drilldown_records(user=user, result=result, which=which).filter(pk__in=page)
    order = {pk: i for i, pk in enumerate(page)}
    chosen = sorted(records, key=lambda r: order.get(r.pk, 0))
    return {
        "figure": code or commitment,
        "set": which,
        "record_type": record_type,
        "ids": ids,
        "records": [describe(r, record_type) for r in chosen],
    }


class EvaluationPeriodViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Evaluation periods visible to the signed-in user, their figures, records, timeline and transitions."""

    serializer_class = s.PeriodSerializer
    permission_classes = [IsAuthenticated, ReadOnlyRolesCannotWrite]
    filterset_class = PeriodFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return EvaluationPeriod.objects.none()
        return selectors.period_list(user=self.request.user).order_by("-starts_on", "contract__number", "-revision")

    def get_object(self) -> EvaluationPeriod:
        return selectors.period_get(user=self.request.user, pk=self.kwargs["pk"])

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _detail(self, pk, status_code=status.HTTP_200_OK) -> Response:
        period = selectors.period_get(user=self.request.user, pk=pk)
        return Response(s.PeriodSerializer(period, context=self.get_serializer_context()).data, status=status_code)

    @extend_schema(
        summary=_("List evaluation periods"),
        description=_("Only current revisions unless all_revisions=true; vendors see their own published ones."),
    )
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary=_("Read an evaluation period"), responses={200: s.PeriodSerializer, **ERRORS})
    def retrieve(self, request: Request, pk=None) -> Response:
        return self._detail(self.get_object().pk)

    @extend_schema(
        summary=_("Open and compute the month or quarter of a contract (on demand)"),
        description=_("Returns the existing period (200) when it is already open, else the new one (201)."),
        request=s.PeriodOpenInputSerializer,
        responses={200: s.PeriodSerializer, 201: s.PeriodSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        data = self._input(s.PeriodOpenInputSerializer)
        period, created = services.period_open(
            contract=data["contract"], kind=data["kind"], day=data["day"], actor=request.user
        )
        return self._detail(period.pk, status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(
        summary=_("Indicator results of a period"), responses={200: s.IndicatorResultSerializer(many=True), **ERRORS}
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def results(self, request: Request, pk=None) -> Response:
        period = self.get_object()
        rows = selectors.period_results(period)
        return Response(s.IndicatorResultSerializer(rows, many=True).data)

    @extend_schema(
        summary=_("SLA commitment results of a period"),
        description=_("measured_exact is the exact measured value settlement uses; forfeited_share_percent the share."),
        responses={200: s.CommitmentResultSerializer(many=True), **ERRORS},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def commitments(self, request: Request, pk=None) -> Response:
        period = self.get_object()
        return Response(s.CommitmentResultSerializer(selectors.commitment_results(period), many=True).data)

    @extend_schema(
        summary=_("The records behind one figure (drill-down)"),
        parameters=DRILL_PARAMS,
        responses={200: s.DrilldownSerializer, **ERRORS},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def drilldown(self, request: Request, pk=None) -> Response:
        period = self.get_object()
        return Response(drilldown_payload(user=request.user, period=period, params=request.query_params))

    @extend_schema(summary=_("The period's timeline"), responses={200: s.PeriodEventSerializer(many=True), **ERRORS})
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def events(self, request: Request, pk=None) -> Response:
        period = self.get_object()
        return Response(s.PeriodEventSerializer(selectors.period_events(period), many=True).data)

    def _transition(self, service, **kwargs) -> Response:
        period = self.get_object()
        service(period=period, actor=self.request.user, **kwargs)
        return self._detail(period.pk)

    @extend_schema(
        summary=_("Recompute a draft or published period"),
        request=None,
        responses={200: s.PeriodSerializer, **CHANGE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def recompute(self, request: Request, pk=None) -> Response:
        return self._transition(services.period_compute)

    @extend_schema(
        summary=_("Publish to the vendor (opens the dispute window)"),
        description=_(
            'A period that has not ended is refused (400, code "period_not_ended") unless the body says '
            '{"early": true}, which confirms publishing early.'
        ),
        request=None,
        responses={200: s.PeriodSerializer, **CHANGE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk=None) -> Response:
        early = request.data.get("early") in (True, "true", "1", 1) if hasattr(request.data, "get") else False
        return self._transition(services.period_publish, early=early)

    @extend_schema(
        summary=_("Sign for your side"),
        description=_("The client's administrator or supervisor signs first; then the vendor manager countersigns."),
        request=None,
        responses={200: s.PeriodSerializer, **CHANGE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def sign(self, request: Request, pk=None) -> Response:
        return self._transition(services.period_sign)

    @extend_schema(
        summary=_("Lock a period signed by both sides"),
        request=None,
        responses={200: s.PeriodSerializer, **CHANGE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def lock(self, request: Request, pk=None) -> Response:
        return self._transition(services.period_lock)

    @extend_schema(
        summary=_("Correct a signed or locked period by a new revision"),
        request=s.ReasonInputSerializer,
        responses={201: s.PeriodSerializer, **CHANGE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def revise(self, request: Request, pk=None) -> Response:
        period = self.get_object()
        data = self._input(s.ReasonInputSerializer)
        revision = services.period_revise(period=period, actor=request.user, reason=data["reason"])
        return self._detail(revision.pk, status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        summary=_("Manual entries of a period"),
        responses={200: s.ManualEntrySerializer(many=True), **ERRORS},
    )
    @extend_schema(
        methods=["POST"],
        summary=_("Enter a manual indicator's value with evidence"),
        description=_("Multipart for files; the period is recomputed."),
        request={"multipart/form-data": s.ManualEntryInputSerializer, "application/json": s.ManualEntryInputSerializer},
        responses={201: s.ManualEntrySerializer, **CHANGE_ERRORS},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="manual-entries",
        parser_classes=[MultiPartParser, FormParser, JSONParser],
        pagination_class=None,
        filterset_class=None,
    )
    def manual_entries(self, request: Request, pk=None) -> Response:
        period = self.get_object()
        if request.method == "GET":
            return Response(s.ManualEntrySerializer(selectors.period_manual_entries(period), many=True).data)
        data = self._input(s.ManualEntryInputSerializer)
        entry = services.manual_entry_create(
            period=period,
            actor=request.user,
            indicator_code=data["indicator"],
            value=data["value"],
            note=data["note"],
            files=data["files"],
        )
        entry = selectors.period_manual_entries(period).get(pk=entry.pk)
        return Response(s.ManualEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"], summary=_("Disputes of a period"), responses={200: s.DisputeSerializer(many=True), **ERRORS}
    )
    @extend_schema(
        methods=["POST"],
        summary=_("Dispute an indicator or one work order behind it (vendor manager)"),
        request={"multipart/form-data": s.DisputeInputSerializer, "application/json": s.DisputeInputSerializer},
        responses={201: s.DisputeSerializer, **CHANGE_ERRORS},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser, FormParser, JSONParser],
        pagination_class=None,
        filterset_class=None,
    )
    def disputes(self, request: Request, pk=None) -> Response:
        period = self.get_object()
        if request.method == "GET":
            return Response(s.DisputeSerializer(selectors.period_disputes(period), many=True).data)
        data = self._input(s.DisputeInputSerializer)
        dispute = services.dispute_open(
            period=period,
            actor=request.user,
            indicator_code=data["indicator"],
            reason=data["reason"],
            work_order=find_work_order(request.user, data["work_order"]),
            files=data["files"],
        )
        dispute = selectors.dispute_get(user=request.user, pk=dispute.pk)
        return Response(s.DisputeSerializer(dispute).data, status=status.HTTP_201_CREATED)


class DisputeViewSet(viewsets.GenericViewSet):
    """A dispute and its decision by the client side."""

    serializer_class = s.DisputeSerializer
    permission_classes = [IsAuthenticated, ReadOnlyRolesCannotWrite]

    def get_queryset(self):
        # Only for schema generation: disputes are fetched through selectors.dispute_get.
        return Dispute.objects.none()

    def get_object(self) -> Dispute:
        return selectors.dispute_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(summary=_("Read a dispute"), responses={200: s.DisputeSerializer, **ERRORS})
    def retrieve(self, request: Request, pk=None) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    def _decide(self, accept: bool) -> Response:
        dispute = self.get_object()
        data = s.DecisionInputSerializer(data=self.request.data)
        data.is_valid(raise_exception=True)
        if accept:
            services.dispute_accept(
                dispute=dispute,
                actor=self.request.user,
                reason=data.validated_data["reason"],
                corrected_value=data.validated_data["corrected_value"],
            )
        else:
            services.dispute_reject(dispute=dispute, actor=self.request.user, reason=data.validated_data["reason"])
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        summary=_("Accept a dispute (the period is recomputed)"),
        request=s.DecisionInputSerializer,
        responses={200: s.DisputeSerializer, **CHANGE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk=None) -> Response:
        return self._decide(True)

    @extend_schema(
        summary=_("Reject a dispute with a reason"),
        request=s.DecisionInputSerializer,
        responses={200: s.DisputeSerializer, **CHANGE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk=None) -> Response:
        return self._decide(False)


class EvidenceViewSet(viewsets.GenericViewSet):
    """An evidence file's metadata and its file, each only after the permission check (404 otherwise)."""

    serializer_class = s.EvidenceSerializer
    permission_classes = [IsAuthenticated, ReadOnlyRolesCannotWrite]

    def get_queryset(self):
        # Only for schema generation: evidence is fetched through selectors.evidence_get.
        return Evidence.objects.none()

    def get_object(self) -> Evidence:
        return selectors.evidence_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(summary=_("An evidence file's metadata"), responses={200: s.EvidenceSerializer, 404: ERRORS[404]})
    def retrieve(self, request: Request, pk=None) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        summary=_("Download an evidence file"),
        description=_("Always sent as a download with its checked content type; never rendered inline."),
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description=_("The file.")),
            404: ERRORS[404],
        },
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, DownloadRenderer])
    def download(self, request: Request, pk=None) -> FileResponse:
        return evidence_response(self.get_object())


class IndicatorSchemeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Indicator scheme versions of the visible contracts; client administrators create new versions."""

    serializer_class = s.SchemeSerializer
    permission_classes = [IsAuthenticated, ReadOnlyRolesCannotWrite]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return IndicatorScheme.objects.none()
        qs = selectors.scheme_list(user=self.request.user)
        contract = parse_id(self.request.query_params.get("contract"))
        if contract:
            qs = qs.filter(contract_id=contract)
        return qs

    def get_object(self) -> IndicatorScheme:
        return selectors.scheme_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(
        summary=_("List indicator scheme versions"),
        parameters=[OpenApiParameter("contract", OpenApiTypes.INT, description=_("Only this contract's versions."))],
    )
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary=_("Read a scheme version"), responses={200: s.SchemeSerializer, **ERRORS})
    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary=_("Create the next version of a contract's scheme (client administrators)"),
        description=_("Every indicator of the new version; the weights must add up to exactly 100."),
        request=s.SchemeCreateInputSerializer,
        responses={201: s.SchemeSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        serializer = s.SchemeCreateInputSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        scheme = services.scheme_version_create(
            contract=data["contract"],
            actor=request.user,
            settings=services.SchemeSettings(
                name=data["name"],
                period_kind=data["period_kind"],
                reopen_window_days=data["reopen_window_days"],
                dispute_window_days=data["dispute_window_days"],
                dispute_calendar=data["dispute_calendar"],
                note=data["note"],
            ),
            indicators=[services.IndicatorInput(**item) for item in data["indicators"]],
        )
        scheme = selectors.scheme_get(user=request.user, pk=scheme.pk)
        return Response(s.SchemeSerializer(scheme).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Create the next version from the hospital O&M template (client administrators)"),
        request=s.TemplateInputSerializer,
        responses={201: s.SchemeSerializer, **ERRORS},
    )
    @action(detail=False, methods=["post"], url_path="from-template")
    def from_template(self, request: Request) -> Response:
        serializer = s.TemplateInputSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        scheme = services.scheme_from_template(
            serializer.validated_data["contract"], request.user, period_kind=serializer.validated_data["period_kind"]
        )
        scheme = selectors.scheme_get(user=request.user, pk=scheme.pk)
        return Response(s.SchemeSerializer(scheme).data, status=status.HTTP_201_CREATED)
