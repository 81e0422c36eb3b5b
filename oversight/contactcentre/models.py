"""Contact-centre data (客服中心数据): the queues a BPO vendor answers for the client, the interval facts it
delivers for each of them (one row per queue and interval start, with revisions), and the service-level terms
of the contract that the KPIs are computed under.

The client side of the organisation sees every queue; vendor staff see their own vendor's queues and facts;
requesters see none."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from oversight.core.bilingual import pick_name
from oversight.core.files import StoredFileBase
from oversight.tenancy.visibility import Visibility

HOURS = {"max_digits": 12, "decimal_places": 4}
AGENTS = {"max_digits": 10, "decimal_places": 3}
FRACTION = {"max_digits": 7, "decimal_places": 6}


class Channel(models.TextChoices):
    """How contacts reach the queue."""

    VOICE = "voice", _("Voice")
    CHAT = "chat", _("Chat")
    EMAIL = "email", _("E-mail")
    TICKET = "ticket", _("Ticket")


class Queue(models.Model):
    """A queue (队列) of one vendor for one client: a channel, an interval length, and the contract it is served
    under (whose service-level terms apply to it)."""

    visibility = Visibility(organisation="organisation", vendor="vendor", requester=None)

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    vendor = models.ForeignKey(
        "tenancy.Vendor", verbose_name=_("vendor"), on_delete=models.PROTECT, related_name="contact_queues"
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("contract"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contact_queues",
    )
    code = models.CharField(_("code"), max_length=40, help_text=_("The queue's name in the vendor's exports."))
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.VOICE)
    interval_minutes = models.PositiveSmallIntegerField(
        _("interval (minutes)"), choices=[(15, "15"), (30, "30"), (60, "60")], default=30
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("contact queue")
        verbose_name_plural = _("contact queues")
        ordering = ["organisation", "vendor", "code"]
        constraints = [
            models.UniqueConstraint(fields=["vendor", "code"], name="contactcentre_queue_unique_code"),
            models.CheckConstraint(
                condition=Q(interval_minutes__in=[15, 30, 60]), name="contactcentre_queue_interval_minutes"
            ),
        ]

    def __str__(self) -> str:
        return self.localized_name

    def get_absolute_url(self) -> str:
        return reverse("contactcentre:queue_detail", args=[self.pk])

    @property
    def localized_name(self) -> str:
        """The English name for English readers when there is one, else the primary name."""
        return pick_name(self.name, self.name_en)


class IntervalFact(models.Model):
    """What happened in a queue during one interval, as the vendor reported it.

    One row per queue, interval start and revision; the row with ``is_current`` is the one the KPIs read (a
    correction after the first delivery is a new revision, and the old row stays). Durations are in seconds,
    summed over the interval's contacts; agents are averages over the interval (fractions allowed)."""

    visibility = Visibility.through("queue")

    queue = models.ForeignKey(Queue, verbose_name=_("queue"), on_delete=models.PROTECT, related_name="facts")
    interval_start = models.DateTimeField(_("interval start"), help_text=_("Stored in UTC."))
    revision = models.PositiveIntegerField(_("revision"), default=1)
    is_current = models.BooleanField(_("current"), default=True)

    offered = models.PositiveIntegerField(_("offered"), default=0)
    answered = models.PositiveIntegerField(_("answered"), default=0)
    answered_within_threshold = models.PositiveIntegerField(_("answered within threshold"), default=0)
    # The threshold T the vendor's system counted "answered within" against (seconds).
    threshold_seconds = models.PositiveIntegerField(_("threshold (seconds)"), default=20)
    abandoned = models.PositiveIntegerField(_("abandoned"), default=0)
    abandoned_within_threshold = models.PositiveIntegerField(_("abandoned within threshold"), default=0)
    short_abandoned = models.PositiveIntegerField(_("short abandons"), default=0)
    flow_outs = models.PositiveIntegerField(_("flow-outs"), default=0)
    wait_seconds = models.DecimalField(_("total wait (seconds)"), default=0, **HOURS)
    talk_seconds = models.DecimalField(_("talk time (seconds)"), default=0, **HOURS)
    hold_seconds = models.DecimalField(_("hold time (seconds)"), default=0, **HOURS)
    acw_seconds = models.DecimalField(_("after-call work (seconds)"), default=0, **HOURS)
    staffed_agents = models.DecimalField(_("staffed agents (productive)"), default=0, **AGENTS)
    scheduled_agents = models.DecimalField(_("scheduled agents"), default=0, **AGENTS)
    paid_hours = models.DecimalField(_("paid hours"), default=0, **HOURS)
    # Where the revision came from (None: the API or the demo) and, for a correction, why.
    source_import = models.ForeignKey(
        "IntervalImport",
        verbose_name=_("import"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="facts",
    )
    correction_reason = models.CharField(_("reason for the correction"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("interval fact")
        verbose_name_plural = _("interval facts")
        ordering = ["queue", "interval_start", "revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["queue", "interval_start", "revision"], name="contactcentre_intervalfact_unique_revision"
            ),
            models.UniqueConstraint(
                fields=["queue", "interval_start"],
                condition=Q(is_current=True),
                name="contactcentre_intervalfact_one_current",
            ),
            models.CheckConstraint(
                condition=Q(answered__lte=models.F("offered")), name="contactcentre_intervalfact_answered_le_offered"
            ),
            models.CheckConstraint(
                condition=Q(answered_within_threshold__lte=models.F("answered")),
                name="contactcentre_intervalfact_within_le_answered",
            ),
            models.CheckConstraint(
                condition=Q(abandoned_within_threshold__lte=models.F("abandoned")),
                name="contactcentre_intervalfact_abandoned_within_le_abandoned",
            ),
            models.CheckConstraint(
                condition=Q(short_abandoned__lte=models.F("abandoned")),
                name="contactcentre_intervalfact_short_le_abandoned",
            ),
        ]
        indexes = [
            models.Index(fields=["queue", "is_current", "interval_start"], name="cc_fact_queue_current_start"),
        ]

    def __str__(self) -> str:
        return f"{self.queue_id} {self.interval_start:%Y-%m-%d %H:%M} r{self.revision}"

    @property
    def handle_seconds(self):
        """Talk + hold + after-call work: the handle time summed over the interval's answered contacts."""
        return self.talk_seconds + self.hold_seconds + self.acw_seconds


class ServiceLevelVariant(models.TextChoices):
    """The five industry definitions of service level (T = the threshold, A = answered, B = abandoned, S = short
    abandons, W = answered within T, Bt = abandoned within T, O = offered)."""

    ANSWERED_AND_ABANDONED = "w_over_a_plus_b", _("Within T ÷ (answered + abandoned)")
    ANSWERED_ONLY = "w_over_a", _("Within T ÷ answered")
    OFFERED = "w_over_offered", _("Within T ÷ offered")
    EXCLUDING_SHORT_ABANDONS = "w_over_a_plus_b_minus_s", _("Within T ÷ (answered + abandoned − short abandons)")
    ABANDONS_WITHIN_T_COUNT = "w_plus_bt_over_offered", _("(Within T + abandoned within T) ÷ offered")


class ServiceLevelTerm(models.Model):
    """The service-level definition of a contract version (服务水平条款): which variant, the threshold T, the
    target, what counts as a short abandon, and the staffing parameters (maximum occupancy, shrinkage) the
    client plans against. A KPI value records the term it was computed under, so a changed definition (a new
    contract version) never rewrites a past period."""

    visibility = Visibility.through("contract_version")

    contract_version = models.ForeignKey(
        "contracts.ContractVersion",
        verbose_name=_("contract version"),
        on_delete=models.PROTECT,
        related_name="service_level_terms",
    )
    # Blank: the term applies to every queue of the contract without one of its own.
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, blank=True)
    variant = models.CharField(
        _("service-level definition"),
        max_length=30,
        choices=ServiceLevelVariant.choices,
        default=ServiceLevelVariant.ANSWERED_AND_ABANDONED,
    )
    threshold_seconds = models.PositiveIntegerField(_("answer within (seconds)"), default=20)
    target = models.DecimalField(_("service-level target"), default="0.800000", **FRACTION)
    short_abandon_seconds = models.PositiveIntegerField(_("short abandon under (seconds)"), default=5)
    max_occupancy = models.DecimalField(_("maximum occupancy"), default="0.850000", **FRACTION)
    shrinkage = models.DecimalField(_("shrinkage"), default="0.300000", **FRACTION)
    abandonment_target = models.DecimalField(
        _("abandonment target"), null=True, blank=True, help_text=_("At most this share abandoned."), **FRACTION
    )
    asa_target_seconds = models.PositiveIntegerField(_("ASA target (seconds)"), null=True, blank=True)
    # The contract option: a breach in an interval whose volume exceeded the forecast by more than this share,
    # while the vendor was staffed to the forecast, is not counted against the vendor. Blank: no such option.
    forecast_tolerance = models.DecimalField(_("forecast tolerance"), null=True, blank=True, **FRACTION)

    class Meta:
        verbose_name = _("service-level term")
        verbose_name_plural = _("service-level terms")
        ordering = ["contract_version", "channel"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract_version", "channel"], name="contactcentre_servicelevelterm_unique_channel"
            ),
            models.CheckConstraint(
                condition=Q(target__gt=0, target__lte=1), name="contactcentre_servicelevelterm_target_range"
            ),
            models.CheckConstraint(
                condition=Q(max_occupancy__gt=0, max_occupancy__lte=1),
                name="contactcentre_servicelevelterm_occupancy_range",
            ),
            models.CheckConstraint(
                condition=Q(shrinkage__gte=0, shrinkage__lt=1), name="contactcentre_servicelevelterm_shrinkage_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract_version} {self.get_variant_display()} {self.threshold_seconds}s"


class ImportStatus(models.TextChoices):
    """Where an import of interval data stands."""

    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Imported")
    UNCHANGED = "unchanged", _("Nothing changed")
    REFUSED = "refused", _("Refused")


class ColumnMapping(models.Model):
    """How one vendor's export is read (列映射): which column holds which field, how interval starts are
    written (a ``strftime`` format) and in which time zone. Saved per vendor and reused by every import."""

    visibility = Visibility(organisation="organisation", vendor="vendor", requester=None)

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    vendor = models.OneToOneField(
        "tenancy.Vendor", verbose_name=_("vendor"), on_delete=models.PROTECT, related_name="contact_column_mapping"
    )
    columns = models.JSONField(_("columns"), default=dict, blank=True)
    datetime_format = models.CharField(_("date and time format"), max_length=40, default="%Y-%m-%d %H:%M")
    time_zone = models.CharField(_("time zone of the file"), max_length=64, default="Asia/Shanghai")
    updated_at = models.DateTimeField(_("updated at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")

    def __str__(self) -> str:
        return str(self.vendor)


class IntervalImport(StoredFileBase):
    """One uploaded export and what became of it: all its rows taken (new rows and new revisions counted), or
    none with the report of every refused row."""

    visibility = Visibility(organisation="organisation", vendor="vendor", requester=None)

    file = models.FileField(_("file"), upload_to="contactcentre/imports/%Y/%m/")
    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    vendor = models.ForeignKey(
        "tenancy.Vendor", verbose_name=_("vendor"), on_delete=models.PROTECT, related_name="contact_imports"
    )
    status = models.CharField(_("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created_rows = models.PositiveIntegerField(_("new intervals"), default=0)
    revised_rows = models.PositiveIntegerField(_("revised intervals"), default=0)
    unchanged_rows = models.PositiveIntegerField(_("unchanged intervals"), default=0)
    errors = models.JSONField(_("refused rows"), default=list, blank=True)
    failure = models.TextField(_("why the file was refused"), blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("interval import")
        verbose_name_plural = _("interval imports")
        ordering = ["-created_at", "-pk"]

    def get_absolute_url(self) -> str:
        return reverse("contactcentre:import_detail", args=[self.pk])


class PeriodLock(models.Model):
    """A closed month of one vendor's interval data (期间锁定): imports change it only as corrections with a
    reason, by the client's operators."""

    visibility = Visibility(organisation="organisation", vendor="vendor", requester=None)

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    vendor = models.ForeignKey(
        "tenancy.Vendor", verbose_name=_("vendor"), on_delete=models.PROTECT, related_name="contact_period_locks"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the locked month."))
    locked_at = models.DateTimeField(_("locked at"))
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("locked by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("period lock")
        verbose_name_plural = _("period locks")
        ordering = ["vendor", "-month"]
        constraints = [models.UniqueConstraint(fields=["vendor", "month"], name="contactcentre_periodlock_unique")]

    def __str__(self) -> str:
        return f"{self.vendor} {self.month:%Y-%m}"
