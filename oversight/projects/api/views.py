"""Projects API: projects with their transitions as POST actions (If-Match against the ETag), work breakdown,
progress, baselines (request; a client supervisor decides), cost entries, settlement-line attributions, the
figures at a status date and the stored snapshots.

Views only parse input (serializers), call a service or a selector and serialize the result. Visibility comes
from projects.selectors: a project the reader may not see is a 404.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from oversight.core.api.etags import if_match_version
from oversight.core.api.permissions import ReadOnlyRolesCannotWrite
from oversight.core.rounding import round_money
from oversight.projects import evaluation, selectors, services
from oversight.projects.api import serializers as s
from oversight.projects.choices import ProjectAction
from oversight.projects.models import Milestone, Project, WorkPackage
from oversight.tenancy.roles import is_client, is_vendor

ERRORS = {
    400: OpenApiResponse(description=_("Invalid input, or a business rule refused it.")),
    403: OpenApiResponse(description=_("Your role may not do this.")),
    404: OpenApiResponse(description=_("Not found, or not visible to you.")),
}
CHANGE_ERRORS = {
    **ERRORS,
    409: OpenApiResponse(description=_("Not possible in the project's current status.")),
    412: OpenApiResponse(description=_("If-Match does not match: someone changed the project since you read it.")),
}
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=_("The ETag of the version you saw; if the project changed since, the request fails with 412."),
)
TRANSITION = OpenApiParameter(
    "transition",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    enum=ProjectAction.values,
    description=_("The transition to perform; the detail's allowed_actions lists those open to you now."),
)
DATE = OpenApiParameter(
    "date",
    OpenApiTypes.DATE,
    OpenApiParameter.QUERY,
    required=False,
    description=_("The status date (YYYY-MM-DD); without it, the project's status date."),
)
FIGURES = inline_serializer(
    "ProjectFigures",
    fields={
        name: serializers.CharField(allow_null=True)
        for name in ["status_date", "baseline", "light", "light_spi", "light_cpi", "fever_zone"]
    }
    | {
        name: serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
        for name in [
            "bac",
            "pv",
            "ev",
            "ac",
            "ac_settlement",
            "sv",
            "cv",
            "spi",
            "cpi",
            "eac",
            "eac_atypical",
            "eac_cpi_spi",
            "etc",
            "vac",
            "tcpi",
            "es",
            "spi_t",
        ]
    }
    | {"at": serializers.IntegerField(allow_null=True)},
)


class SeesProjects(BasePermission):
    """Projects are for the client side and vendor staff; requesters get 403."""

    message = _("Your role cannot see projects.")

    def has_permission(self, request, view) -> bool:
        return is_client(request.user) or is_vendor(request.user)


def _if_match(request: Request, project: Project) -> int | None:
    return if_match_version(
        request, project, _("If-Match does not match this project's ETag. Reload it and try again.")
    )


class ProjectViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Projects (项目) the signed-in user may see; the client's operators open and plan them, the vendor owner
    reports progress."""

    serializer_class = s.ProjectListSerializer
    permission_classes = [IsAuthenticated, SeesProjects, ReadOnlyRolesCannotWrite]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Project.objects.none()
        return selectors.project_list(user=self.request.user)

    def get_object(self) -> Project:
        return selectors.project_get(user=self.request.user, pk=self.kwargs["pk"])

    def _detail(self, pk: int, *, status_code: int = status.HTTP_200_OK) -> Response:
        project = selectors.project_get(user=self.request.user, pk=pk)
        response = Response(s.ProjectDetailSerializer(project, context=self.get_serializer_context()).data, status_code)
        response["ETag"] = project.etag
        return response

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    @extend_schema(summary=_("List projects"))
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary=_("Read a project"), responses={200: s.ProjectDetailSerializer, 404: ERRORS[404]})
    def retrieve(self, request: Request, pk=None) -> Response:
        return self._detail(self.get_object().pk)

    @extend_schema(
        summary=_("Open a project"),
        request=s.ProjectCreateInputSerializer,
        responses={201: s.ProjectDetailSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        project = services.project_create(actor=request.user, **self._input(s.ProjectCreateInputSerializer))
        return self._detail(project.pk, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Perform a project transition"),
        description=_("start (sets the first baseline from the plan), hold, resume, close_out, close."),
        parameters=[TRANSITION, IF_MATCH],
        request=s.TransitionInputSerializer,
        responses={200: s.ProjectDetailSerializer, **CHANGE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path=r"transitions/(?P<transition>[a-z_]+)", url_name="transition")
    def transition(self, request: Request, pk=None, transition: str = "") -> Response:
        if transition not in ProjectAction.values:
            raise NotFound(_("Unknown transition: %(name)s") % {"name": transition})
        project = self.get_object()
        self._input(s.TransitionInputSerializer)
        services.project_transition(
            actor=request.user, project=project, action=transition, expected_version=_if_match(request, project)
        )
        return self._detail(project.pk)

    @extend_schema(
        summary=_("The earned-value figures at a status date"),
        parameters=[DATE],
        responses={200: FIGURES, **ERRORS},
    )
    @action(detail=True, methods=["get"], url_path="figures", url_name="figures")
    def figures(self, request: Request, pk=None) -> Response:
        project = self.get_object()
        raw = request.query_params.get("date")
        try:
            day = dt.date.fromisoformat(raw) if raw else project.status_date
        except ValueError:
            raise ValidationError({"date": [_("Give a date as YYYY-MM-DD.")]}) from None
        if day is None:
            raise ValidationError({"date": [_("The project has no status date yet: give one.")]})
        result = evaluation.evaluate(project, day)
        if result is None:
            raise ValidationError({"date": [_("The project has no baseline yet.")]})
        # Decimals as strings, as every serializer of the API writes them (COERCE_DECIMAL_TO_STRING).
        data = {k: (str(v) if isinstance(v, Decimal) else v) for k, v in result.rounded.items()}
        data |= {
            "status_date": day.isoformat(),
            "baseline": result.baseline.number,
            "ac_settlement": str(round_money(result.ac_settlement)),
            "light": result.light,
            "light_spi": result.light_spi,
            "light_cpi": result.light_cpi,
            "fever_zone": result.fever_zone,
        }
        return Response(data)

    @extend_schema(
        summary=_("The stored snapshots, one per status date"), responses={200: s.SnapshotSerializer(many=True)}
    )
    @action(detail=True, methods=["get"], url_path="snapshots", url_name="snapshots")
    def snapshots(self, request: Request, pk=None) -> Response:
        project = self.get_object()
        return Response(s.SnapshotSerializer(selectors.snapshots(user=request.user, project=project), many=True).data)

    @extend_schema(
        methods=["get"], summary=_("The work breakdown"), responses={200: s.WorkPackageSerializer(many=True)}
    )
    @extend_schema(
        methods=["post"],
        summary=_("Add a work package"),
        request=s.WorkPackageInputSerializer,
        responses={201: s.WorkPackageSerializer, **ERRORS},
    )
    @action(detail=True, methods=["get", "post"], url_path="work-packages", url_name="work-packages")
    def work_packages(self, request: Request, pk=None) -> Response:
        project = self.get_object()
        if request.method == "POST":
            package = services.work_package_create(
                actor=request.user, project=project, **self._input(s.WorkPackageInputSerializer)
            )
            return Response(s.WorkPackageSerializer(package).data, status=status.HTTP_201_CREATED)
        packages = selectors.work_packages(user=request.user, project=project).prefetch_related("depends_on")
        return Response(s.WorkPackageSerializer(packages, many=True).data)

    @extend_schema(methods=["get"], summary=_("Milestones"), responses={200: s.MilestoneSerializer(many=True)})
    @extend_schema(
        methods=["post"],
        summary=_("Add a milestone"),
        request=s.MilestoneInputSerializer,
        responses={201: s.MilestoneSerializer, **ERRORS},
    )
    @action(detail=True, methods=["get", "post"], url_path="milestones", url_name="milestones")
    def milestones(self, request: Request, pk=None) -> Response:
        project = self.get_object()
        if request.method == "POST":
            milestone = services.milestone_create(
                actor=request.user, project=project, **self._input(s.MilestoneInputSerializer)
            )
            return Response(s.MilestoneSerializer(milestone).data, status=status.HTTP_201_CREATED)
        return Response(s.MilestoneSerializer(selectors.milestones(user=request.user, project=project), many=True).data)

    @extend_schema(
        methods=["get"], summary=_("Progress records"), responses={200: s.ProgressRecordSerializer(many=True)}
    )
    @extend_schema(
        methods=["post"],
        summary=_("Record progress at a status date"),
        request=s.ProgressInputSerializer,
        responses={201: s.ProgressRecordSerializer, **ERRORS},
    )
    @action(detail=True, methods=["get", "post"], url_path="progress", url_name="progress")
    def progress(self, request: Request, pk=None) -> Response:
        project = self.get_object()
        if request.method == "POST":
            data = self._input(s.ProgressInputSerializer)
            record = services.progress_record(
                actor=request.user,
                project=project,
                status_date=data["status_date"],
                lines=[dict(line) for line in data.get("lines", [])],
                milestones_reached={m.pk: None for m in data.get("milestones_reached", [])},
                remaining_days=data.get("remaining_days"),
                note=data.get("note", ""),
            )
            return Response(s.ProgressRecordSerializer(record).data, status=status.HTTP_201_CREATED)
        records = selectors.progress_records(user=request.user, project=project)
        return Response(s.ProgressRecordSerializer(records, many=True).data)

    @extend_schema(methods=["get"], summary=_("Baselines"), responses={200: s.BaselineSerializer(many=True)})
    @extend_schema(
        methods=["post"],
        summary=_("Request a re-baseline"),
        request=s.BaselineRequestInputSerializer,
        responses={201: s.BaselineSerializer, **ERRORS},
    )
    @action(detail=True, methods=["get", "post"], url_path="baselines", url_name="baselines")
    def baselines(self, request: Request, pk=None) -> Response:
        project = self.get_object()
        if request.method == "POST":
            data = self._input(s.BaselineRequestInputSerializer)
            baseline = services.baseline_request(actor=request.user, project=project, reason=data["reason"])
            return Response(s.BaselineSerializer(baseline).data, status=status.HTTP_201_CREATED)
        return Response(s.BaselineSerializer(selectors.baselines(user=request.user, project=project), many=True).data)

    @extend_schema(methods=["get"], summary=_("Cost entries"), responses={200: s.CostEntrySerializer(many=True)})
    @extend_schema(
        methods=["post"],
        summary=_("Enter an actual cost"),
        request=s.CostEntryInputSerializer,
        responses={201: s.CostEntrySerializer, **ERRORS},
    )
    @action(detail=True, methods=["get", "post"], url_path="cost-entries", url_name="cost-entries")
    def cost_entries(self, request: Request, pk=None) -> Response:
        project = self.get_object()
        if request.method == "POST":
            entry = services.cost_entry_create(
                actor=request.user, project=project, **self._input(s.CostEntryInputSerializer)
            )
            return Response(s.CostEntrySerializer(entry).data, status=status.HTTP_201_CREATED)
        return Response(
            s.CostEntrySerializer(selectors.cost_entries(user=request.user, project=project), many=True).data
        )

    @extend_schema(
        methods=["get"],
        summary=_("Settlement lines attributed"),
        responses={200: s.SettlementLinkSerializer(many=True)},
    )
    @extend_schema(
        methods=["post"],
        summary=_("Attribute a share of an approved settlement line"),
        request=s.SettlementLinkInputSerializer,
        responses={201: s.SettlementLinkSerializer, **ERRORS},
    )
    @action(detail=True, methods=["get", "post"], url_path="settlement-lines", url_name="settlement-lines")
    def settlement_lines(self, request: Request, pk=None) -> Response:
        project = self.get_object()
        if request.method == "POST":
            data = self._input(s.SettlementLinkInputSerializer)
            link = services.settlement_link_create(
                actor=request.user, project=project, line=data["line"], share=data["share"]
            )
            return Response(s.SettlementLinkSerializer(link).data, status=status.HTTP_201_CREATED)
        links = selectors.settlement_links(user=request.user, project=project)
        return Response(s.SettlementLinkSerializer(links, many=True).data)


class BaselineViewSet(viewsets.GenericViewSet):
    """A baseline by id: a client supervisor approves or rejects a requested one."""

    serializer_class = s.BaselineSerializer
    permission_classes = [IsAuthenticated, SeesProjects, ReadOnlyRolesCannotWrite]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return Project.objects.none()

    @extend_schema(summary=_("Read a baseline"), responses={200: s.BaselineSerializer, 404: ERRORS[404]})
    def retrieve(self, request: Request, pk=None) -> Response:
        return Response(s.BaselineSerializer(selectors.baseline_get(user=request.user, pk=pk)).data)

    @extend_schema(
        summary=_("Approve or reject a requested baseline"),
        description=_("Only a client supervisor decides; a rejection needs a note."),
        request=s.BaselineDecideInputSerializer,
        responses={200: s.BaselineSerializer, **CHANGE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="decide", url_name="decide")
    def decide(self, request: Request, pk=None) -> Response:
        baseline = selectors.baseline_get(user=request.user, pk=pk)
        serializer = s.BaselineDecideInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        decided = services.baseline_decide(
            actor=request.user,
            baseline=baseline,
            action=serializer.validated_data["action"],
            note=serializer.validated_data["note"],
        )
        return Response(s.BaselineSerializer(decided).data)


class _PlanItemViewSet(viewsets.GenericViewSet):
    """Read, change (PATCH) and delete one node of a project's plan through its selector and services (the
    subclass names them); the figures follow the baseline."""

    permission_classes = [IsAuthenticated, SeesProjects, ReadOnlyRolesCannotWrite]
    http_method_names = ["get", "patch", "delete", "head", "options"]
    change_serializer: type[serializers.Serializer]
    item: str  # the services' keyword for the object
    getter = staticmethod(selectors.work_package_get)
    updater = staticmethod(services.work_package_update)
    deleter = staticmethod(services.work_package_delete)

    def _get(self, pk):
        return self.getter(user=self.request.user, pk=pk)

    def retrieve(self, request: Request, pk=None) -> Response:
        return Response(self.get_serializer(self._get(pk)).data)

    def partial_update(self, request: Request, pk=None) -> Response:
        obj = self._get(pk)
        serializer = self.change_serializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        changed = self.updater(actor=request.user, **{self.item: obj}, **serializer.validated_data)
        return Response(self.get_serializer(self._get(changed.pk)).data)

    def destroy(self, request: Request, pk=None) -> Response:
        self.deleter(actor=request.user, **{self.item: self._get(pk)})
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    retrieve=extend_schema(summary=_("Read a work package"), responses={200: s.WorkPackageSerializer, **ERRORS}),
    partial_update=extend_schema(
        summary=_("Change a work package"),
        description=_("Changes the plan as it stands now; the figures follow once a re-baseline is approved."),
        request=s.WorkPackageChangeSerializer,
        responses={200: s.WorkPackageSerializer, **ERRORS},
    ),
    destroy=extend_schema(
        summary=_("Delete a work package"),
        description=_("Refused while a baseline, progress, costs, parts, milestones or successors refer to it."),
        responses={204: None, **ERRORS},
    ),
)
class WorkPackageViewSet(_PlanItemViewSet):
    """A work package by id (`/api/v1/project-work-packages/<id>/`)."""

    serializer_class = s.WorkPackageSerializer
    change_serializer = s.WorkPackageChangeSerializer
    item = "package"

    def get_queryset(self):
        return WorkPackage.objects.none()


@extend_schema_view(
    retrieve=extend_schema(summary=_("Read a milestone"), responses={200: s.MilestoneSerializer, **ERRORS}),
    partial_update=extend_schema(
        summary=_("Change a milestone"),
        description=_("Changes the plan as it stands now; the figures follow once a re-baseline is approved."),
        request=s.MilestoneChangeSerializer,
        responses={200: s.MilestoneSerializer, **ERRORS},
    ),
    destroy=extend_schema(
        summary=_("Delete a milestone"),
        description=_("Refused while a baseline holds it or it was reported reached."),
        responses={204: None, **ERRORS},
    ),
)
class MilestoneViewSet(_PlanItemViewSet):
    """A milestone by id (`/api/v1/project-milestones/<id>/`)."""

    serializer_class = s.MilestoneSerializer
    change_serializer = s.MilestoneChangeSerializer
    item = "milestone"
    getter = staticmethod(selectors.milestone_get)
    updater = staticmethod(services.milestone_update)
    deleter = staticmethod(services.milestone_delete)

    def get_queryset(self):
        return Milestone.objects.none()
