"""Communication plans (沟通计划) per vendor or contract, the meeting series they run on a business calendar,
meetings (会议) with participants, an agenda prefilled from the service data, minutes, decisions and both sides'
sign-off, and action items (待办事项) followed up until closed, with their history.

The client side of the organisation sees every plan, meeting and action item; vendor staff only their own
vendor's; requesters none (ADR 0036)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from oversight.core.bilingual import BilingualName
from oversight.core.concurrency import VersionETag
from oversight.core.models import TimelineEventBase
from oversight.meetings.choices import (
    ActionEventKind,
    ActionStatus,
    AgendaKind,
    Attendance,
    Audience,
    Channel,
    Frequency,
    MeetingStatus,
    SeriesKind,
    Side,
)
from oversight.tenancy.visibility import Visibility

#: The client side sees its organisation's rows, vendor staff their own vendor's, requesters nothing.
VENDOR_SCOPED = Visibility(organisation="organisation", vendor="vendor")


class CommunicationPlan(BilingualName, models.Model):
    """How the client and one vendor (optionally under one contract) keep each other informed."""

    visibility = VENDOR_SCOPED

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    vendor = models.ForeignKey("tenancy.Vendor", verbose_name=_("vendor"), on_delete=models.PROTECT, related_name="+")
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("contract"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    calendar = models.ForeignKey(
        "catalog.BusinessCalendar", verbose_name=_("business calendar"), on_delete=models.PROTECT, related_name="+"
    )
    minutes_due_days = models.PositiveSmallIntegerField(
        _("minutes signed within (working days)"),
        default=3,
        help_text=_("The minutes of a meeting are due signed this many working days after it was held."),
    )
    action_due_days = models.PositiveSmallIntegerField(
        _("action items due within (working days)"),
        default=5,
        help_text=_("An action item is due this many working days after its meeting unless it says otherwise."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("communication plan")
        verbose_name_plural = _("communication plans")
        ordering = ["vendor", "name", "id"]
        indexes = [models.Index(fields=["organisation", "vendor"], name="meetings_plan_org_vendor")]

    def __str__(self) -> str:
        return self.localized_name

    def get_absolute_url(self) -> str:
        return reverse("meetings:plan_detail", args=[self.pk])


class PlanRow(models.Model):
    """One line of a communication plan: who is told what, how, how often and by whom."""

    visibility = Visibility.through("plan")

    plan = models.ForeignKey(CommunicationPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="rows")
    stakeholder = models.CharField(_("stakeholder"), max_length=200)
    topic = models.CharField(_("topic"), max_length=200)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    frequency = models.CharField(_("frequency"), max_length=20, choices=Frequency.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("communication plan row")
        verbose_name_plural = _("communication plan rows")
        ordering = ["plan", "id"]

    def __str__(self) -> str:
        return f"{self.stakeholder} · {self.topic}"


class MeetingSeries(BilingualName, models.Model):
    """A standing meeting of a plan (weekly operations, monthly service, quarterly business review), scheduled by
    a recurrence rule on the plan's business calendar: an occurrence on a non-working day moves to the next
    working day."""

    visibility = VENDOR_SCOPED

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    vendor = models.ForeignKey("tenancy.Vendor", verbose_name=_("vendor"), on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(CommunicationPlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="series")
    kind = models.CharField(_("kind"), max_length=30, choices=SeriesKind.choices)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    rule = models.CharField(
        _("recurrence rule"), max_length=300, help_text=_("An iCalendar RRULE, e.g. FREQ=WEEKLY;BYDAY=MO.")
    )
    starts_on = models.DateField(_("first date"))
    ends_on = models.DateField(_("last date"), null=True, blank=True)
    start_minute = models.PositiveSmallIntegerField(_("start (minutes after midnight, local)"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    location = models.CharField(_("location"), max_length=200, blank=True)
    online_link = models.URLField(_("online meeting link"), blank=True)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("standing participants"), blank=True, related_name="+"
    )
    minutes_due_days = models.PositiveSmallIntegerField(
        _("minutes signed within (working days)"), null=True, blank=True, help_text=_("Empty: the plan's setting.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")
        ordering = ["plan", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_minute__lt=1440) & Q(duration_minutes__gte=1),
                name="meetings_meetingseries_valid_time",
            ),
        ]

    def __str__(self) -> str:
        return self.localized_name

    def get_absolute_url(self) -> str:
        return reverse("meetings:series_detail", args=[self.pk])

    @property
    def effective_minutes_due_days(self) -> int:
        """The series' own deadline for signed minutes, else its plan's."""
        return self.minutes_due_days if self.minutes_due_days is not None else self.plan.minutes_due_days


class Meeting(VersionETag, models.Model):
    """One meeting with a vendor: when and where, who took part, the agenda, minutes, decisions, actions and
    both sides' sign-off (signed minutes are frozen)."""

    visibility = VENDOR_SCOPED

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    vendor = models.ForeignKey("tenancy.Vendor", verbose_name=_("vendor"), on_delete=models.PROTECT, related_name="+")
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("contract"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    plan = models.ForeignKey(
        CommunicationPlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="meetings"
    )
    series = models.ForeignKey(
        MeetingSeries,
        verbose_name=_("series"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    # The date the series' rule gave (the meeting moves to the next working day when that date is not one).
    nominal_date = models.DateField(_("date by the rule"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    online_link = models.URLField(_("online meeting link"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    minutes = models.TextField(_("minutes"), blank=True)
    held_at = models.DateTimeField(_("held at"), null=True, blank=True)
    minutes_due_at = models.DateTimeField(_("minutes due signed by"), null=True, blank=True)
    client_signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed for the client by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    client_signed_at = models.DateTimeField(_("client signed at"), null=True, blank=True)
    vendor_signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed for the vendor by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    vendor_signed_at = models.DateTimeField(_("vendor signed at"), null=True, blank=True)
    signed_at = models.DateTimeField(_("minutes signed at"), null=True, blank=True)
    prefilled_at = models.DateTimeField(_("agenda prefilled at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "vendor", "starts_at"], name="meetings_meeting_vendor_start"),
            models.Index(fields=["series", "starts_at"], name="meetings_meeting_series_start"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "nominal_date"],
                condition=Q(series__isnull=False),
                name="meetings_meeting_unique_occurrence",
            ),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="meetings_meeting_ends_after"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", args=[self.pk])

    @property
    def is_frozen(self) -> bool:
        """Minutes submitted for signature or signed, or a cancelled meeting: nothing of it changes any more."""
        return self.status in (MeetingStatus.MINUTES_DRAFTED, MeetingStatus.SIGNED, MeetingStatus.CANCELLED)


class Participant(models.Model):
    """A person invited to a meeting, on the client's or the vendor's side, and whether they attended."""

    visibility = Visibility.through("meeting")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance.choices, default=Attendance.INVITED
    )

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["meeting", "side", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="meetings_participant_unique_user")]

    def __str__(self) -> str:
        return str(self.user)


class AgendaItem(models.Model):
    """A line of a meeting's agenda: typed by a person, or prefilled from the service data with a link to the
    object it is about (a breached work order, a complaint, a change, an action item carried forward...)."""

    visibility = Visibility.through("meeting")

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=20, choices=AgendaKind.choices, default=AgendaKind.MANUAL)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices, default=Audience.ALL)
    title = models.CharField(_("title"), max_length=300)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    # Figures of a prefilled line (stars, metric, score, amount...), worded in the reader's language when shown.
    data = models.JSONField(_("figures"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    # The object a prefilled line is about ("<app>.<model>", primary key); empty for a typed line.
    source_type = models.CharField(_("source type"), max_length=60, blank=True)
    source_id = models.PositiveBigIntegerField(_("source id"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "kind", "source_type", "source_id"],
                condition=Q(source_id__isnull=False),
                name="meetings_agendaitem_unique_source",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Decision(models.Model):
    """A decision recorded in a meeting's minutes."""

    visibility = Visibility.through("meeting")

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="decisions")
    position = models.PositiveIntegerField(_("position"))
    text = models.TextField(_("decision"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "position", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class ActionItem(VersionETag, models.Model):
    """Something a meeting asked one person (on either side) to do by a due date counted in working days;
    reminded before, escalated through the escalation matrix when overdue, carried to the next meeting's agenda
    until closed."""

    visibility = VENDOR_SCOPED

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    vendor = models.ForeignKey("tenancy.Vendor", verbose_name=_("vendor"), on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="action_items"
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    due_days = models.PositiveSmallIntegerField(_("due after (working days)"))
    due_on = models.DateField(_("due date"))
    # The end of the due date in the calendar's time zone: overdue from this instant on.
    due_at = models.DateTimeField(_("due by"))
    status = models.CharField(_("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["organisation", "vendor", "status", "due_at"], name="meetings_action_vendor_due"),
            models.Index(fields=["status", "due_at"], name="meetings_action_status_due"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:action_detail", args=[self.pk])


class ActionItemEvent(TimelineEventBase):
    """One immutable step of an action item's history: created, status changes, reminders, escalation steps."""

    visibility = Visibility.through("item")

    timeline_parent = "item"
    immutable_error = "action item events are immutable"

    item = models.ForeignKey(ActionItem, verbose_name=_("action item"), on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("kind"), max_length=30, choices=ActionEventKind.choices)
    action = models.CharField(_("action"), max_length=30, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("action item event")
        verbose_name_plural = _("action item events")
        ordering = ["item", "seq"]
        constraints = [models.UniqueConstraint(fields=["item", "seq"], name="meetings_actionitemevent_unique_seq")]
