"""Portfolio API: vendors with tiers, their tier history, monthly scores and staff compliance, set-tier and
enter-score actions, critical-service coverage, service qualifications (list, create, delete) and the
organisation's portfolio settings (retrieve, update).

Client roles read everything of their organisation; a vendor manager reads only their own vendor's compliance;
other roles get 403. Visibility comes from portfolio.selectors (invisible = 404); who may act is decided by the
services.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, OpenApiTypes, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from oversight.core.api.permissions import ReadOnlyRolesCannotWrite
from oversight.core.zones import local_today
from oversight.portfolio import selectors, services
from oversight.portfolio.api import serializers as s
from oversight.portfolio.models import ServiceQualification
from oversight.tenancy.choices import Role
from oversight.tenancy.models import Organisation, Vendor
from oversight.tenancy.roles import is_client

ERRORS = {
    400: OpenApiResponse(description=_("Invalid input, or a business rule refused it.")),
    403: OpenApiResponse(description=_("Your role may not do this.")),
    404: OpenApiResponse(description=_("Not found, or not visible to you.")),
}


class PortfolioVendorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The vendors of the portfolio with their tier, history, monthly scores and staff compliance."""

    serializer_class = s.PortfolioVendorSerializer
    permission_classes = [IsAuthenticated, ReadOnlyRolesCannotWrite]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        user = request.user
        if is_client(user):
            return
        if self.action == "compliance" and user.role == Role.VENDOR_MANAGER:
            return
        raise PermissionDenied(_("Your role cannot read the vendor portfolio."))

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Vendor.objects.none()
        return selectors.vendor_list(user=self.request.user)

    def _vendor(self, pk, compliance: bool = False) -> Vendor:
        return selectors.vendor_get(user=self.request.user, pk=pk, compliance=compliance)

    @extend_schema(summary=_("List the portfolio's vendors"))
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary=_("Read a vendor of the portfolio"), responses={200: s.PortfolioVendorSerializer, **ERRORS})
    def retrieve(self, request: Request, pk=None) -> Response:
        return Response(s.PortfolioVendorSerializer(self._vendor(pk)).data)

    @extend_schema(summary=_("A vendor's tier history"), responses={200: s.TierChangeSerializer(many=True), **ERRORS})
    @action(detail=True, methods=["get"], url_path="tier-changes")
    def tier_changes(self, request: Request, pk=None) -> Response:
        vendor = self._vendor(pk)
        return Response(
            s.TierChangeSerializer(selectors.tier_changes(user=request.user, vendor=vendor), many=True).data
        )

    @extend_schema(
        summary=_("A vendor's monthly scores"), responses={200: s.MonthlyScoreSerializer(many=True), **ERRORS}
    )
    @action(detail=True, methods=["get"], url_path="monthly-scores")
    def monthly_scores(self, request: Request, pk=None) -> Response:
        vendor = self._vendor(pk)
        scores = selectors.monthly_scores(user=request.user, vendor=vendor)
        return Response(s.MonthlyScoreSerializer(scores, many=True).data)

    @extend_schema(
        summary=_("A vendor's staff compliance today"),
        description=_("Vendor managers may read their own vendor's."),
        responses={200: s.ComplianceSerializer, **ERRORS},
    )
    @action(detail=True, methods=["get"])
    def compliance(self, request: Request, pk=None) -> Response:
        vendor = self._vendor(pk, compliance=True)
        result = selectors.staff_compliance(vendor, local_today(vendor.organisation))
        return Response(s.ComplianceSerializer(result).data)

    @extend_schema(
        summary=_("Change a vendor's tier"),
        description=_("Client administrators and supervisors; the reason is required."),
        request=s.SetTierInputSerializer,
        responses={200: s.TierChangeSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="set-tier")
    def set_tier(self, request: Request, pk=None) -> Response:
        vendor = self._vendor(pk)
        data = s.SetTierInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        change = services.vendor_set_tier(actor=request.user, vendor=vendor, **data.validated_data)
        return Response(s.TierChangeSerializer(change).data)

    @extend_schema(
        summary=_("Enter or override one monthly figure"),
        description=_("Client administrators and supervisors; an entered figure is never overwritten by a recompute."),
        request=s.EnterScoreInputSerializer,
        responses={200: s.MonthlyScoreSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="enter-score")
    def enter_score(self, request: Request, pk=None) -> Response:
        vendor = self._vendor(pk)
        data = s.EnterScoreInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        score = services.monthly_score_enter(actor=request.user, vendor=vendor, **data.validated_data)
        return Response(s.MonthlyScoreSerializer(score).data)


class CoverageViewSet(viewsets.GenericViewSet):
    """Critical-service coverage of the user's organisation (client roles)."""

    serializer_class = s.CoverageSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = None
    queryset = Vendor.objects.none()  # rows come from selectors.coverage; this only names the model for the schema

    @extend_schema(
        summary=_("Critical-service coverage"),
        description=_("Each critical service with its qualified vendors today and whether the minimum is met."),
        responses={200: s.CoverageSerializer(many=True), 403: ERRORS[403]},
    )
    def list(self, request: Request) -> Response:
        if not is_client(request.user):
            raise PermissionDenied(_("Your role cannot read the vendor portfolio."))
        rows = selectors.coverage(user=request.user, on=local_today(request.user.organisation))
        return Response(s.CoverageSerializer(rows, many=True).data)


class ClientOnlyMixin:
    """Client roles only (403 for everyone else, before any lookup)."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not is_client(request.user):
            raise PermissionDenied(_("Your role cannot read the vendor portfolio."))


class QualificationViewSet(
    ClientOnlyMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Which vendors are qualified for which services of the organisation, as primary or backup."""

    serializer_class = s.QualificationSerializer
    permission_classes = [IsAuthenticated, ReadOnlyRolesCannotWrite]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ServiceQualification.objects.none()
        return selectors.qualifications(user=self.request.user)

    @extend_schema(summary=_("List the service qualifications"))
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary=_("Read a service qualification"), responses={200: s.QualificationSerializer, **ERRORS})
    def retrieve(self, request: Request, pk=None) -> Response:
        return Response(s.QualificationSerializer(selectors.qualification_get(user=request.user, pk=pk)).data)

    @extend_schema(
        summary=_("Qualify a vendor for a service"),
        description=_(
            "Client administrators and supervisors. The owning vendor is primary, any other a backup; the same "
            "vendor cannot be qualified twice for overlapping dates."
        ),
        request=s.QualificationInputSerializer,
        responses={201: s.QualificationSerializer, **ERRORS},
    )
    def create(self, request: Request, *args, **kwargs) -> Response:
        data = s.QualificationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        user = request.user
        try:
            service = selectors.service_get(user=user, pk=values.pop("service"))
        except Http404 as exc:
            raise ValidationError({"service": [_("Unknown service.")]}) from exc
        vendor = selectors.vendor_list(user=user).filter(pk=values.pop("vendor")).first()
        if vendor is None:
            raise ValidationError({"vendor": [_("Unknown vendor.")]})
        qualification = services.qualification_add(actor=user, service=service, vendor=vendor, **values)
        return Response(s.QualificationSerializer(qualification).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Remove a service qualification"),
        description=_("Client administrators and supervisors; the audit trail keeps what it was."),
        responses={204: None, **ERRORS},
    )
    def destroy(self, request: Request, pk=None) -> Response:
        qualification = selectors.qualification_get(user=request.user, pk=pk)
        services.qualification_remove(actor=request.user, qualification=qualification)
        return Response(status=status.HTTP_204_NO_CONTENT)


ORGANISATION_PK = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description=_("The organisation's id.")
)


class PortfolioSettingsViewSet(ClientOnlyMixin, viewsets.GenericViewSet):
    """The portfolio settings of an organisation, addressed by the organisation's id (client roles of it)."""

    serializer_class = s.PortfolioSettingsSerializer
    schema_model = Organisation  # addressed by the organisation's id
    permission_classes = [IsAuthenticated, ReadOnlyRolesCannotWrite]
    queryset = Organisation.objects.none()  # the settings come from portfolio.selectors

    @extend_schema(
        summary=_("Read the organisation's portfolio settings"),
        description=_("The defaults are returned when none were saved."),
        parameters=[ORGANISATION_PK],
        responses={200: s.PortfolioSettingsSerializer, **ERRORS},
    )
    def retrieve(self, request: Request, pk=None) -> Response:
        return Response(s.PortfolioSettingsSerializer(selectors.organisation_settings(user=request.user, pk=pk)).data)

    def _update(self, request: Request, pk, *, partial: bool) -> Response:
        current = selectors.organisation_settings(user=request.user, pk=pk)
        data = s.PortfolioSettingsInputSerializer(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        values = {
            "min_critical_vendors": current.min_critical_vendors,
            "target_cost_per_work_order": current.target_cost_per_work_order,
            **data.validated_data,
        }
        saved = services.portfolio_settings_update(actor=request.user, organisation=current.organisation, **values)
        return Response(s.PortfolioSettingsSerializer(saved).data)

    @extend_schema(
        summary=_("Replace the organisation's portfolio settings"),
        description=_("Client administrators and supervisors; the minimum is at least 1."),
        parameters=[ORGANISATION_PK],
        request=s.PortfolioSettingsInputSerializer,
        responses={200: s.PortfolioSettingsSerializer, **ERRORS},
    )
    def update(self, request: Request, pk=None) -> Response:
        return self._update(request, pk, partial=False)

    @extend_schema(
        summary=_("Change some of the organisation's portfolio settings"),
        description=_("Client administrators and supervisors; fields left out keep their value."),
        parameters=[ORGANISATION_PK],
        request=s.PortfolioSettingsInputSerializer,
        responses={200: s.PortfolioSettingsSerializer, **ERRORS},
    )
    def partial_update(self, request: Request, pk=None) -> Response:
        return self._update(request, pk, partial=True)
