"""Configuration API: CIs, their relations and classes, each CI's graph and impact. Reads go through
configuration.selectors (invisible = 404); writes call configuration.services; status changes are POST actions
with If-Match (the CI's ETag)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from oversight.configuration import importing, imports, selectors, services, spotchecks
from oversight.configuration.api import serializers as s
from oversight.configuration.choices import ImportStatus
from oversight.configuration.filters import CIFilter
from oversight.configuration.models import (
    CIClass,
    CIImport,
    CIRelation,
    ConfigurationItem,
    RedundancyGroup,
    SpotCheck,
)
from oversight.core.api.permissions import ReadOnlyRolesCannotWrite
from oversight.core.errors import ApplicationError
from oversight.tickets.api.views import IF_MATCH, expected_version

ERRORS = {
    400: OpenApiResponse(description=_("Invalid input, or a business rule refused it.")),
    403: OpenApiResponse(description=_("Your role may not do this.")),
    404: OpenApiResponse(description=_("Not found, or not visible to you.")),
}
CHANGE_ERRORS = {**ERRORS, 409: OpenApiResponse(description=_("Not possible in the CI's current status."))}


def _ci_refs(user, ids) -> list[ConfigurationItem]:
    found = {c.pk: c for c in selectors.ci_list(user=user).filter(pk__in=list(ids))}
    return [found[pk] for pk in ids if pk in found]


class ConfigurationItemViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Configuration items visible to the signed-in user."""

    serializer_class = s.CIListSerializer
    permission_classes = [IsAuthenticated, ReadOnlyRolesCannotWrite]
    filterset_class = CIFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ConfigurationItem.objects.none()
        return selectors.ci_list(user=self.request.user)

    def get_object(self) -> ConfigurationItem:
        return selectors.ci_get(user=self.request.user, pk=self.kwargs["pk"])

    def _input(self, serializer_class, **kwargs):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context(), **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _detail(self, pk, *, status_code: int = status.HTTP_200_OK) -> Response:
        ci = selectors.ci_get(user=self.request.user, pk=pk)
        response = Response(s.CIDetailSerializer(ci, context=self.get_serializer_context()).data, status=status_code)
        response["ETag"] = f'"{ci.pk}-{ci.version}"'
        return response

    @extend_schema(
        summary=_("List configuration items"), description=_("Filter by class, vendor, site, status or text.")
    )
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary=_("Record a configuration item"),
        request=s.CICreateInputSerializer,
        responses={201: s.CIDetailSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        data = dict(self._input(s.CICreateInputSerializer))
        ci = services.ci_create(actor=request.user, **data)
        response = self._detail(ci.pk, status_code=status.HTTP_201_CREATED)
        response["Location"] = reverse("api:configuration-item-detail", kwargs={"pk": ci.pk})
        return response

    @extend_schema(summary=_("Read a configuration item"), responses={200: s.CIDetailSerializer, **ERRORS})
    def retrieve(self, request: Request, pk=None) -> Response:
        return self._detail(self.get_object().pk)

    @extend_schema(
        summary=_("Change a configuration item"),
        parameters=[IF_MATCH],
        request=s.CIInputSerializer,
        responses={200: s.CIDetailSerializer, **CHANGE_ERRORS},
    )
    def partial_update(self, request: Request, pk=None) -> Response:
        ci = self.get_object()
        data = self._input(s.CIInputSerializer, partial=True)
        services.ci_update(actor=request.user, ci=ci, expected_version=expected_version(request, ci), **data)
        return self._detail(ci.pk)

    @extend_schema(
        summary=_("Change a configuration item's status"),
        parameters=[IF_MATCH],
        request=s.CITransitionInputSerializer,
        responses={200: s.CIDetailSerializer, **CHANGE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="transition")
    def transition(self, request: Request, pk=None) -> Response:
        ci = self.get_object()
        data = self._input(s.CITransitionInputSerializer)
        services.ci_transition(
            actor=request.user, ci=ci, action=data["action"], expected_version=expected_version(request, ci)
        )
        return self._detail(ci.pk)

    @extend_schema(summary=_("A configuration item's relation graph"), responses={200: s.GraphSerializer, **ERRORS})
    @action(detail=True, methods=["get"])
    def graph(self, request: Request, pk=None) -> Response:
        ci = self.get_object()
        rows, relations, items = selectors.neighbourhood(user=request.user, ci=ci)
        data = {
            "nodes": [
                {
                    "id": pk,
                    "name": item.localized_name,
                    "status": item.status,
                    "ci_class": item.ci_class.code,
                    "row": rows[pk],
                }
                for pk, item in sorted(items.items())
            ],
            "edges": [
                {"source": r.source_id, "target": r.target_id, "relation_type": r.relation_type.code} for r in relations
            ],
        }
        return Response(s.GraphSerializer(data).data)

    @extend_schema(
        summary=_("What a configuration item impacts if it goes down, and what it needs"),
        responses={200: s.ImpactSerializer, **ERRORS},
    )
    @action(detail=True, methods=["get"])
    def impact(self, request: Request, pk=None) -> Response:
        ci = self.get_object()
        what_if = selectors.what_if_down(user=request.user, ci=ci)
        data = {
            "impacted": _ci_refs(request.user, what_if["impacted"]),
            "services": _ci_refs(request.user, what_if["services"]),
            "needs": _ci_refs(request.user, selectors.what_impacts(user=request.user, ci=ci)),
        }
        return Response(s.ImpactSerializer(data, context=self.get_serializer_context()).data)


class CIRelationViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """Relations between CIs, seen from either visible end."""

    serializer_class = s.RelationSerializer
    permission_classes = [IsAuthenticated, ReadOnlyRolesCannotWrite]
    http_method_names = ["get", "post", "delete", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CIRelation.objects.none()
        return selectors.relation_list(user=self.request.user).order_by("pk")

    @extend_schema(summary=_("List relations between configuration items"))
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary=_("Read a relation"), responses={200: s.RelationSerializer, **ERRORS})
    def retrieve(self, request: Request, pk=None) -> Response:
        return Response(s.RelationSerializer(self.get_object()).data)

    @extend_schema(
        summary=_("Relate two configuration items"),
        request=s.RelationInputSerializer,
        responses={201: s.RelationSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        serializer = s.RelationInputSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        relation = services.ci_relation_create(actor=request.user, **serializer.validated_data)
        return Response(s.RelationSerializer(relation).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary=_("Remove a relation"), responses={204: None, **ERRORS})
    def destroy(self, request: Request, pk=None) -> Response:
        services.ci_relation_delete(actor=request.user, relation=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class CIClassViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """CI classes of the user's organisation with their typed attribute definitions."""

    serializer_class = s.CIClassSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CIClass.objects.none()
        return selectors.ci_class_list(user=self.request.user).prefetch_related("attribute_definitions")

    @extend_schema(summary=_("List configuration item classes"))
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary=_("Read a configuration item class"))
    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        return super().retrieve(request, *args, **kwargs)


def _with_plan(ci_import: CIImport) -> CIImport:
    """The import with its dry run row by row as `plan_rows` (empty once applied, queued or running)."""
    plans = (
        imports.import_plan(ci_import=ci_import)
        if ci_import.status
        in (
            ImportStatus.CHECKED,
            ImportStatus.FAILED,
        )
        else []
    )
    ci_import.plan_rows = [
        {
            "line": p.line,
            "action": p.action,
            "name": p.name or p.values.get("name", ""),
            "ci_id": p.ci_id,
            "changes": [{"field": f, "old": old, "new": new} for f, old, new in p.changes],
            "reasons": [importing.reason_text(code, params) for code, params in p.reasons],
        }
        for p in plans
    ]
    return ci_import


class CIImportViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Imports of configuration items from CSV or XLSX: a dry run, then all rows or none (client operators)."""

    serializer_class = s.ImportSerializer
    permission_classes = [IsAuthenticated, ReadOnlyRolesCannotWrite]
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CIImport.objects.none()
        return selectors.import_list(user=self.request.user)

    def _detail(self, pk, *, status_code=status.HTTP_200_OK) -> Response:
        ci_import = _with_plan(selectors.import_get(user=self.request.user, pk=pk))
        return Response(s.ImportDetailSerializer(ci_import).data, status=status_code)

    @extend_schema(summary=_("List configuration item imports"))
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary=_("Read an import with its dry run"), responses={200: s.ImportDetailSerializer, **ERRORS})
    def retrieve(self, request: Request, pk=None) -> Response:
        return self._detail(pk)

    @extend_schema(
        summary=_("Import configuration items from a CSV or XLSX file"),
        description=_(
            "With dry_run (the default) the file is only checked: each row says create, update (old → new), "
            "unchanged or error with its reasons. Without it the rows are applied when none errs, all at once; a "
            "large file is applied as a job (202) whose progress the import shows."
        ),
        request={"multipart/form-data": s.ImportInputSerializer},
        responses={201: s.ImportDetailSerializer, 202: s.ImportDetailSerializer, **CHANGE_ERRORS},
    )
    def create(self, request: Request) -> Response:
        serializer = s.ImportInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        if upload.size > importing.MAX_BYTES:
            raise ApplicationError(
                _("The file is larger than %(size)s MB; split it into smaller files.")
                % {"size": importing.MAX_BYTES // 1048576},
                code="import_file",
            )
        ci_import = imports.import_check(actor=request.user, file_name=upload.name, data=upload.read())
        if serializer.validated_data["dry_run"]:
            return self._detail(ci_import.pk, status_code=status.HTTP_201_CREATED)
        return self._start(ci_import)

    def _start(self, ci_import: CIImport) -> Response:
        result = imports.import_start(actor=self.request.user, ci_import=ci_import)
        code = status.HTTP_201_CREATED if result.status == ImportStatus.APPLIED else status.HTTP_202_ACCEPTED
        return self._detail(result.pk, status_code=code)

    @extend_schema(
        summary=_("Apply a checked import"),
        request=None,
        responses={201: s.ImportDetailSerializer, 202: s.ImportDetailSerializer, **CHANGE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def apply(self, request: Request, pk=None) -> Response:
        return self._start(selectors.import_get(user=request.user, pk=pk))


class SpotCheckViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """CMDB spot checks: the client's side sees its organisation's, a vendor those of its CIs; the client's
    operators record them."""

    serializer_class = s.SpotCheckSerializer
    permission_classes = [IsAuthenticated, ReadOnlyRolesCannotWrite]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SpotCheck.objects.none()
        return selectors.spot_check_list(user=self.request.user).prefetch_related("items")

    @extend_schema(summary=_("List CMDB spot checks"))
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary=_("Read a CMDB spot check"), responses={200: s.SpotCheckSerializer, **ERRORS})
    def retrieve(self, request: Request, pk=None) -> Response:
        check = selectors.spot_check_get(user=request.user, pk=pk)
        return Response(s.SpotCheckSerializer(self.get_queryset().get(pk=check.pk)).data)

    @extend_schema(
        summary=_("Record a CMDB spot check"),
        request=s.SpotCheckInputSerializer,
        responses={201: s.SpotCheckSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        serializer = s.SpotCheckInputSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        check = spotchecks.spot_check_record(
            actor=request.user,
            vendor=data["vendor"],
            checked_on=data["checked_on"],
            note=data["note"],
            results=[(item["ci"], item["field"], item["correct"]) for item in data["items"]],
        )
        return Response(
            s.SpotCheckSerializer(self.get_queryset().get(pk=check.pk)).data, status=status.HTTP_201_CREATED
        )


class RedundancyGroupViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Redundancy groups (cluster rules) of the user's organisation with their state now; client and vendor
    staff read them, the client's operators keep them (the same services as the pages)."""

    serializer_class = s.RedundancyGroupSerializer
    permission_classes = [IsAuthenticated, ReadOnlyRolesCannotWrite]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return RedundancyGroup.objects.none()
        return selectors.redundancy_group_list(user=self.request.user).order_by("name", "pk")

    def _with_state(self, groups: list[RedundancyGroup]) -> list[RedundancyGroup]:
        """The groups with the members the user may see and their state now (one walk of the graph)."""
        user = self.request.user
        members: dict[int, list[int]] = {}
        visible = selectors.ci_list(user=user).filter(redundancy_group__in=[g.pk for g in groups])
        for ci_id, group_id in visible.values_list("pk", "redundancy_group_id"):
            members.setdefault(group_id, []).append(ci_id)
        states = (
            selectors.redundancy_group_states(user=user, organisation_id=groups[0].organisation_id) if groups else {}
        )
        for group in groups:
            group.visible_member_ids = members.get(group.pk, [])
            group.state = states.get(group.pk)
        return groups

    def _detail(self, pk, *, status_code: int = status.HTTP_200_OK) -> Response:
        group = self._with_state([selectors.redundancy_group_get(user=self.request.user, pk=pk)])[0]
        return Response(s.RedundancyGroupSerializer(group).data, status=status_code)

    def _input(self, *, partial: bool) -> dict:
        serializer = s.RedundancyGroupInputSerializer(
            data=self.request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    @extend_schema(summary=_("List redundancy groups"), description=_("Each with its rule and its state now."))
    def list(self, request: Request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(self._with_state(list(page)), many=True).data)

    @extend_schema(summary=_("Read a redundancy group"), responses={200: s.RedundancyGroupSerializer, **ERRORS})
    def retrieve(self, request: Request, pk=None) -> Response:
        return self._detail(pk)

    @extend_schema(
        summary=_("Create a redundancy group"),
        request=s.RedundancyGroupInputSerializer,
        responses={201: s.RedundancyGroupSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        data = self._input(partial=False)
        group = services.redundancy_group_create(actor=request.user, **data)
        response = self._detail(group.pk, status_code=status.HTTP_201_CREATED)
        response["Location"] = reverse("api:redundancy-group-detail", kwargs={"pk": group.pk})
        return response

    @extend_schema(
        summary=_("Change a redundancy group"),
        description=_("A rule given replaces the current one; members given replace the current members."),
        request=s.RedundancyGroupInputSerializer,
        responses={200: s.RedundancyGroupSerializer, **ERRORS},
    )
    def partial_update(self, request: Request, pk=None) -> Response:
        group = selectors.redundancy_group_get(user=request.user, pk=pk)
        data = self._input(partial=True)
        if "min_up" not in data and "min_up_percent" not in data:
            data["min_up"], data["min_up_percent"] = group.min_up, group.min_up_percent
        services.redundancy_group_update(
            actor=request.user,
            group=group,
            min_up=data.get("min_up"),
            min_up_percent=data.get("min_up_percent"),
            name=data.get("name"),
            name_en=data.get("name_en"),
            members=data.get("members"),
        )
        return self._detail(group.pk)
