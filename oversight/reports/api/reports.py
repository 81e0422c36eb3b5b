"""Service report API: a vendor's (or one contract's) report of a month or quarter as JSON, PDF or XLSX.

``GET /api/v1/service-reports/<vendor id>/?period=2026-10[&contract=<id>]`` (period defaults to the last complete
month). Read-only; who may read which report comes from ``reports.selectors`` (a role that may never read reports
gets 403, an invisible vendor or contract 404, a bad period key 400).
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from oversight.core.files import download_response
from oversight.reports import selectors
from oversight.reports.documents import PDF_CONTENT_TYPE, XLSX_CONTENT_TYPE, report_filename, report_pdf, report_xlsx
from oversight.reports.periods import last_complete_period, period_from_key
from oversight.tenancy.models import Vendor
from oversight.tickets.api.views import DownloadRenderer

ERRORS = {
    400: OpenApiResponse(description=_("Invalid input, or a business rule refused it.")),
    403: OpenApiResponse(description=_("Your role may not do this.")),
    404: OpenApiResponse(description=_("Not found, or not visible to you.")),
}
PARAMETERS = [
    OpenApiParameter(
        "period",
        OpenApiTypes.STR,
        description=_("A month as 2026-10 or a quarter as 2026-Q3 (default: the last complete month)."),
    ),
    OpenApiParameter("contract", OpenApiTypes.INT, description=_("Restrict the report to one contract's scope.")),
]


class _Named(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()


class _Contract(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    number = serializers.CharField()
    title = serializers.CharField()


class _Period(serializers.Serializer):
    key = serializers.CharField()
    kind = serializers.CharField()
    first = serializers.DateField()
    last = serializers.DateField()
    start_at = serializers.DateTimeField()
    end_at = serializers.DateTimeField()


class _Figure(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()
    value = serializers.DecimalField(max_digits=40, decimal_places=10, allow_null=True, coerce_to_string=True)
    previous = serializers.DecimalField(max_digits=40, decimal_places=10, allow_null=True, coerce_to_string=True)
    text = serializers.CharField()
    previous_text = serializers.CharField()


class _Volume(serializers.Serializer):
    id = serializers.IntegerField(source="key", allow_null=True)
    name = serializers.CharField()
    category = serializers.CharField()
    received = serializers.IntegerField()
    resolved = serializers.IntegerField()
    breached = serializers.IntegerField()


class _Trend(serializers.Serializer):
    key = serializers.CharField()
    received = serializers.IntegerField()
    resolved = serializers.IntegerField()
    response_timeliness = serializers.DecimalField(source="response", max_digits=40, decimal_places=10, allow_null=True)
    resolution_timeliness = serializers.DecimalField(
        source="resolution", max_digits=40, decimal_places=10, allow_null=True
    )
    csat_mean = serializers.DecimalField(source="csat", max_digits=40, decimal_places=10, allow_null=True)
    nps = serializers.DecimalField(max_digits=40, decimal_places=10, allow_null=True)


class _Breach(serializers.Serializer):
    work_order_id = serializers.IntegerField()
    number = serializers.CharField()
    title = serializers.CharField()
    service = serializers.CharField()
    priority = serializers.CharField()
    metric = serializers.CharField()
    due_at = serializers.DateTimeField()
    achieved_at = serializers.DateTimeField(allow_null=True)
    late_seconds = serializers.IntegerField()


class _Recurring(serializers.Serializer):
    label = serializers.CharField()
    service = serializers.CharField()
    count = serializers.IntegerField()
    first_at = serializers.DateTimeField()
    last_at = serializers.DateTimeField()


class _Complaint(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    work_order_number = serializers.CharField()
    opened_at = serializers.DateTimeField()
    status = serializers.CharField()
    resolved_at = serializers.DateTimeField(allow_null=True)
    resolution = serializers.CharField()


class _Evaluation(serializers.Serializer):
    period_id = serializers.IntegerField()
    contract_number = serializers.CharField()
    label = serializers.CharField()
    status = serializers.CharField(source="status_label")
    score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    statement_id = serializers.IntegerField(allow_null=True)
    statement_status = serializers.CharField()
    currency = serializers.CharField()
    base_fee = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    deductions = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    credits = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    total = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)


class _Part(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    units = serializers.IntegerField()
    unit_price = serializers.DecimalField(max_digits=14, decimal_places=2)
    currency = serializers.CharField()
    total = serializers.DecimalField(max_digits=14, decimal_places=2)
    work_orders = serializers.ListField(child=serializers.CharField())


class _Action(serializers.Serializer):
    """An item of the improvement register in the period, with its state and measured effect."""

    id = serializers.IntegerField(source="pk")
    number = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    source = serializers.CharField(source="source_label")
    owner = serializers.CharField()
    raised_at = serializers.DateTimeField()
    implemented_on = serializers.DateField(allow_null=True)
    indicator = serializers.CharField()
    target = serializers.DecimalField(max_digits=20, decimal_places=6, allow_null=True)
    before = serializers.DecimalField(max_digits=20, decimal_places=6, allow_null=True)
    after = serializers.DecimalField(max_digits=20, decimal_places=6, allow_null=True)
    change = serializers.DecimalField(max_digits=20, decimal_places=6, allow_null=True)
    relative_change = serializers.DecimalField(max_digits=20, decimal_places=6, allow_null=True)
    target_met = serializers.BooleanField(allow_null=True)
    effect = serializers.CharField()
    benefit_amount = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    currency = serializers.CharField()


class ServiceReportSerializer(serializers.Serializer):
    """The whole report as JSON (the same figures as the page, PDF and XLSX)."""

    title = serializers.CharField()
    organisation = _Named()
    vendor = _Named()
    contract = _Contract(allow_null=True)
    period = _Period()
    previous_period = serializers.CharField(source="previous.key")
    generated_at = serializers.DateTimeField()
    in_force = serializers.BooleanField()
    figures = _Figure(many=True)
    by_service = _Volume(many=True)
    by_category = _Volume(many=True)
    trend = _Trend(many=True)
    breaches = _Breach(many=True)
    recurring_places = _Recurring(many=True)
    recurring_assets = _Recurring(many=True)
    complaints = _Complaint(many=True)
    evaluations = _Evaluation(many=True)
    parts = _Part(many=True)
    improvement_actions = _Action(many=True, source="actions")


class ServiceReportViewSet(viewsets.GenericViewSet):
    """Service reports of the vendors the signed-in user may read."""

    serializer_class = ServiceReportSerializer
    schema_model = Vendor  # the <pk> names a vendor
    permission_classes = [IsAuthenticated]
    pagination_class = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not selectors.may_read_reports(request.user):
            raise PermissionDenied(_("Your role cannot read service reports."))

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Vendor.objects.none()
        return selectors.report_vendors(user=self.request.user)

    def _report(self, request: Request, pk):
        user = request.user
        vendor = selectors.report_vendor_get(user=user, pk=pk)
        contract_id = None
        raw = (request.query_params.get("contract") or "").strip()
        if raw:
            contract_id = selectors.report_contract_of_vendor(user=user, pk=raw, vendor_id=vendor.pk).pk
        key = (request.query_params.get("period") or "").strip()
        period = period_from_key(key, vendor.organisation) if key else last_complete_period(vendor.organisation)
        return selectors.service_report(user=user, vendor_id=vendor.pk, contract_id=contract_id, period=period)

    @extend_schema(
        summary=_("A vendor's service report for a month or quarter"),
        parameters=PARAMETERS,
        responses={200: ServiceReportSerializer, **ERRORS},
    )
    def retrieve(self, request: Request, pk=None) -> Response:
        return Response(ServiceReportSerializer(self._report(request, pk)).data)

    @extend_schema(
        summary=_("The service report as PDF"),
        parameters=PARAMETERS,
        responses={(200, PDF_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY), **ERRORS},
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, DownloadRenderer])
    def pdf(self, request: Request, pk=None) -> HttpResponse:
        report = self._report(request, pk)
        return download_response(
            report_pdf(report), content_type=PDF_CONTENT_TYPE, filename=report_filename(report, "pdf")
        )

    @extend_schema(
        summary=_("The service report as XLSX"),
        parameters=PARAMETERS,
        responses={(200, XLSX_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY), **ERRORS},
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, DownloadRenderer])
    def xlsx(self, request: Request, pk=None) -> HttpResponse:
        report = self._report(request, pk)
        return download_response(
            report_xlsx(report), content_type=XLSX_CONTENT_TYPE, filename=report_filename(report, "xlsx")
        )
