"""Work orders, their immutable timeline, SLA clocks, comments, attachments and QR intake points."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from oversight.catalog.choices import Level, Priority, SLAMetric
from oversight.core.concurrency import VersionETag
from oversight.core.files import StoredFileBase
from oversight.core.models import TimelineEventBase
from oversight.core.numbering import YearlyCounter
from oversight.core.phones import validate_phone
from oversight.tenancy.visibility import Visibility
from oversight.tickets.choices import OPEN_STATUSES, Channel, ClockState, EventKind, SLAState, Status, WorkOrderKind


class WorkOrder(VersionETag, models.Model):
    """A work order (工单): an incident or service request handled by a vendor under an SLA."""

    visibility = Visibility(
        organisation="organisation",
        vendor="vendor",
        requester="requester",
        department=("site", "requester__department"),
    )

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("number"), max_length=30, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=WorkOrderKind.choices, default=WorkOrderKind.INCIDENT)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    service = models.ForeignKey(
        "catalog.Service", verbose_name=_("service"), on_delete=models.PROTECT, related_name="work_orders"
    )
    offering = models.ForeignKey(
        "catalog.Offering",
        verbose_name=_("offering"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_orders",
    )
    vendor = models.ForeignKey(
        "tenancy.Vendor", verbose_name=_("vendor"), on_delete=models.PROTECT, related_name="work_orders"
    )
    site = models.ForeignKey(
        "tenancy.Site",
        verbose_name=_("location"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_orders",
    )
    location_detail = models.CharField(_("location detail"), max_length=200, blank=True)
    asset_tag = models.CharField(_("asset tag"), max_length=100, blank=True)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requester"),
        on_delete=models.PROTECT,
        related_name="requested_work_orders",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.PORTAL)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True, validators=[validate_phone])
    impact = models.PositiveSmallIntegerField(_("impact"), choices=Level.choices, default=Level.MEDIUM)
    urgency = models.PositiveSmallIntegerField(_("urgency"), choices=Level.choices, default=Level.MEDIUM)
    priority = models.CharField(_("priority"), max_length=2, choices=Priority.choices, default=Priority.P3)
    status = models.CharField(_("status"), max_length=30, choices=Status.choices, default=Status.NEW)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_work_orders",
    )
    team = models.ForeignKey(
        "tenancy.Team", verbose_name=_("team"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sla_policy_version = models.ForeignKey(
        "catalog.SLAPolicyVersion", verbose_name=_("SLA policy version"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("received at"))
    updated_at = models.DateTimeField(_("updated at"))
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    confirmed_by_requester = models.BooleanField(_("confirmed by requester"), default=False)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    reassignment_count = models.PositiveSmallIntegerField(_("times reassigned"), default=0)
    # Optimistic concurrency: bumped by every change; exposed as the ETag.
    version = models.PositiveIntegerField(_("version"), default=1)
    # Denormalised from the clocks so boards and queues are plain indexed queries.
    sla_state = models.CharField(_("SLA state"), max_length=20, choices=SLAState.choices, default=SLAState.ON_TRACK)
    sla_breached = models.BooleanField(_("SLA breached"), default=False)
    sla_next_due_at = models.DateTimeField(_("next SLA due"), null=True, blank=True)
    sla_next_warning_at = models.DateTimeField(_("next SLA warning"), null=True, blank=True)
    # Calendar id -> instant: a calendar change an administrator applied to this (open) work order. Its clocks
    # measure all time before that instant on the calendar as it stood then, not on the earlier states
    # (docs/adr/0015-effective-dated-calendars.md).
    calendar_rebases = models.JSONField(_("calendar changes applied"), default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("work order")
        verbose_name_plural = _("work orders")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "-created_at", "-id"], name="tickets_wo_org_created_idx"),
            models.Index(fields=["organisation", "status", "-created_at"], name="tickets_wo_org_status_idx"),
            models.Index(fields=["vendor", "status", "-created_at"], name="tickets_wo_vendor_status_idx"),
            models.Index(fields=["vendor", "-created_at", "-id"], name="tickets_wo_vendor_created_idx"),
            models.Index(fields=["assignee", "status"], name="tickets_wo_assignee_status_idx"),
            models.Index(fields=["requester", "-created_at"], name="tickets_wo_requester_idx"),
            models.Index(fields=["status", "sla_next_due_at"], name="tickets_wo_status_due_idx"),
            models.Index(fields=["sla_breached", "status"], name="tickets_wo_breached_idx"),
            models.Index(fields=["site", "-created_at"], name="tickets_wo_site_idx"),
            # The workbench's "mine" queue: an agent's open work orders (about 1 % of all), soonest due first.
            models.Index(
                fields=["assignee", "sla_next_due_at"],
                condition=Q(status__in=sorted(OPEN_STATUSES)),
                name="tickets_wo_open_assignee_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("tickets:detail", args=[self.number])


class WorkOrderEvent(TimelineEventBase):
    """One immutable step of a work order's timeline (全过程): who did what, when."""

    visibility = Visibility.through("work_order")

    timeline_parent = "work_order"

    work_order = models.ForeignKey(
        WorkOrder, verbose_name=_("work order"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=EventKind.choices)
    action = models.CharField(_("action"), max_length=30, blank=True)
    from_status = models.CharField(_("from status"), max_length=30, blank=True)
    to_status = models.CharField(_("to status"), max_length=30, blank=True)
    # Internal events (e.g. internal comments) are hidden from requesters.
    is_internal = models.BooleanField(_("internal"), default=False)

    class Meta:
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        ordering = ["work_order", "seq"]
        constraints = [models.UniqueConstraint(fields=["work_order", "seq"], name="tickets_workorderevent_unique_seq")]


class SLAClock(models.Model):
    """One SLA target's clock on a work order, rebuilt from the timeline after every change."""

    visibility = Visibility.through("work_order")

    work_order = models.ForeignKey(
        WorkOrder, verbose_name=_("work order"), on_delete=models.CASCADE, related_name="clocks"
    )
    metric = models.CharField(_("metric"), max_length=20, choices=SLAMetric.choices)
    state = models.CharField(_("state"), max_length=20, choices=ClockState.choices)
    target_seconds = models.PositiveIntegerField(_("target (business seconds)"), default=0)
    calendar = models.ForeignKey(
        "catalog.BusinessCalendar",
        verbose_name=_("calendar"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started at"))
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    warning_at = models.DateTimeField(_("warning at"), null=True, blank=True)
    breached_at = models.DateTimeField(_("breached at"), null=True, blank=True)
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    elapsed_seconds = models.FloatField(_("elapsed business seconds"), default=0)
    paused_seconds = models.FloatField(_("paused business seconds"), default=0)
    # The explanation: each counted / paused / stopped segment with its business seconds.
    segments = models.JSONField(_("segments"), default=list, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("SLA clock")
        verbose_name_plural = _("SLA clocks")
        ordering = ["work_order", "metric"]
        constraints = [models.UniqueConstraint(fields=["work_order", "metric"], name="tickets_slaclock_unique_metric")]
        indexes = [
            models.Index(fields=["state", "due_at"], name="tickets_clock_state_due_idx"),
            models.Index(fields=["state", "warning_at"], name="tickets_clock_state_warn_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.work_order_id} {self.metric} {self.state}"

    @property
    def met(self) -> bool | None:
        """True when stopped within target, False when breached, None while still open."""
        if self.state == ClockState.MET:
            return True
        if self.state == ClockState.BREACHED:
            return False
        return None


class Comment(models.Model):
    """A comment on a work order; internal ones are never shown to requesters."""

    visibility = Visibility.through("work_order")

    work_order = models.ForeignKey(
        WorkOrder, verbose_name=_("work order"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField(_("comment"))
    is_internal = models.BooleanField(_("internal"), default=False)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["work_order", "created_at", "id"]

    def __str__(self) -> str:
        return self.body[:50]


class Attachment(StoredFileBase):
    """A file attached to a work order, stored outside the web root, served only after a permission check."""

    visibility = Visibility.through("work_order")

    work_order = models.ForeignKey(
        WorkOrder, verbose_name=_("work order"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to="attachments/%Y/%m/")
    is_internal = models.BooleanField(_("internal"), default=False)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["work_order", "created_at", "id"]


class IdempotencyKey(models.Model):
    """Remembers a client's Idempotency-Key so a repeated create returns the first work order."""

    visibility = Visibility(organisation="user__organisation", person="user")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="+")
    # sha256 of what was asked for (services.work_order_fingerprint); empty for keys stored before it existed.
    request_hash = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="tickets_idempotencykey_unique")]

    def __str__(self) -> str:
        return self.key


class WorkOrderCounter(YearlyCounter):
    """Per organisation and year, the last work-order number handed out (locked while incremented)."""

    visibility = Visibility(organisation="organisation", roles=frozenset())  # bookkeeping: nobody reads it

    class Meta(YearlyCounter.Meta):
        verbose_name = _("work order counter")
        verbose_name_plural = _("work order counters")


class IntakePoint(models.Model):
    """A QR code on a device or in a room that opens a pre-filled work order."""

    visibility = Visibility(organisation="organisation")

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    token = models.CharField(_("token"), max_length=40, unique=True)
    label = models.CharField(_("label"), max_length=200)
    service = models.ForeignKey(
        "catalog.Service", verbose_name=_("service"), on_delete=models.PROTECT, related_name="+"
    )
    offering = models.ForeignKey(
        "catalog.Offering",
        verbose_name=_("offering"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    site = models.ForeignKey(
        "tenancy.Site", verbose_name=_("location"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    asset_tag = models.CharField(_("asset tag"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("QR intake point")
        verbose_name_plural = _("QR intake points")
        ordering = ["organisation", "label"]
        constraints = [
            models.CheckConstraint(condition=~Q(token=""), name="tickets_intakepoint_token_not_empty"),
        ]

    def __str__(self) -> str:
        return self.label
