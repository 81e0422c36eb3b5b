"""Settlement API: statements (list, read, lines), prepare from a period, approve, verify, PDF and XLSX downloads.

Visibility comes from settlement.selectors (invisible = 404); who may act is decided by the services.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from oversight.core.api.permissions import ReadOnlyRolesCannotWrite
from oversight.core.files import download_response
from oversight.scorecards.selectors import period_get
from oversight.settlement import selectors, services
from oversight.settlement.api import serializers as s
from oversight.settlement.models import SettlementStatement
from oversight.settlement.pdf import PDF_CONTENT_TYPE, statement_pdf
from oversight.settlement.views import filename
from oversight.settlement.xlsx import XLSX_CONTENT_TYPE, statement_xlsx
from oversight.tickets.api.views import DownloadRenderer

ERRORS = {
    400: OpenApiResponse(description=_("Invalid input, or a business rule refused it.")),
    403: OpenApiResponse(description=_("Your role may not do this.")),
    404: OpenApiResponse(description=_("Not found, or not visible to you.")),
}
CHANGE_ERRORS = {**ERRORS, 409: OpenApiResponse(description=_("Not possible in the current status."))}


class StatementViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Settlement statements visible to the signed-in user, their lines, approval and documents."""

    serializer_class = s.StatementSerializer
    permission_classes = [IsAuthenticated, ReadOnlyRolesCannotWrite]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SettlementStatement.objects.none()
        return selectors.statement_list(user=self.request.user)

    def get_object(self) -> SettlementStatement:
        return selectors.statement_get(user=self.request.user, pk=self.kwargs["pk"])

    def _detail(self, pk, status_code=status.HTTP_200_OK) -> Response:
        statement = selectors.statement_get(user=self.request.user, pk=pk)
        return Response(s.StatementDetailSerializer(statement).data, status=status_code)

    @extend_schema(summary=_("List settlement statements"), description=_("Vendors see their own approved ones."))
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary=_("Read a statement with its lines"), responses={200: s.StatementDetailSerializer, **ERRORS})
    def retrieve(self, request: Request, pk=None) -> Response:
        return self._detail(self.get_object().pk)

    @extend_schema(summary=_("Lines of a statement"), responses={200: s.StatementLineSerializer(many=True), **ERRORS})
    @action(detail=True, methods=["get"], pagination_class=None)
    def lines(self, request: Request, pk=None) -> Response:
        statement = self.get_object()
        return Response(s.StatementLineSerializer(selectors.statement_lines(statement), many=True).data)

    @extend_schema(
        summary=_("Prepare (or recompute the draft of) the statement of a signed period"),
        description=_("Client administrators and supervisors; the period must be signed by both sides or locked."),
        request=s.PrepareInputSerializer,
        responses={201: s.StatementDetailSerializer, **CHANGE_ERRORS},
    )
    @action(detail=False, methods=["post"])
    def prepare(self, request: Request) -> Response:
        data = s.PrepareInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            period = period_get(user=request.user, pk=data.validated_data["period"])
        except Http404 as exc:
            raise serializers.ValidationError({"period": [_("Unknown evaluation period.")]}) from exc
        statement = services.statement_prepare(actor=request.user, period=period)
        return self._detail(statement.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Approve and lock a statement"),
        description=_("Client administrators and supervisors; afterwards its numbers never change."),
        request=None,
        responses={200: s.StatementDetailSerializer, **CHANGE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk=None) -> Response:
        statement = self.get_object()
        services.statement_approve(actor=request.user, statement=statement)
        return self._detail(statement.pk)

    @extend_schema(
        summary=_("Re-run the settlement from the stored inputs and compare"),
        request=None,
        responses={200: s.VerificationSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], pagination_class=None)
    def verify(self, request: Request, pk=None) -> Response:
        outcome = services.statement_verify(actor=request.user, statement=self.get_object())
        return Response(s.VerificationSerializer(outcome).data)

    @extend_schema(
        summary=_("The statement as PDF"),
        responses={(200, PDF_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY), 404: ERRORS[404]},
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, DownloadRenderer])
    def pdf(self, request: Request, pk=None) -> HttpResponse:
        statement = self.get_object()
        return download_response(
            statement_pdf(statement), content_type=PDF_CONTENT_TYPE, filename=filename(statement, "pdf")
        )

    @extend_schema(
        summary=_("The statement as XLSX"),
        responses={(200, XLSX_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY), 404: ERRORS[404]},
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, DownloadRenderer])
    def xlsx(self, request: Request, pk=None) -> HttpResponse:
        statement = self.get_object()
        return download_response(
            statement_xlsx(statement), content_type=XLSX_CONTENT_TYPE, filename=filename(statement, "xlsx")
        )
