"""Input and output serializers of the feedback API. Input serializers only parse; services decide."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from oversight.core.api.serializers import ObjectRefSerializer, ScopedPrimaryKeyRelatedField, StrictInputSerializer
from oversight.feedback import permissions
from oversight.feedback.choices import COMPLAINT_TRANSITIONS, ComplaintAction, ComplaintSource, Quarter
from oversight.feedback.models import Complaint, ComplaintEvent, PrizeDraw, Rating
from oversight.feedback.selectors import complaint_assignable, complaint_events, participant_names
from oversight.tickets.selectors import work_order_list

# ---------------------------------------------------------------- output


class WorkOrderRefSerializer(serializers.Serializer):
    """A reference to a work order: its id and number."""

    id = serializers.IntegerField(read_only=True)
    number = serializers.CharField(read_only=True)


class RatingSerializer(serializers.ModelSerializer):
    """A requester's rating of a resolved work order."""

    work_order = WorkOrderRefSerializer(read_only=True)
    vendor = ObjectRefSerializer(read_only=True)
    requester = ObjectRefSerializer(read_only=True)

    class Meta:
        model = Rating
        fields = ["id", "work_order", "vendor", "requester", "stars", "comment", "recommend", "channel", "created_at"]
        read_only_fields = fields


class ComplaintEventSerializer(serializers.ModelSerializer):
    """One immutable step of a complaint's timeline."""

    actor = ObjectRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ComplaintEvent
        fields = ["seq", "at", "actor", "kind", "action", "from_status", "to_status", "body", "is_internal"]
        read_only_fields = fields


class ComplaintListSerializer(serializers.ModelSerializer):
    """A complaint in a list (only columns joined in by the list selector)."""

    title = serializers.CharField(read_only=True)
    work_order = WorkOrderRefSerializer(read_only=True)
    vendor = ObjectRefSerializer(read_only=True)
    assignee = ObjectRefSerializer(read_only=True, allow_null=True)
    stars = serializers.IntegerField(source="rating.stars", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Complaint
        fields = [
            "id",
            "title",
            "summary",
            "source",
            "status",
            "work_order",
            "vendor",
            "assignee",
            "stars",
            "opened_at",
            "updated_at",
            "resolved_at",
            "closed_at",
            "version",
        ]
        read_only_fields = fields


class ComplaintDetailSerializer(ComplaintListSerializer):
    """One complaint with its description, resolution, rating, timeline and what the caller may do now."""

    rating = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    class Meta(ComplaintListSerializer.Meta):
        fields = [
            *ComplaintListSerializer.Meta.fields,
            "description",
            "resolution",
            "rating",
            "events",
            "allowed_actions",
        ]
        read_only_fields = fields

    @extend_schema_field(RatingSerializer(allow_null=True))
    def get_rating(self, obj: Complaint) -> dict | None:
        return RatingSerializer(obj.rating).data if obj.rating_id else None

    @extend_schema_field(ComplaintEventSerializer(many=True))
    def get_events(self, obj: Complaint) -> list[dict]:
        user = self.context["request"].user
        return ComplaintEventSerializer(complaint_events(user=user, complaint=obj), many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=ComplaintAction.choices)))
    def get_allowed_actions(self, obj: Complaint) -> list[str]:
        user = self.context["request"].user
        if not permissions.may_transition_complaint(user, obj):
            return []
        return [action for action, (sources, _target) in COMPLAINT_TRANSITIONS.items() if obj.status in sources]


class WinnerSerializer(serializers.Serializer):
    """A winner of a draw: the participant id and the display name."""

    id = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class PrizeDrawSerializer(serializers.ModelSerializer):
    """A quarterly draw: what was published before it (digest, seed source) and its result."""

    participants_count = serializers.SerializerMethodField()
    winners = serializers.SerializerMethodField()
    published_by = ObjectRefSerializer(read_only=True)
    drawn_by = ObjectRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = PrizeDraw
        fields = [
            "id",
            "year",
            "quarter",
            "period_start",
            "period_end",
            "status",
            "winners_count",
            "seed_source",
            "participants_count",
            "participants",
            "participants_digest",
            "published_at",
            "published_by",
            "seed",
            "winners",
            "drawn_at",
            "drawn_by",
        ]
        read_only_fields = fields
        extra_kwargs = {"participants": {"help_text": _("The frozen participant ids (user ids), sorted.")}}

    def get_participants_count(self, obj: PrizeDraw) -> int:
        return len(obj.participants)

    @extend_schema_field(WinnerSerializer(many=True))
    def get_winners(self, obj: PrizeDraw) -> list[dict]:
        names = participant_names(draw=obj, ids=list(obj.winners))
        return [{"id": pk, "name": names.get(pk, "")} for pk in obj.winners]


class RankedParticipantSerializer(serializers.Serializer):
    """A participant with its ticket, in draw order."""

    id = serializers.CharField(read_only=True)
    ticket = serializers.CharField(read_only=True)


class DrawVerificationSerializer(serializers.Serializer):
    """A draw re-run from the stored data and compared with what was published and drawn."""

    digest = serializers.CharField(read_only=True, help_text=_("SHA-256 of the stored participants, recomputed."))
    digest_matches = serializers.BooleanField(read_only=True)
    current_participants_digest = serializers.CharField(
        read_only=True, help_text=_("The digest of the participants the ratings stored now give.")
    )
    participants_unchanged = serializers.BooleanField(read_only=True)
    winners = serializers.ListField(child=serializers.CharField(), read_only=True)
    winners_match = serializers.BooleanField(read_only=True, allow_null=True)
    ranking = RankedParticipantSerializer(many=True, read_only=True)


# ---------------------------------------------------------------- input


class ComplaintCreateInputSerializer(StrictInputSerializer):
    """Open a complaint by hand about a visible work order (client supervisors and administrators)."""

    work_order = ScopedPrimaryKeyRelatedField(work_order_list)
    summary = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000)
    source = serializers.ChoiceField(
        choices=[(s.value, s.label) for s in (ComplaintSource.HOTLINE, ComplaintSource.MANUAL)],
        default=ComplaintSource.HOTLINE,
    )


class ComplaintTransitionInputSerializer(StrictInputSerializer):
    """The resolution (resolve), the reason (reopen) or an optional note."""

    text = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


class ComplaintCommentInputSerializer(StrictInputSerializer):
    """The vendor's response or the client's note (internal notes: client side only)."""

    body = serializers.CharField(max_length=4000)
    is_internal = serializers.BooleanField(required=False, default=False)


class ComplaintAssignInputSerializer(StrictInputSerializer):
    """Who handles the complaint (null: back to the queue)."""

    assignee = ScopedPrimaryKeyRelatedField(complaint_assignable, allow_null=True)


class PrizeDrawPublishInputSerializer(StrictInputSerializer):
    """Publish a finished quarter's draw: freeze the participants and name the seed source."""

    year = serializers.IntegerField(min_value=2000, max_value=2999)
    quarter = serializers.ChoiceField(choices=Quarter.choices)
    winners_count = serializers.IntegerField(min_value=1, max_value=1000, required=False)
    seed_source = serializers.CharField(max_length=2000)


class PrizeDrawRunInputSerializer(StrictInputSerializer):
    """The seed, exactly as the named source published it."""

    seed = serializers.CharField(max_length=500)
