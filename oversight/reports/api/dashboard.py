"""Vendor dashboard API: `GET /api/v1/vendor-dashboard/?period=2026-10` — the figures of the web page as JSON.

Client roles only (others get 403); the figures and what they may include come from ``reports.dashboard``,
exactly as on `/reports/dashboard/`. A bad period is a 400 with the one API error body.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from oversight.core.errors import NotAllowed
from oversight.reports import dashboard as selectors
from oversight.tenancy.models import Vendor

MONEY_OR_FIGURE = {"max_digits": None, "decimal_places": 2, "allow_null": True, "read_only": True}


class FigureSerializer(serializers.Serializer):
    """One figure of a vendor: this period, the previous one, the change, and whether it is the row's best."""

    value = serializers.DecimalField(**MONEY_OR_FIGURE, help_text=_("This period's value (null: nothing to measure)."))
    previous = serializers.DecimalField(**MONEY_OR_FIGURE, help_text=_("The previous period's value."))
    delta = serializers.DecimalField(**MONEY_OR_FIGURE, help_text=_("value − previous (null when either is null)."))
    currency = serializers.CharField(read_only=True, help_text=_("ISO 4217 code of a money figure, else empty."))
    best = serializers.BooleanField(read_only=True, help_text=_("The best value of this figure among the vendors."))


class FiguresSerializer(serializers.Serializer):
    """Every compared figure (definitions: docs/dashboard.md)."""

    received = FigureSerializer(read_only=True, help_text=_("Work orders received (cancelled ones left out)."))
    response_timeliness = FigureSerializer(read_only=True, help_text=_("Response timeliness, percent."))
    resolution_timeliness = FigureSerializer(
        read_only=True, help_text=_("Resolution timeliness (SLA compliance), percent.")
    )
    csat_mean = FigureSerializer(read_only=True, help_text=_("CSAT, mean stars (1–5)."))
    csat_satisfied_share = FigureSerializer(read_only=True, help_text=_("CSAT, share of 4–5 stars, percent."))
    nps = FigureSerializer(read_only=True, help_text=_("Net promoter score (−100 to 100)."))
    complaint_count = FigureSerializer(read_only=True, help_text=_("Complaints opened in the period."))
    score = FigureSerializer(read_only=True, help_text=_("Plain mean of the contracts' evaluation scores."))
    cost = FigureSerializer(read_only=True, help_text=_("The fee of the period (null when in several currencies)."))
    cost_per_work_order = FigureSerializer(read_only=True, help_text=_("Cost ÷ work orders received."))


class ContractScoreSerializer(serializers.Serializer):
    """The score of one contract's evaluation period overlapping the dashboard period."""

    evaluation_period = serializers.IntegerField(source="period_id", read_only=True)
    contract = serializers.IntegerField(source="contract_id", read_only=True)
    contract_number = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True, help_text=_("The evaluation period, e.g. 2026-Q3."))
    status = serializers.CharField(read_only=True, help_text=_("draft, published, disputed, signed, locked…"))
    score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True, read_only=True)


class StatementRefSerializer(serializers.Serializer):
    """A settlement statement counted in the cost."""

    id = serializers.IntegerField(source="pk", read_only=True)
    contract_number = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    total = serializers.DecimalField(max_digits=None, decimal_places=2, read_only=True)
    currency = serializers.CharField(read_only=True)


class AmountSerializer(serializers.Serializer):
    """An amount in one currency."""

    currency = serializers.CharField(read_only=True)
    amount = serializers.DecimalField(max_digits=None, decimal_places=2, read_only=True)


class TrendPointSerializer(serializers.Serializer):
    """Resolution timeliness of one trailing period."""

    period = serializers.CharField(read_only=True)
    value = serializers.DecimalField(max_digits=None, decimal_places=2, allow_null=True, read_only=True)


class VendorColumnSerializer(serializers.Serializer):
    """One vendor's column of the dashboard."""

    id = serializers.SerializerMethodField()
    name = serializers.SerializerMethodField()
    figures = serializers.SerializerMethodField()
    scores = ContractScoreSerializer(many=True, read_only=True)
    cost_source = serializers.SerializerMethodField(
        help_text=_("statements, base_fee or statements_and_base_fee (empty: no cost known).")
    )
    costs = serializers.SerializerMethodField()
    statements = serializers.SerializerMethodField()
    resolution_trend = serializers.SerializerMethodField()

    def get_id(self, column) -> int:
        return column.vendor.pk

    def get_name(self, column) -> str:
        return column.vendor.name

    @extend_schema_field(FiguresSerializer)
    def get_figures(self, column) -> dict:
        return FiguresSerializer({code: _cell(cell) for code, cell in column.cells.items()}).data

    def get_cost_source(self, column) -> str:
        return column.cost.source

    @extend_schema_field(AmountSerializer(many=True))
    def get_costs(self, column) -> list:
        rows = [{"currency": c, "amount": a} for c, a in column.cost.amounts.items()]
        return AmountSerializer(rows, many=True).data

    @extend_schema_field(StatementRefSerializer(many=True))
    def get_statements(self, column) -> list:
        return StatementRefSerializer(column.cost.statements, many=True).data

    @extend_schema_field(TrendPointSerializer(many=True))
    def get_resolution_trend(self, column) -> list:
        rows = [
            {"period": f.period.key, "value": value}
            for f, value in zip(column.trend, column.resolution_trend, strict=True)
        ]
        return TrendPointSerializer(rows, many=True).data


def _cell(cell: selectors.Cell) -> dict:
    return {
        "value": cell.value,
        "previous": cell.previous,
        "delta": cell.delta,
        "currency": cell.currency,
        "best": cell.best,
    }


class DashboardSerializer(serializers.Serializer):
    """The comparison of one period: the period, the previous one, the trend window and one entry per vendor."""

    organisation = serializers.SerializerMethodField()
    period = serializers.SerializerMethodField(help_text=_("The period's key: 2026-10 or 2026-Q3."))
    kind = serializers.SerializerMethodField(help_text=_("monthly or quarterly."))
    start_at = serializers.SerializerMethodField()
    end_at = serializers.SerializerMethodField(help_text=_("Exclusive end of the period (UTC)."))
    previous_period = serializers.SerializerMethodField()
    trailing_periods = serializers.SerializerMethodField(help_text=_("Keys of the trend window, oldest first."))
    currencies = serializers.ListField(child=serializers.CharField(), read_only=True)
    mixed_currencies = serializers.BooleanField(
        read_only=True, help_text=_("True when the vendors' fees are in several currencies: costs are not ranked.")
    )
    vendors = VendorColumnSerializer(source="columns", many=True, read_only=True)

    def get_organisation(self, board) -> int:
        return board.organisation.pk

    def get_period(self, board) -> str:
        return board.period.key

    def get_kind(self, board) -> str:
        return str(board.period.kind)

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_start_at(self, board):
        return serializers.DateTimeField().to_representation(board.period.start_at)

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_end_at(self, board):
        return serializers.DateTimeField().to_representation(board.period.end_at)

    def get_previous_period(self, board) -> str:
        return board.previous.key

    def get_trailing_periods(self, board) -> list[str]:
        return [p.key for p in board.trailing]


class VendorDashboardViewSet(viewsets.GenericViewSet):
    """The organisation's vendors side by side for one month or quarter (client roles)."""

    serializer_class = DashboardSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = None
    queryset = Vendor.objects.none()  # the figures come from reports.dashboard; this only names the model

    @extend_schema(
        summary=_("Vendor dashboard"),
        description=_(
            "Each vendor of the organisation with activity or a contract in force, side by side: work orders, "
            "SLA compliance, CSAT, NPS, complaints, evaluation score and cost per work order, with the previous "
            "period's values, the best value of each figure and the resolution-timeliness trend "
            "(docs/dashboard.md)."
        ),
        parameters=[
            OpenApiParameter(
                "period",
                OpenApiTypes.STR,
                description=_("A month (2026-10) or a quarter (2026-Q3); default: the last complete month."),
            ),
            OpenApiParameter(
                "kind",
                OpenApiTypes.STR,
                enum=["monthly", "quarterly"],
                description=_("Without a period: the last complete month or quarter."),
            ),
        ],
        responses={
            200: DashboardSerializer,
            400: OpenApiResponse(description=_("Not a period.")),
            403: OpenApiResponse(description=_("Your role may not do this.")),
        },
    )
    def list(self, request: Request) -> Response:
        try:
            organisation = selectors.dashboard_organisation(
                user=request.user, organisation_id=request.query_params.get("organisation")
            )
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        if organisation is None:
            raise PermissionDenied(_("There is no client organisation to compare vendors of."))
        period = selectors.resolve_period(
            organisation, key=request.query_params.get("period", ""), kind=request.query_params.get("kind", "")
        )
        board = selectors.vendor_dashboard(user=request.user, period=period, organisation=organisation)
        return Response(DashboardSerializer(board).data)
