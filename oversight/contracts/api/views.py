"""Contract API: list/read for every role that may see contracts; creation and changes (client administrators)
as POST actions that call the services. Visibility comes from contracts.selectors (invisible = 404)."""

from __future__ import annotations

import datetime as dt

from django.http import FileResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from oversight.contracts import selectors, services
from oversight.contracts.api import serializers as s
from oversight.contracts.filters import ContractFilter
from oversight.contracts.models import Contract, ContractDocument, ContractVersion
from oversight.contracts.permissions import may_manage_contracts
from oversight.core.api.permissions import ReadOnlyRolesCannotWrite
from oversight.core.errors import NotAllowed
from oversight.core.files import download_response
from oversight.core.zones import local_today
from oversight.tickets.api.views import DownloadRenderer

ERRORS = {
    400: OpenApiResponse(description=_("Invalid input, or a business rule refused it.")),
    403: OpenApiResponse(description=_("Your role may not do this.")),
    404: OpenApiResponse(description=_("Not found, or not visible to you.")),
}
CHANGE_ERRORS = {**ERRORS, 409: OpenApiResponse(description=_("Not possible in the contract's current status."))}
ON_DATE = OpenApiParameter(
    "on",
    OpenApiTypes.DATE,
    OpenApiParameter.QUERY,
    required=False,
    description=_("The date (YYYY-MM-DD, the organisation's calendar); default today."),
)


def _require_manager(user, contract: Contract) -> None:
    if not may_manage_contracts(user, contract.organisation):
        raise NotAllowed(_("Only the organisation's administrators manage contracts."))


class ContractViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Contracts visible to the signed-in user, their versions, terms and documents."""

    serializer_class = s.ContractListSerializer
    permission_classes = [IsAuthenticated, ReadOnlyRolesCannotWrite]
    filterset_class = ContractFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Contract.objects.none()
        return selectors.contract_list(user=self.request.user)

    def get_object(self) -> Contract:
        return selectors.contract_get(user=self.request.user, pk=self.kwargs["pk"])

    def _input(self, serializer_class, **kwargs):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context(), **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _detail(self, pk, *, status_code: int = status.HTTP_200_OK) -> Response:
        contract = selectors.contract_get(user=self.request.user, pk=pk)
        contract.timeline = selectors.contract_versions(contract=contract)
        in_force = selectors.contract_version_in_force(contract, local_today(contract.organisation))
        contract.in_force_number = in_force.number if in_force else None
        data = s.ContractDetailSerializer(contract, context=self.get_serializer_context()).data
        return Response(data, status=status_code)

    @extend_schema(summary=_("List contracts"), description=_("Filter by vendor, status or a text (number, title)."))
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary=_("Create a contract (as a draft, with its version 1)"),
        request=s.ContractCreateInputSerializer,
        responses={201: s.ContractDetailSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        if not may_manage_contracts(request.user, request.user.organisation):
            raise NotAllowed(_("Only the organisation's administrators manage contracts."))
        data = self._input(s.ContractCreateInputSerializer)
        contract = services.contract_create(
            actor=request.user,
            vendor=data["vendor"],
            number=data["number"],
            title=data["title"],
            currency=data["currency"],
            terms=s.terms_from(data["terms"]),
        )
        response = self._detail(contract.pk, status_code=status.HTTP_201_CREATED)
        response["Location"] = reverse("api:contract-detail", kwargs={"pk": contract.pk})
        return response

    @extend_schema(
        summary=_("Read a contract with its version timeline"), responses={200: s.ContractDetailSerializer, **ERRORS}
    )
    def retrieve(self, request: Request, pk=None) -> Response:
        return self._detail(self.get_object().pk)

    @extend_schema(
        summary=_("Change a contract"),
        description=_(
            "The title may be corrected at any time; number, currency and terms only while the contract is a "
            "draft. An active contract's terms change by amendment (POST .../amend/)."
        ),
        request=s.ContractUpdateInputSerializer,
        responses={200: s.ContractDetailSerializer, **CHANGE_ERRORS},
    )
    def partial_update(self, request: Request, pk=None) -> Response:
        contract = self.get_object()
        _require_manager(request.user, contract)
        data = self._input(s.ContractUpdateInputSerializer)
        if set(data) == {"title"}:
            services.contract_update_title(actor=request.user, contract=contract, title=data["title"])
        elif data:
            services.contract_update_draft(
                actor=request.user,
                contract=contract,
                number=data.get("number"),
                title=data.get("title"),
                currency=data.get("currency"),
                terms=s.terms_from(data["terms"]) if "terms" in data else None,
            )
        return self._detail(contract.pk)

    @extend_schema(
        summary=_("Activate a draft"),
        description=_("Its version 1 is in force from the term start. Repeating it is harmless."),
        request=None,
        responses={200: s.ContractDetailSerializer, **CHANGE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def activate(self, request: Request, pk=None) -> Response:
        contract = self.get_object()
        _require_manager(request.user, contract)
        services.contract_activate(actor=request.user, contract=contract)
        return self._detail(contract.pk)

    @extend_schema(
        summary=_("Terminate a contract early"),
        request=s.TerminateInputSerializer,
        responses={200: s.ContractDetailSerializer, **CHANGE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def terminate(self, request: Request, pk=None) -> Response:
        contract = self.get_object()
        _require_manager(request.user, contract)
        data = self._input(s.TerminateInputSerializer)
        services.contract_terminate(
            actor=request.user, contract=contract, terminated_on=data["terminated_on"], reason=data["reason"]
        )
        return self._detail(contract.pk)

    @extend_schema(
        summary=_("Amend an active contract"),
        description=_(
            "Creates a new version in force from effective_from (today or later, after the latest version). Send "
            "only the terms that change; the others carry over. Earlier versions never change."
        ),
        request=s.AmendInputSerializer,
        responses={201: s.VersionSerializer, **CHANGE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def amend(self, request: Request, pk=None) -> Response:
        contract = self.get_object()
        _require_manager(request.user, contract)
        data = dict(self._input(s.AmendInputSerializer))
        effective_from = data.pop("effective_from")
        reason = data.pop("reason")
        version = services.contract_amend(
            actor=request.user,
            contract=contract,
            effective_from=effective_from,
            reason=reason,
            **s.terms_kwargs(data),
        )
        return Response(self._version_data(contract, version.pk), status=status.HTTP_201_CREATED)

    def _version_data(self, contract: Contract, version_pk: int) -> dict:
        versions = selectors.contract_versions(contract=contract, full=True)
        version = next(v for v in versions if v.pk == version_pk)
        return s.VersionSerializer(version, context=self.get_serializer_context()).data

    @extend_schema(
        summary=_("Every version of a contract with all its terms"),
        responses={200: s.VersionSerializer(many=True), 404: ERRORS[404]},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def versions(self, request: Request, pk=None) -> Response:
        contract = self.get_object()
        versions = selectors.contract_versions(contract=contract, full=True)
        return Response(s.VersionSerializer(versions, many=True, context=self.get_serializer_context()).data)

    @extend_schema(
        summary=_("The terms in force on a date"),
        description=_("The version in force on that date (404 when the contract is not in force then)."),
        parameters=[ON_DATE],
        responses={200: s.VersionSerializer, 400: ERRORS[400], 404: ERRORS[404]},
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def terms(self, request: Request, pk=None) -> Response:
        contract = self.get_object()
        raw = request.query_params.get("on")
        if raw:
            try:
                on = dt.date.fromisoformat(raw)
            except ValueError as exc:
                raise serializers.ValidationError({"on": [_("Enter a date as YYYY-MM-DD.")]}) from exc
        else:
            on = local_today(contract.organisation)
        version = selectors.contract_version_in_force(contract, on)
        if version is None:
            raise NotFound(_("The contract is not in force on %(date)s.") % {"date": on.isoformat()})
        return Response(self._version_data(contract, version.pk))

    @extend_schema(
        methods=["GET"],
        summary=_("The contract's documents"),
        responses={200: s.DocumentSerializer(many=True), 404: ERRORS[404]},
    )
    @extend_schema(
        methods=["POST"],
        summary=_("Upload a contract document"),
        description=_("Multipart upload; size limit and type checked from the file's bytes."),
        request={"multipart/form-data": s.DocumentInputSerializer},
        responses={201: s.DocumentSerializer, **ERRORS},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser, FormParser, JSONParser],
        pagination_class=None,
        filterset_class=None,
    )
    def documents(self, request: Request, pk=None) -> Response:
        contract = self.get_object()
        if request.method == "GET":
            documents = selectors.contract_documents(user=request.user, contract=contract)
            return Response(s.DocumentSerializer(documents, many=True).data)
        _require_manager(request.user, contract)
        data = self._input(s.DocumentInputSerializer)
        version = None
        if data["version"] is not None:
            version = ContractVersion.objects.filter(contract=contract, number=data["version"]).first()
            if version is None:
                raise serializers.ValidationError({"version": [_("This contract has no such version.")]})
        document = services.contract_document_create(
            actor=request.user,
            contract=contract,
            upload=data["file"],
            kind=data["kind"],
            title=data["title"],
            version=version,
            is_internal=data["is_internal"],
        )
        return Response(s.DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class ContractVersionViewSet(viewsets.GenericViewSet):
    """One contract version with all its terms, and withdrawing an amendment before it takes effect."""

    serializer_class = s.VersionSerializer
    permission_classes = [IsAuthenticated, ReadOnlyRolesCannotWrite]

    def get_queryset(self):
        # Only for schema generation: versions are fetched through the contract selectors.
        return ContractVersion.objects.none()

    def get_object(self) -> ContractVersion:
        try:
            version = ContractVersion.objects.only("pk", "contract_id").get(pk=int(self.kwargs["pk"]))
        except (ContractVersion.DoesNotExist, ValueError, TypeError) as exc:
            raise NotFound from exc
        contract = selectors.contract_get(user=self.request.user, pk=version.contract_id)
        version = next(v for v in selectors.contract_versions(contract=contract, full=True) if v.pk == version.pk)
        version.contract = contract
        return version

    @extend_schema(summary=_("A contract version with all its terms"), responses={200: s.VersionSerializer, **ERRORS})
    def retrieve(self, request: Request, pk=None) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        summary=_("Withdraw an amendment before it takes effect"),
        description=_("Only the latest amendment, and only while it is not in force yet."),
        request=s.WithdrawInputSerializer,
        responses={200: s.ContractDetailSerializer, **CHANGE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk=None) -> Response:
        version = self.get_object()
        _require_manager(request.user, version.contract)
        data = s.WithdrawInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        contract = services.contract_amendment_withdraw(
            actor=request.user, version=version, reason=data.validated_data["reason"]
        )
        contract.timeline = selectors.contract_versions(contract=contract)
        in_force = selectors.contract_version_in_force(contract, local_today(contract.organisation))
        contract.in_force_number = in_force.number if in_force else None
        return Response(s.ContractDetailSerializer(contract, context=self.get_serializer_context()).data)


class ContractDocumentViewSet(viewsets.GenericViewSet):
    """A contract document's metadata and its file, each only after the permission check (404 otherwise)."""

    serializer_class = s.DocumentSerializer
    permission_classes = [IsAuthenticated, ReadOnlyRolesCannotWrite]

    def get_object(self) -> ContractDocument:
        return selectors.contract_document_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_queryset(self):
        # Only for schema generation: documents are fetched through selectors.contract_document_get.
        return ContractDocument.objects.none()

    @extend_schema(summary=_("A contract document's metadata"), responses={200: s.DocumentSerializer, 404: ERRORS[404]})
    def retrieve(self, request: Request, pk=None) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        summary=_("Download a contract document"),
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
        return document_response(self.get_object())


def document_response(document: ContractDocument) -> FileResponse:
    """The file as a download that no browser renders (shared by the API and the HTML page)."""
    return download_response(document.file, filename=document.original_name, content_type=document.content_type)
