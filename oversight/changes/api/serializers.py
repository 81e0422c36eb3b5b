"""Input and output serializers of the changes API. Input serializers only parse; services decide.

Every related object a change names (services, items, sites, other changes in a conflict, the contract) is shown
only when the reader may see it through its own selector, so no answer names what the gate hides."""

from __future__ import annotations

from rest_framework import serializers

from oversight.catalog.selectors import service_list
from oversight.changes import permissions, selectors
from oversight.changes.choices import (
    CHANGE_MACHINE,
    RISK_QUESTIONS,
    ApprovalRule,
    CabDecision,
    ChangeType,
    ConflictCode,
    RequestStatus,
    ReviewOutcome,
    StepStatus,
    WindowKind,
)
from oversight.changes.models import (
    ApprovalRequest,
    ApprovalStep,
    CabAgendaItem,
    CabMeeting,
    Change,
    ChangeEvent,
    ChangeIncident,
    ChangeTemplate,
    ChangeWindow,
)
from oversight.configuration.selectors import ci_list
from oversight.contracts.selectors import contract_list
from oversight.core.api.serializers import ObjectRefSerializer, ScopedPrimaryKeyRelatedField, StrictInputSerializer
from oversight.tenancy.selectors import site_list, vendor_list
from oversight.tickets.selectors import work_order_list


def _user(serializer):
    return serializer.context["request"].user


def _visible_ids(selector, user, ids) -> list[int]:
    """The ids among ``ids`` the user may see through ``selector``, sorted."""
    return sorted(selector(user=user).filter(pk__in=list(ids)).values_list("pk", flat=True))


def _visible_among(serializer, selector, ids) -> list[int]:
    """The ids among ``ids`` the reader may see, the visible set read once per answer (a list stays flat)."""
    cache = serializer.context.setdefault("_visible", {})
    if selector not in cache:
        cache[selector] = set(selector(user=_user(serializer)).values_list("pk", flat=True))
    return sorted(i for i in ids if i is not None and i in cache[selector])


# ---------------------------------------------------------------- output


class ChangeRefSerializer(serializers.Serializer):
    """A reference to a change: its id and number."""

    id = serializers.IntegerField(read_only=True)
    number = serializers.CharField(read_only=True)


class ChangeListSerializer(serializers.ModelSerializer):
    """A change in a list."""

    implementer = ObjectRefSerializer(read_only=True)
    requested_by = ObjectRefSerializer(read_only=True)

    class Meta:
        model = Change
        fields = [
            "id",
            "number",
            "type",
            "title",
            "status",
            "risk_level",
            "implementer",
            "requested_by",
            "template",
            "planned_start",
            "planned_end",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = fields


class ChangeEventSerializer(serializers.ModelSerializer):
    """One immutable step of a change's timeline."""

    actor = ObjectRefSerializer(read_only=True)

    class Meta:
        model = ChangeEvent
        fields = ["seq", "at", "actor", "kind", "action", "from_status", "to_status", "body", "data"]
        read_only_fields = fields


class ApprovalRequestSerializer(serializers.ModelSerializer):
    """One approver's place in an approval step and their vote."""

    approver = ObjectRefSerializer(read_only=True)
    substitute = ObjectRefSerializer(read_only=True)
    voted_by = ObjectRefSerializer(read_only=True)
    status = serializers.ChoiceField(choices=RequestStatus.choices, read_only=True)

    class Meta:
        model = ApprovalRequest
        fields = ["id", "approver", "substitute", "substitute_asked_at", "status", "voted_by", "voted_at", "comment"]
        read_only_fields = fields


class ApprovalStepSerializer(serializers.ModelSerializer):
    """One approval step of a change with its rule and its approvers' places."""

    rule = serializers.ChoiceField(choices=ApprovalRule.choices, read_only=True)
    status = serializers.ChoiceField(choices=StepStatus.choices, read_only=True)
    requests = ApprovalRequestSerializer(many=True, read_only=True)

    class Meta:
        model = ApprovalStep
        fields = [
            "id",
            "position",
            "name",
            "rule",
            "quorum",
            "percent",
            "deadline_hours",
            "status",
            "opened_at",
            "due_at",
            "decided_at",
            "requests",
        ]
        read_only_fields = fields


class ChangeIncidentSerializer(serializers.ModelSerializer):
    """An incident linked as caused by the change: the work order as it is now."""

    work_order = serializers.IntegerField(source="work_order_id", read_only=True)
    number = serializers.CharField(source="work_order.number", read_only=True)
    title = serializers.CharField(source="work_order.title", read_only=True)
    status = serializers.CharField(source="work_order.status", read_only=True)
    linked_by = ObjectRefSerializer(read_only=True)

    class Meta:
        model = ChangeIncident
        fields = ["id", "work_order", "number", "title", "status", "linked_by", "linked_at"]
        read_only_fields = fields


class ConflictSerializer(serializers.Serializer):
    """One conflict of a change on the calendar: its reason code, and the window, change and items it is with
    (each shown only when the reader may see it)."""

    code = serializers.ChoiceField(choices=ConflictCode.choices, read_only=True)
    label = serializers.CharField(read_only=True)
    hard = serializers.BooleanField(read_only=True)
    window = serializers.IntegerField(read_only=True, allow_null=True)
    change = ChangeRefSerializer(read_only=True, allow_null=True)
    cis = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    start = serializers.DateTimeField(read_only=True, allow_null=True)
    end = serializers.DateTimeField(read_only=True, allow_null=True)


def conflict_rows(user, conflicts: list[dict]) -> list[dict]:
    """Stored or computed conflicts (code, window, change, cis, hard, start, end) as the reader may see them."""
    change_ids = {c["change"] for c in conflicts if c.get("change")}
    ci_ids = {ci for c in conflicts for ci in c.get("cis", ())}
    window_ids = {c["window"] for c in conflicts if c.get("window")}
    changes = {c.pk: c for c in selectors.change_list(user=user).filter(pk__in=change_ids)}
    cis = set(_visible_ids(ci_list, user, ci_ids))
    windows = set(_visible_ids(selectors.window_list, user, window_ids))
    rows = []
    for c in conflicts:
        other = changes.get(c.get("change"))
        rows.append(
            {
                "code": c["code"],
                "label": str(ConflictCode(c["code"]).label),
                "hard": bool(c.get("hard")),
                "window": c.get("window") if c.get("window") in windows else None,
                "change": {"id": other.pk, "number": other.number} if other else None,
                "cis": [ci for ci in c.get("cis", ()) if ci in cis],
                "start": c.get("start"),
                "end": c.get("end"),
            }
        )
    return rows


class RiskSerializer(serializers.Serializer):
    """Both risk scores with how they were computed, and the change's risk (the higher)."""

    level = serializers.IntegerField(source="risk_level", read_only=True)
    rule_score = serializers.IntegerField(source="risk_rule_score", read_only=True)
    rule_level = serializers.IntegerField(source="risk_rule_level", read_only=True)
    rule_factors = serializers.JSONField(source="risk_rule_factors", read_only=True)
    answers = serializers.JSONField(source="risk_answers", read_only=True)
    questionnaire_percent = serializers.DecimalField(
        source="risk_questionnaire_percent", max_digits=4, decimal_places=1, read_only=True, allow_null=True
    )
    questionnaire_level = serializers.IntegerField(source="risk_questionnaire_level", read_only=True, allow_null=True)


class ChangeDetailSerializer(ChangeListSerializer):
    """A change with its plans, risk, calendar conflicts, approval steps, review, caused incidents, timeline and
    what the reader may do now."""

    contract = serializers.SerializerMethodField()
    services = serializers.SerializerMethodField()
    configuration_items = serializers.SerializerMethodField()
    sites = serializers.SerializerMethodField()
    risk = RiskSerializer(source="*", read_only=True)
    conflicts = serializers.SerializerMethodField()
    steps = serializers.SerializerMethodField()
    incidents = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()
    my_vote = serializers.SerializerMethodField()

    class Meta(ChangeListSerializer.Meta):
        fields = [
            *ChangeListSerializer.Meta.fields,
            "description",
            "contract",
            "services",
            "configuration_items",
            "sites",
            "implementation_plan",
            "backout_plan",
            "test_plan",
            "expected_outage_minutes",
            "actual_start",
            "actual_end",
            "risk",
            "conflicts",
            "conflicts_checked_at",
            "exception_approved_at",
            "unauthorised",
            "authorised_at",
            "outcome",
            "review_notes",
            "reviewed_at",
            "closed_at",
            "steps",
            "incidents",
            "events",
            "allowed_actions",
            "my_vote",
        ]
        read_only_fields = fields

    def get_contract(self, obj) -> int | None:
        """The contract, if the reader may see it."""
        if obj.contract_id is None:
            return None
        return obj.contract_id if contract_list(user=_user(self)).filter(pk=obj.contract_id).exists() else None

    def get_services(self, obj) -> list[int]:
        return _visible_ids(service_list, _user(self), obj.services.values_list("pk", flat=True))

    def get_configuration_items(self, obj) -> list[int]:
        return _visible_ids(ci_list, _user(self), obj.cis.values_list("pk", flat=True))

    def get_sites(self, obj) -> list[int]:
        return _visible_ids(site_list, _user(self), obj.sites.values_list("pk", flat=True))

    def get_conflicts(self, obj) -> list[dict]:
        return ConflictSerializer(conflict_rows(_user(self), obj.conflict_codes or []), many=True).data

    def get_steps(self, obj) -> list[dict]:
        return ApprovalStepSerializer(selectors.change_steps(change=obj), many=True).data

    def get_incidents(self, obj) -> list[dict]:
        return ChangeIncidentSerializer(selectors.change_incidents(user=_user(self), change=obj), many=True).data

    def get_events(self, obj) -> list[dict]:
        return ChangeEventSerializer(selectors.change_events(change=obj), many=True).data

    def get_allowed_actions(self, obj) -> list[str]:
        user = _user(self)
        return [a for a in CHANGE_MACHINE.actions_from(obj.status) if permissions.may_transition(user, obj, a)]

    def get_my_vote(self, obj) -> int | None:
        """The id of the reader's pending place on the open approval step (None: no vote to give)."""
        request = selectors.vote_request_for(user=_user(self), change=obj)
        return request.pk if request is not None else None


class ChangeTemplateSerializer(serializers.ModelSerializer):
    """A pre-approved standard change of the catalogue."""

    service = serializers.SerializerMethodField()
    vendor = serializers.SerializerMethodField()

    class Meta:
        model = ChangeTemplate
        fields = [
            "id",
            "name",
            "description",
            "service",
            "vendor",
            "implementation_plan",
            "backout_plan",
            "test_plan",
            "expected_outage_minutes",
            "active",
            "created_at",
        ]
        read_only_fields = fields

    def get_service(self, obj) -> int | None:
        """The template's service, if the reader may see it."""
        return next(iter(_visible_among(self, service_list, [obj.service_id])), None)

    def get_vendor(self, obj) -> int | None:
        """The vendor the template is for (None: any), if the reader may see it."""
        return next(iter(_visible_among(self, vendor_list, [obj.vendor_id])), None)


class ChangeWindowSerializer(serializers.ModelSerializer):
    """A blackout or maintenance window of the change calendar, with the scope the reader may see."""

    kind = serializers.ChoiceField(choices=WindowKind.choices, read_only=True)
    services = serializers.SerializerMethodField()
    vendors = serializers.SerializerMethodField()
    sites = serializers.SerializerMethodField()

    class Meta:
        model = ChangeWindow
        fields = [
            "id",
            "name",
            "kind",
            "hard",
            "start",
            "end",
            "rrule",
            "description",
            "services",
            "vendors",
            "sites",
            "active",
            "created_at",
        ]
        read_only_fields = fields

    def get_services(self, obj) -> list[int]:
        return _visible_among(self, service_list, [x.pk for x in obj.services.all()])

    def get_vendors(self, obj) -> list[int]:
        return _visible_among(self, vendor_list, [x.pk for x in obj.vendors.all()])

    def get_sites(self, obj) -> list[int]:
        return _visible_among(self, site_list, [x.pk for x in obj.sites.all()])


class OccurrenceSerializer(serializers.Serializer):
    """One occurrence of a calendar window in the asked range."""

    window = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=WindowKind.choices, read_only=True)
    hard = serializers.BooleanField(read_only=True)
    start = serializers.DateTimeField(read_only=True)
    end = serializers.DateTimeField(read_only=True)


class CalendarSerializer(serializers.Serializer):
    """The change calendar of a date range: the windows' occurrences and the changes planned in it."""

    since = serializers.DateTimeField(read_only=True)
    until = serializers.DateTimeField(read_only=True)
    windows = OccurrenceSerializer(many=True, read_only=True)
    changes = ChangeListSerializer(many=True, read_only=True)


class CabAgendaItemSerializer(serializers.ModelSerializer):
    """One change on a CAB meeting's agenda and the board's decision."""

    change = ChangeListSerializer(read_only=True)
    decision = serializers.ChoiceField(choices=CabDecision.choices, read_only=True, allow_blank=True)

    class Meta:
        model = CabAgendaItem
        fields = ["id", "position", "change", "decision", "note", "decided_at"]
        read_only_fields = fields


class CabMeetingSerializer(serializers.ModelSerializer):
    """A CAB meeting with its agenda (the changes the reader may see) and decisions."""

    chair = ObjectRefSerializer(read_only=True)
    items = serializers.SerializerMethodField()

    class Meta:
        model = CabMeeting
        fields = ["id", "title", "starts_at", "location", "chair", "created_at", "items"]
        read_only_fields = fields

    def get_items(self, obj) -> list[dict]:
        rows = selectors.cab_items(user=_user(self), meeting=obj)
        return CabAgendaItemSerializer(rows, many=True, context=self.context).data


# ---------------------------------------------------------------- input


class ChangeInputSerializer(StrictInputSerializer):
    """A change's details (create, or change with PATCH)."""

    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    implementation_plan = serializers.CharField(required=False, allow_blank=True)
    backout_plan = serializers.CharField(required=False, allow_blank=True)
    test_plan = serializers.CharField(required=False, allow_blank=True)
    expected_outage_minutes = serializers.IntegerField(required=False, min_value=0, max_value=10**6)
    planned_start = serializers.DateTimeField(required=False, allow_null=True)
    planned_end = serializers.DateTimeField(required=False, allow_null=True)
    contract = ScopedPrimaryKeyRelatedField(contract_list, required=False, allow_null=True)
    services = ScopedPrimaryKeyRelatedField(service_list, many=True, required=False)
    cis = ScopedPrimaryKeyRelatedField(ci_list, many=True, required=False)


class ChangeCreateInputSerializer(ChangeInputSerializer):
    """A new change: its type, implementer, template (standard changes) and risk answers too."""

    type = serializers.ChoiceField(choices=ChangeType.choices, required=False, default=ChangeType.NORMAL)
    implementer = ScopedPrimaryKeyRelatedField(vendor_list)
    template = ScopedPrimaryKeyRelatedField(selectors.template_list, required=False, allow_null=True)
    risk_answers = serializers.DictField(child=serializers.IntegerField(min_value=0, max_value=3), required=False)


class RiskInputSerializer(StrictInputSerializer):
    """The risk questionnaire's answers: question code -> answer 0 (least risky) … 3 (most); {} clears them."""

    answers = serializers.DictField(child=serializers.IntegerField(min_value=0, max_value=3))

    def validate_answers(self, value):
        unknown = sorted(set(value) - set(RISK_QUESTIONS))
        if unknown:
            raise serializers.ValidationError(unknown)
        return value


class NoteInputSerializer(StrictInputSerializer):
    """The reason of a transition (required to reject, cancel, record unauthorised work, approve an exception)."""

    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReviewInputSerializer(StrictInputSerializer):
    """The post-implementation review: the outcome and what was learnt (required unless successful)."""

    outcome = serializers.ChoiceField(choices=ReviewOutcome.choices)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class LinkIncidentsInputSerializer(StrictInputSerializer):
    """Incidents (work orders) caused by the change."""

    work_orders = ScopedPrimaryKeyRelatedField(work_order_list, many=True)


class UnlinkIncidentInputSerializer(StrictInputSerializer):
    """The incident whose link to remove."""

    work_order = ScopedPrimaryKeyRelatedField(work_order_list)


class VoteInputSerializer(StrictInputSerializer):
    """A vote on the change's open approval step (a reason is required to reject)."""

    approve = serializers.BooleanField()
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ChangeTemplateInputSerializer(StrictInputSerializer):
    """A standard change template (create, or change with PATCH; active=false retires it)."""

    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    service = ScopedPrimaryKeyRelatedField(service_list, required=False, allow_null=True)
    vendor = ScopedPrimaryKeyRelatedField(vendor_list, required=False, allow_null=True)
    implementation_plan = serializers.CharField()
    backout_plan = serializers.CharField()
    test_plan = serializers.CharField(required=False, allow_blank=True)
    expected_outage_minutes = serializers.IntegerField(required=False, min_value=0, max_value=10**6)


class ChangeTemplateUpdateInputSerializer(ChangeTemplateInputSerializer):
    """A change of a template: only the fields sent."""

    active = serializers.BooleanField(required=False)


class WindowInputSerializer(StrictInputSerializer):
    """A new blackout or maintenance window, once or repeating (RRULE), for everything or some scope."""

    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=WindowKind.choices)
    hard = serializers.BooleanField(required=False, default=True)
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    rrule = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    description = serializers.CharField(required=False, allow_blank=True, default="")
    services = ScopedPrimaryKeyRelatedField(service_list, many=True, required=False, default=list)
    vendors = ScopedPrimaryKeyRelatedField(vendor_list, many=True, required=False, default=list)
    sites = ScopedPrimaryKeyRelatedField(site_list, many=True, required=False, default=list)


class CalendarQuerySerializer(StrictInputSerializer):
    """The date range of the calendar (days in the reader's zone, at most 92 days); without one, this month."""

    since = serializers.DateField(required=False)
    until = serializers.DateField(required=False)


class CabMeetingInputSerializer(StrictInputSerializer):
    """A new CAB meeting; its agenda is every change awaiting authorisation."""

    title = serializers.CharField(max_length=200)
    starts_at = serializers.DateTimeField()
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class CabDecisionInputSerializer(StrictInputSerializer):
    """The board's decision on one agenda item (a reason is required to reject)."""

    item = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    decision = serializers.ChoiceField(choices=CabDecision.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")
