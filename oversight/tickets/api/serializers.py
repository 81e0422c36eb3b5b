"""Input and output serializers of the work-order API. Input serializers only parse; services decide."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from oversight.catalog.choices import Level
from oversight.catalog.selectors import offering_list, service_list
from oversight.core.api.serializers import ObjectRefSerializer, ScopedPrimaryKeyRelatedField, StrictInputSerializer
from oversight.core.filters import INT64_MAX
from oversight.core.phones import validate_phone
from oversight.tenancy.selectors import site_list, team_list, user_list
from oversight.tickets import permissions
from oversight.tickets.choices import Action, Channel, CreatableKind, SLAState
from oversight.tickets.models import Attachment, Comment, SLAClock, WorkOrder, WorkOrderEvent
from oversight.tickets.services import MAX_BULK
from oversight.tickets.sla import live_sla_state

# Actions a client may request over the API (auto-close is the system's own).
API_ACTIONS = [(value, label) for value, label in Action.choices if value != Action.AUTO_CLOSE]

# ---------------------------------------------------------------- input


class WorkOrderCreateInputSerializer(StrictInputSerializer):
    """What a client may send to create a work order; everything else is decided by the service."""

    service = ScopedPrimaryKeyRelatedField(service_list)
    offering = ScopedPrimaryKeyRelatedField(offering_list, required=False, allow_null=True)
    site = ScopedPrimaryKeyRelatedField(site_list, required=False, allow_null=True)
    requester = ScopedPrimaryKeyRelatedField(
        user_list,
        required=False,
        allow_null=True,
        help_text=_("On whose behalf (service desk); defaults to the signed-in user."),
    )
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000)
    kind = serializers.ChoiceField(choices=CreatableKind.choices, required=False)
    impact = serializers.ChoiceField(choices=Level.choices, default=Level.MEDIUM)
    urgency = serializers.ChoiceField(choices=Level.choices, default=Level.MEDIUM)
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.API)
    location_detail = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    asset_tag = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    contact_phone = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=40, validators=[validate_phone]
    )


class WorkOrderUpdateInputSerializer(StrictInputSerializer):
    """The descriptive fields a PATCH may change (tickets.services.EDITABLE_FIELDS); nothing else."""

    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    location_detail = serializers.CharField(required=False, allow_blank=True, max_length=200)
    asset_tag = serializers.CharField(required=False, allow_blank=True, max_length=100)
    contact_phone = serializers.CharField(required=False, allow_blank=True, max_length=40, validators=[validate_phone])
    site = ScopedPrimaryKeyRelatedField(site_list, required=False, allow_null=True)


class TransitionInputSerializer(StrictInputSerializer):
    """A note for the timeline; the resolution text when resolving (reopen and cancel need a reason)."""

    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
    resolution = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000)


def _vendor_staff_list(*, user):
    return user_list(user=user).filter(vendor__isnull=False)


class AssignInputSerializer(StrictInputSerializer):
    """Dispatch or reassign to an agent and/or a team of the work order's vendor."""

    assignee = ScopedPrimaryKeyRelatedField(_vendor_staff_list, required=False, allow_null=True)
    team = ScopedPrimaryKeyRelatedField(team_list, required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


class TransferInputSerializer(StrictInputSerializer):
    """Move the work order to another service (possibly another vendor); client side only."""

    service = ScopedPrimaryKeyRelatedField(service_list)
    reason = serializers.CharField(max_length=4000)


class PriorityInputSerializer(StrictInputSerializer):
    """New impact and urgency; the priority follows the organisation's matrix."""

    impact = serializers.ChoiceField(choices=Level.choices)
    urgency = serializers.ChoiceField(choices=Level.choices)
    reason = serializers.CharField(max_length=4000)


BULK_API_ACTIONS = [
    ("assign", _("Dispatch or reassign")),
    ("transfer", _("Transfer to another service")),
    ("priority", _("Change impact and urgency")),
]


class BulkChangeInputSerializer(StrictInputSerializer):
    """One change for several work orders; each is then done by its single action, with that action's input."""

    action = serializers.ChoiceField(choices=BULK_API_ACTIONS)
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=INT64_MAX),
        allow_empty=False,
        max_length=MAX_BULK,
        help_text=_("The work orders' ids (at most 200); a repeated id counts once."),
    )
    assignee = ScopedPrimaryKeyRelatedField(_vendor_staff_list, required=False, allow_null=True)
    team = ScopedPrimaryKeyRelatedField(team_list, required=False, allow_null=True)
    service = ScopedPrimaryKeyRelatedField(service_list, required=False, allow_null=True)
    impact = serializers.ChoiceField(choices=Level.choices, required=False, allow_null=True)
    urgency = serializers.ChoiceField(choices=Level.choices, required=False, allow_null=True)
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=4000,
        help_text=_(
            "The note of an assignment, the reason of a transfer or of a priority change (required for those)."
        ),
    )

    def validate_ids(self, value: list[int]) -> list[int]:
        return list(dict.fromkeys(value))

    def validate(self, attrs):
        action, errors = attrs["action"], {}
        if action == "assign" and not attrs.get("assignee") and not attrs.get("team"):
            errors["assignee"] = [_("Choose an agent or a team.")]
        if action == "transfer" and not attrs.get("service"):
            errors["service"] = [_("Choose a service.")]
        if action == "priority" and (attrs.get("impact") is None or attrs.get("urgency") is None):
            errors["impact"] = [_("Choose the impact and the urgency.")]
        if action in ("transfer", "priority") and not attrs.get("reason", "").strip():
            errors["reason"] = [_("Give a reason.")]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class CommentInputSerializer(StrictInputSerializer):
    """A new comment; internal ones are for client and vendor staff only."""

    body = serializers.CharField(max_length=20000)
    is_internal = serializers.BooleanField(default=False)


class AttachmentInputSerializer(StrictInputSerializer):
    """An uploaded file (multipart); its type is checked from its bytes by the service."""

    file = serializers.FileField(allow_empty_file=False, max_length=200)
    is_internal = serializers.BooleanField(default=False)


# ---------------------------------------------------------------- output


class SLAPolicyVersionRefSerializer(serializers.Serializer):
    """The SLA policy version a work order is measured against."""

    id = serializers.IntegerField(read_only=True)
    number = serializers.IntegerField(read_only=True)
    policy = ObjectRefSerializer(read_only=True)


class WorkOrderPermissionsSerializer(serializers.Serializer):
    """What the signed-in user may do to this work order besides transitions."""

    edit = serializers.BooleanField()
    comment = serializers.BooleanField()
    comment_internal = serializers.BooleanField()
    assign = serializers.BooleanField()
    transfer = serializers.BooleanField()
    change_priority = serializers.BooleanField()


class WorkOrderListSerializer(serializers.ModelSerializer):
    """A work order in a list (only columns joined in by the list selector: no extra queries per row)."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)
    service = ObjectRefSerializer(read_only=True)
    vendor = ObjectRefSerializer(read_only=True)
    site = ObjectRefSerializer(read_only=True, allow_null=True)
    requester = ObjectRefSerializer(read_only=True)
    assignee = ObjectRefSerializer(read_only=True, allow_null=True)
    sla_state_live = serializers.SerializerMethodField(
        help_text=_("The SLA state now: a running clock past due counts as breached before the sweep records it.")
    )

    class Meta:
        model = WorkOrder
        fields = [
            "id",
            "number",
            "kind",
            "title",
            "status",
            "status_label",
            "priority",
            "channel",
            "organisation",
            "service",
            "vendor",
            "site",
            "requester",
            "assignee",
            "team",
            "created_at",
            "updated_at",
            "resolved_at",
            "closed_at",
            "sla_state",
            "sla_state_live",
            "sla_breached",
            "sla_next_due_at",
            "sla_next_warning_at",
            "version",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=SLAState.choices))
    def get_sla_state_live(self, obj: WorkOrder) -> str:
        return live_sla_state(obj)


class WorkOrderDetailSerializer(WorkOrderListSerializer):
    """One work order with everything a client needs to show and act on it."""

    offering = ObjectRefSerializer(read_only=True, allow_null=True)
    team = ObjectRefSerializer(read_only=True, allow_null=True)
    created_by = ObjectRefSerializer(read_only=True)
    sla_policy_version = SLAPolicyVersionRefSerializer(read_only=True)
    etag = serializers.CharField(read_only=True)
    allowed_actions = serializers.SerializerMethodField(
        help_text=_("Transitions the signed-in user may perform now (POST .../transitions/{action}/).")
    )
    permissions = serializers.SerializerMethodField()

    class Meta(WorkOrderListSerializer.Meta):
        fields = [
            *WorkOrderListSerializer.Meta.fields,
            "description",
            "offering",
            "location_detail",
            "asset_tag",
            "contact_phone",
            "impact",
            "urgency",
            "created_by",
            "sla_policy_version",
            "first_response_at",
            "arrived_at",
            "resolution",
            "confirmed_by_requester",
            "reopen_count",
            "reassignment_count",
            "etag",
            "allowed_actions",
            "permissions",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=API_ACTIONS)))
    def get_allowed_actions(self, obj: WorkOrder) -> list[str]:
        return permissions.allowed_actions(self.context["request"].user, obj)

    @extend_schema_field(WorkOrderPermissionsSerializer)
    def get_permissions(self, obj: WorkOrder) -> dict:
        user = self.context["request"].user
        return {
            "edit": permissions.may_edit_details(user, obj),
            "comment": permissions.may_comment(user, obj),
            "comment_internal": permissions.may_comment(user, obj, internal=True),
            "assign": permissions.may_reassign(user, obj),
            "transfer": permissions.may_transfer(user, obj),
            "change_priority": permissions.may_change_priority(user, obj),
        }


class BulkItemSerializer(serializers.Serializer):
    """What the bulk change did to one of the ids sent: done, or refused with the single action's reason."""

    id = serializers.IntegerField(help_text=_("The id as sent."))
    number = serializers.CharField(allow_null=True, help_text=_("The work order's number; null when not found."))
    done = serializers.BooleanField()
    code = serializers.CharField(
        help_text=_(
            "Empty when done; else why not: not_found, permission_denied, invalid_transition, conflict, invalid."
        )
    )
    reason = serializers.CharField(help_text=_("Empty when done; else the refusal in the reader's language."))


class BulkResultSerializer(serializers.Serializer):
    """The outcome of a bulk change, item by item in the order the ids were sent."""

    action = serializers.ChoiceField(choices=BULK_API_ACTIONS)
    done = serializers.IntegerField(help_text=_("How many work orders were changed (or already were as asked)."))
    refused = serializers.IntegerField(help_text=_("How many were refused or not found."))
    results = BulkItemSerializer(many=True)


class WorkOrderEventSerializer(serializers.ModelSerializer):
    """One immutable step of the timeline."""

    actor = ObjectRefSerializer(read_only=True, allow_null=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    data = serializers.DictField(read_only=True, help_text=_("Details of the step (note, before/after, ...)."))

    class Meta:
        model = WorkOrderEvent
        fields = [
            "seq",
            "at",
            "actor",
            "kind",
            "kind_label",
            "action",
            "from_status",
            "to_status",
            "data",
            "is_internal",
        ]
        read_only_fields = fields


class ClockSegmentSerializer(serializers.Serializer):
    """One stretch of an SLA clock: counted (running), paused or after the stop, with its business seconds."""

    start = serializers.DateTimeField()
    end = serializers.DateTimeField(allow_null=True)
    kind = serializers.CharField()
    business_seconds = serializers.FloatField()


class SLAClockSerializer(serializers.ModelSerializer):
    """One SLA clock and the explanation of its figures (its segments)."""

    state_label = serializers.CharField(source="get_state_display", read_only=True)
    calendar = ObjectRefSerializer(read_only=True, allow_null=True)
    met = serializers.BooleanField(read_only=True, allow_null=True)
    segments = ClockSegmentSerializer(many=True, read_only=True)

    class Meta:
        model = SLAClock
        fields = [
            "metric",
            "state",
            "state_label",
            "met",
            "target_seconds",
            "calendar",
            "started_at",
            "due_at",
            "warning_at",
            "breached_at",
            "stopped_at",
            "elapsed_seconds",
            "paused_seconds",
            "segments",
            "note",
            "computed_at",
        ]
        read_only_fields = fields


class CommentSerializer(serializers.ModelSerializer):
    """A comment on a work order."""

    author = ObjectRefSerializer(read_only=True)

    class Meta:
        model = Comment
        fields = ["id", "work_order", "author", "body", "is_internal", "created_at"]
        read_only_fields = fields


class AttachmentSerializer(serializers.ModelSerializer):
    """An attachment's metadata; the file itself only through its download URL."""

    uploaded_by = ObjectRefSerializer(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = [
            "id",
            "work_order",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "is_internal",
            "uploaded_by",
            "created_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, obj: Attachment) -> str:
        path = reverse("api:attachment-download", kwargs={"pk": obj.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path
