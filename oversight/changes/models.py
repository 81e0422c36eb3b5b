"""Changes (变更) with their risk, immutable timeline and post-implementation review, and the catalogue of
pre-approved standard changes (标准变更模板)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from oversight.changes.choices import (
    AWAITING_AUTHORISATION,
    FINAL_STATUSES,
    ApprovalRule,
    CabDecision,
    ChangeEventKind,
    ChangeStatus,
    ChangeType,
    FeedKind,
    RequestStatus,
    ReviewOutcome,
    RiskLevel,
    StepStatus,
    WindowKind,
)
from oversight.core.concurrency import VersionETag
from oversight.core.models import TimelineEventBase
from oversight.core.numbering import YearlyCounter
from oversight.tenancy.visibility import WHOLE_ORGANISATION, Visibility


class ChangeTemplate(models.Model):
    """A pre-approved standard change (标准变更): its plans and risk were agreed once, so a change made from it
    skips assessment and authorisation."""

    # The catalogue is shared reference data of the organisation: every vendor may raise a standard change.
    visibility = Visibility(organisation="organisation", vendor=WHOLE_ORGANISATION)

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    service = models.ForeignKey(
        "catalog.Service",
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="change_templates",
    )
    vendor = models.ForeignKey(
        "tenancy.Vendor",
        verbose_name=_("vendor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="change_templates",
        help_text=_("Empty: any vendor may use the template."),
    )
    implementation_plan = models.TextField(_("implementation plan"))
    backout_plan = models.TextField(_("backout plan"))
    test_plan = models.TextField(_("test plan"), blank=True)
    expected_outage_minutes = models.PositiveIntegerField(_("expected outage (minutes)"), default=0)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("standard change template")
        verbose_name_plural = _("standard change templates")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="changes_changetemplate_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class ChangeCounter(YearlyCounter):
    """Per organisation and year, the last change number handed out (locked while incremented)."""

    visibility = Visibility(organisation="organisation", roles=frozenset())  # bookkeeping: nobody reads it

    class Meta(YearlyCounter.Meta):
        verbose_name = _("change counter")
        verbose_name_plural = _("change counters")


class Change(VersionETag, models.Model):
    """A change (变更) a vendor makes to the client's services: planned, risk-assessed, authorised, scheduled,
    implemented and reviewed."""

    # Vendor staff see the changes their vendor implements; requesters see none.
    visibility = Visibility(organisation="organisation", vendor="implementer")

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("number"), max_length=30, unique=True)
    type = models.CharField(_("type"), max_length=20, choices=ChangeType.choices, default=ChangeType.NORMAL)
    template = models.ForeignKey(
        ChangeTemplate,
        verbose_name=_("standard change template"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="changes",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ChangeStatus.choices, default=ChangeStatus.NEW)
    services = models.ManyToManyField(
        "catalog.Service", verbose_name=_("affected services"), blank=True, related_name="changes"
    )
    implementation_plan = models.TextField(_("implementation plan"), blank=True)
    backout_plan = models.TextField(_("backout plan"), blank=True)
    test_plan = models.TextField(_("test plan"), blank=True)
    expected_outage_minutes = models.PositiveIntegerField(_("expected outage (minutes)"), default=0)
    planned_start = models.DateTimeField(_("planned start"), null=True, blank=True)
    planned_end = models.DateTimeField(_("planned end"), null=True, blank=True)
    actual_start = models.DateTimeField(_("actual start"), null=True, blank=True)
    actual_end = models.DateTimeField(_("actual end"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    implementer = models.ForeignKey(
        "tenancy.Vendor", verbose_name=_("implementer"), on_delete=models.PROTECT, related_name="changes"
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("contract"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="changes",
    )
    # Risk (ADR 0022): both scores with how they were computed, and the higher of the two.
    risk_rule_score = models.PositiveSmallIntegerField(_("rule-based risk score"), default=0)
    risk_rule_level = models.PositiveSmallIntegerField(
        _("rule-based risk"), choices=RiskLevel.choices, default=RiskLevel.LOW
    )
    risk_rule_factors = models.JSONField(_("rule-based risk factors"), default=list, blank=True)
    risk_answers = models.JSONField(_("risk questionnaire answers"), default=dict, blank=True)
    risk_questionnaire_percent = models.DecimalField(
        _("risk questionnaire (%)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    risk_questionnaire_level = models.PositiveSmallIntegerField(
        _("questionnaire risk"), choices=RiskLevel.choices, null=True, blank=True
    )
    risk_level = models.PositiveSmallIntegerField(_("risk"), choices=RiskLevel.choices, default=RiskLevel.LOW)
    sites = models.ManyToManyField("tenancy.Site", verbose_name=_("affected sites"), blank=True, related_name="+")
    cis = models.ManyToManyField(
        "configuration.ConfigurationItem",
        verbose_name=_("affected configuration items"),
        blank=True,
        related_name="changes",
    )
    # The calendar: the conflicts found when last checked (codes), and a soft blackout's exception approval.
    conflict_codes = models.JSONField(_("calendar conflicts"), default=list, blank=True)
    conflicts_checked_at = models.DateTimeField(_("conflicts checked at"), null=True, blank=True)
    exception_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("blackout exception approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    exception_approved_at = models.DateTimeField(_("blackout exception approved at"), null=True, blank=True)
    # Implemented without authorisation (recorded by the supervisor): counted by the unauthorised-changes KPI.
    unauthorised = models.BooleanField(_("implemented without authorisation"), default=False)
    # Post-implementation review.
    outcome = models.CharField(_("outcome"), max_length=20, choices=ReviewOutcome.choices, blank=True)
    review_notes = models.TextField(_("review notes"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    authorised_at = models.DateTimeField(_("authorised at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "-created_at", "-id"], name="changes_org_created_idx"),
            models.Index(fields=["organisation", "status", "-created_at"], name="changes_org_status_idx"),
            models.Index(fields=["implementer", "status", "-created_at"], name="changes_vendor_status_idx"),
            models.Index(fields=["organisation", "planned_start"], name="changes_org_window_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_start__isnull=True)
                | Q(planned_end__isnull=True)
                | Q(planned_end__gt=models.F("planned_start")),
                name="changes_change_window_ordered",
            ),
            models.CheckConstraint(
                condition=Q(risk_level__gte=models.F("risk_rule_level")), name="changes_change_risk_is_the_higher"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("changes:detail", args=[self.number])

    @property
    def is_final(self) -> bool:
        """Closed, rejected or cancelled."""
        return self.status in FINAL_STATUSES

    @property
    def awaits_authorisation(self) -> bool:
        """A normal or emergency change not yet authorised nor rejected."""
        return self.type != ChangeType.STANDARD and self.status in AWAITING_AUTHORISATION


class ChangeEvent(TimelineEventBase):
    """One immutable step of a change's timeline: who did what, when."""

    visibility = Visibility.through("change")

    timeline_parent = "change"
    immutable_error = "change events are immutable"

    change = models.ForeignKey(Change, verbose_name=_("change"), on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("kind"), max_length=30, choices=ChangeEventKind.choices)
    action = models.CharField(_("action"), max_length=30, blank=True)
    body = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("change event")
        verbose_name_plural = _("change events")
        ordering = ["change", "seq"]
        constraints = [models.UniqueConstraint(fields=["change", "seq"], name="changes_changeevent_unique_seq")]


class ApprovalPolicy(models.Model):
    """The organisation's approval steps for one type of change (the CAB, the ECAB), copied onto each change
    when its approval starts."""

    visibility = Visibility(organisation="organisation")

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    change_type = models.CharField(_("type of change"), max_length=20, choices=ChangeType.choices)
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("approval policy")
        verbose_name_plural = _("approval policies")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "change_type"], name="changes_approvalpolicy_unique"),
            models.CheckConstraint(
                condition=~Q(change_type=ChangeType.STANDARD), name="changes_approvalpolicy_not_standard"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.change_type}"


class StepRuleFields(models.Model):
    """The rule of an approval step and its deadline (shared by the policy's steps and the change's steps)."""

    position = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=120)
    rule = models.CharField(_("rule"), max_length=20, choices=ApprovalRule.choices)
    quorum = models.PositiveSmallIntegerField(_("approvals needed (n)"), null=True, blank=True)
    percent = models.PositiveSmallIntegerField(_("share needed (%)"), null=True, blank=True)
    deadline_hours = models.PositiveSmallIntegerField(
        _("deadline (business hours)"),
        null=True,
        blank=True,
        help_text=_("After this many business hours, each approver's substitute is asked. Empty: no deadline."),
    )
    calendar = models.ForeignKey(
        "catalog.BusinessCalendar",
        verbose_name=_("business calendar"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True


class ApprovalPolicyStep(StepRuleFields):
    """One step of an approval policy."""

    visibility = Visibility.through("policy")

    policy = models.ForeignKey(ApprovalPolicy, verbose_name=_("policy"), on_delete=models.CASCADE, related_name="steps")

    class Meta:
        verbose_name = _("approval policy step")
        verbose_name_plural = _("approval policy steps")
        ordering = ["policy", "position"]
        constraints = [models.UniqueConstraint(fields=["policy", "position"], name="changes_policystep_unique")]

    def __str__(self) -> str:
        return self.name


class ApprovalPolicyMember(models.Model):
    """An approver of a policy step, with the named substitute asked once the deadline has passed."""

    visibility = Visibility.through("step")

    step = models.ForeignKey(
        ApprovalPolicyStep, verbose_name=_("step"), on_delete=models.CASCADE, related_name="members"
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approver"), on_delete=models.PROTECT, related_name="+"
    )
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("substitute"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("approver")
        verbose_name_plural = _("approvers")
        ordering = ["step", "id"]
        constraints = [models.UniqueConstraint(fields=["step", "approver"], name="changes_policymember_unique")]

    def __str__(self) -> str:
        return str(self.approver_id)


class ApprovalStep(StepRuleFields):
    """One approval step of a change, copied from the policy: waits, collects votes, then is decided."""

    visibility = Visibility.through("change")

    change = models.ForeignKey(Change, verbose_name=_("change"), on_delete=models.PROTECT, related_name="steps")
    status = models.CharField(_("status"), max_length=20, choices=StepStatus.choices, default=StepStatus.WAITING)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")
        ordering = ["change", "position"]
        constraints = [models.UniqueConstraint(fields=["change", "position"], name="changes_approvalstep_unique")]

    def __str__(self) -> str:
        return f"{self.change_id}/{self.position} {self.name}"


class ApprovalRequest(models.Model):
    """One approver's place in a step: pending until they vote (or their substitute, once asked), or withdrawn
    when the step is decided without them."""

    visibility = Visibility.through("step")

    step = models.ForeignKey(ApprovalStep, verbose_name=_("step"), on_delete=models.PROTECT, related_name="requests")
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approver"), on_delete=models.PROTECT, related_name="+"
    )
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("substitute"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    substitute_asked_at = models.DateTimeField(_("substitute asked at"), null=True, blank=True)
    voted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    voted_at = models.DateTimeField(_("voted at"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("approval request")
        verbose_name_plural = _("approval requests")
        ordering = ["step", "id"]
        indexes = [models.Index(fields=["status", "step"], name="changes_request_status_idx")]
        constraints = [models.UniqueConstraint(fields=["step", "approver"], name="changes_request_unique")]

    def __str__(self) -> str:
        return f"{self.step_id} {self.approver_id} {self.status}"


class CabMeeting(models.Model):
    """A meeting of the change advisory board (CAB, 变更咨询委员会) with its agenda of changes to decide."""

    visibility = Visibility(organisation="organisation")

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("chair"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("CAB meeting")
        verbose_name_plural = _("CAB meetings")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["organisation", "-starts_at"], name="changes_cab_org_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("changes:cab_detail", args=[self.pk])


class CabAgendaItem(models.Model):
    """One change on a CAB meeting's agenda and what the board decided about it."""

    visibility = Visibility.through("meeting")

    meeting = models.ForeignKey(CabMeeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="items")
    change = models.ForeignKey(Change, verbose_name=_("change"), on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("order"))
    decision = models.CharField(_("decision"), max_length=20, choices=CabDecision.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("CAB agenda item")
        verbose_name_plural = _("CAB agenda items")
        ordering = ["meeting", "position"]
        constraints = [models.UniqueConstraint(fields=["meeting", "change"], name="changes_cabitem_unique")]

    def __str__(self) -> str:
        return f"{self.meeting_id}/{self.position}"


class ChangeWindow(models.Model):
    """A window on the change calendar: a blackout (hard: no scheduling; soft: only with an exception approval)
    or a maintenance window, once or recurring (RRULE), for the whole organisation or some services, items,
    vendors or sites."""

    # Every vendor sees the calendar it must plan around.
    visibility = Visibility(organisation="organisation", vendor=WHOLE_ORGANISATION)

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=WindowKind.choices)
    hard = models.BooleanField(
        _("hard blackout"), default=True, help_text=_("Hard: changes are refused. Soft: they need an exception.")
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    rrule = models.CharField(
        _("repeats (RRULE)"),
        max_length=300,
        blank=True,
        help_text=_("For example FREQ=WEEKLY;BYDAY=SU for every Sunday. Empty: once."),
    )
    description = models.TextField(_("description"), blank=True)
    services = models.ManyToManyField("catalog.Service", verbose_name=_("services"), blank=True, related_name="+")
    vendors = models.ManyToManyField("tenancy.Vendor", verbose_name=_("vendors"), blank=True, related_name="+")
    sites = models.ManyToManyField("tenancy.Site", verbose_name=_("sites"), blank=True, related_name="+")
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("calendar window")
        verbose_name_plural = _("calendar windows")
        ordering = ["start", "id"]
        indexes = [models.Index(fields=["organisation", "active", "start"], name="changes_window_org_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="changes_changewindow_ordered"),
        ]

    def __str__(self) -> str:
        return self.name


class ChangeIncident(models.Model):
    """An incident (a work order) caused by a change, linked in the post-implementation review: who, when."""

    visibility = Visibility.through("change")

    change = models.ForeignKey(
        Change, verbose_name=_("change"), on_delete=models.PROTECT, related_name="incident_links"
    )
    work_order = models.ForeignKey(
        "tickets.WorkOrder", verbose_name=_("work order"), on_delete=models.CASCADE, related_name="+"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("linked by"), on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField(_("linked at"))

    class Meta:
        verbose_name = _("incident caused by a change")
        verbose_name_plural = _("incidents caused by changes")
        ordering = ["change", "linked_at", "id"]
        constraints = [models.UniqueConstraint(fields=["change", "work_order"], name="changes_changeincident_unique")]

    def __str__(self) -> str:
        return f"{self.change_id} → {self.work_order_id}"


class CalendarFeedKey(models.Model):
    """A person's key to one calendar feed, the change calendar's or the meetings' `.ics` (ADR 0029): calendar
    programs send no headers, so the key is in the feed's address. Only its sha256 is stored; revoked keys stay for
    the record."""

    visibility = Visibility(organisation="owner__organisation", person="owner")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="+"
    )
    feed = models.CharField(_("feed"), max_length=10, choices=FeedKind.choices, default=FeedKind.CHANGES)
    prefix = models.CharField(_("prefix"), max_length=16, help_text=_("The start of the key, to recognise it."))
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed key")
        verbose_name_plural = _("calendar feed keys")
        ordering = ["owner", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "feed"],
                condition=Q(revoked_at__isnull=True),
                name="changes_calendarfeedkey_one_live_per_feed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}…"
