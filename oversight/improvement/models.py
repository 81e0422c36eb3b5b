"""The continuous-improvement register (持续改进登记册): improvement items after the ITIL CSI register, each with
its source, the indicator it should move (baseline and target), its timeline, and the immutable measurements of
its effect taken at review.

The client side of the organisation sees every item; vendor staff see their own vendor's items (and may own and
implement them); requesters see none."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from oversight.core.bilingual import pick_name
from oversight.core.concurrency import VersionETag
from oversight.core.models import TimelineEventBase
from oversight.core.numbering import YearlyCounter
from oversight.improvement.choices import OPEN_STATUSES, ActivityKind, ItemStatus, Priority, Size, SourceKind
from oversight.tenancy.visibility import Visibility

VALUE = {"max_digits": 20, "decimal_places": 6}
MONEY = {"max_digits": 16, "decimal_places": 2}


class ImprovementCounter(YearlyCounter):
    """Per organisation and year, the last improvement number handed out (locked while incremented)."""

    visibility = Visibility(organisation="organisation", roles=frozenset())  # bookkeeping: nobody reads it

    class Meta(YearlyCounter.Meta):
        verbose_name = _("improvement counter")
        verbose_name_plural = _("improvement counters")


class ImprovementItem(VersionETag, models.Model):
    """An improvement (改进项): what is to change and why, who owns and approves it, the indicator it should move
    from a baseline to a target on a scope (a vendor, optionally one contract or service), where it came from,
    and the benefit it realised."""

    # Client roles see their organisation's items; vendor staff only their own vendor's; requesters none.
    visibility = Visibility(organisation="organisation", vendor="vendor")

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("number"), max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    description = models.TextField(_("description"))
    justification = models.TextField(_("justification"), blank=True)
    size = models.CharField(_("size"), max_length=2, choices=Size.choices, default=Size.M)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.MEDIUM)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="improvements"
    )
    # None: any client administrator or supervisor of the organisation approves (an item a vendor raised).
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approver"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    target_date = models.DateField(_("target date"), null=True, blank=True)
    vendor = models.ForeignKey(
        "tenancy.Vendor",
        verbose_name=_("vendor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="improvements",
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("contract"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="improvements",
    )
    service = models.ForeignKey(
        "catalog.Service",
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="improvements",
    )
    indicator = models.CharField(_("indicator"), max_length=40, blank=True)
    baseline = models.DecimalField(_("baseline"), **VALUE, null=True, blank=True)
    target = models.DecimalField(_("target"), **VALUE, null=True, blank=True)
    source_kind = models.CharField(_("source"), max_length=20, choices=SourceKind.choices, default=SourceKind.MANUAL)
    source_id = models.PositiveIntegerField(_("source object"), null=True, blank=True)
    source_note = models.CharField(_("source reference"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ItemStatus.choices, default=ItemStatus.NEW)
    implemented_on = models.DateField(_("implemented on"), null=True, blank=True)
    benefits = models.TextField(_("benefits realised"), blank=True)
    benefit_amount = models.DecimalField(_("benefit amount"), **MONEY, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("raised by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("raised at"))
    updated_at = models.DateTimeField(_("updated at"))
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("improvement")
        verbose_name_plural = _("improvements")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "-created_at", "-id"], name="improve_org_created_idx"),
            models.Index(fields=["organisation", "status"], name="improve_org_status_idx"),
            models.Index(fields=["vendor", "status", "closed_at"], name="improve_vendor_closed_idx"),
            models.Index(fields=["owner", "status"], name="improve_owner_status_idx"),
            models.Index(fields=["source_kind", "source_id"], name="improve_source_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(benefit_amount__isnull=True) | Q(benefit_amount__gte=0),
                name="improvement_improvementitem_benefit_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(source_kind__in=("survey", "meeting", "manual")) | Q(source_id__isnull=False),
                name="improvement_improvementitem_source_linked",
            ),
            models.CheckConstraint(
                condition=Q(indicator="") | Q(vendor__isnull=False),
                name="improvement_improvementitem_indicator_needs_vendor",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.localized_title}"

    def get_absolute_url(self) -> str:
        return reverse("improvement:detail", args=[self.pk])

    @property
    def localized_title(self) -> str:
        """The English title for English readers when there is one, else the primary title (never both)."""
        return pick_name(self.title, self.title_en)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class EffectMeasurement(models.Model):
    """One measurement of an item's effect (immutable): its indicator over the same number of days before and after
    the implementation date, on the item's scope, with the change and whether the target was met. Everything needed
    to repeat it is stored (indicator, scope, windows, direction, target)."""

    visibility = Visibility.through("item")

    item = models.ForeignKey(
        ImprovementItem, verbose_name=_("improvement"), on_delete=models.PROTECT, related_name="measurements"
    )
    indicator = models.CharField(_("indicator"), max_length=40)
    higher_is_better = models.BooleanField(_("higher is better"))
    unit = models.CharField(_("unit"), max_length=10)
    vendor = models.ForeignKey("tenancy.Vendor", verbose_name=_("vendor"), on_delete=models.PROTECT, related_name="+")
    contract_version = models.ForeignKey(
        "contracts.ContractVersion",
        verbose_name=_("contract version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    implemented_on = models.DateField(_("implemented on"))
    days = models.PositiveSmallIntegerField(_("days before and after"))
    before_first = models.DateField(_("before: first day"))
    before_last = models.DateField(_("before: last day"))
    after_first = models.DateField(_("after: first day"))
    after_last = models.DateField(_("after: last day"))
    before_value = models.DecimalField(_("before"), **VALUE, null=True, blank=True)
    after_value = models.DecimalField(_("after"), **VALUE, null=True, blank=True)
    change = models.DecimalField(_("change"), **VALUE, null=True, blank=True)
    relative_change = models.DecimalField(_("relative change (%)"), **VALUE, null=True, blank=True)
    target = models.DecimalField(_("target"), **VALUE, null=True, blank=True)
    target_met = models.BooleanField(_("target met"), null=True, blank=True)
    improved = models.BooleanField(_("improved"), null=True, blank=True)
    # Numerators and denominators of both windows, as text (exact Decimals).
    detail = models.JSONField(_("details"), default=dict, blank=True)
    measured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("measured by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    measured_at = models.DateTimeField(_("measured at"))

    class Meta:
        verbose_name = _("effect measurement")
        verbose_name_plural = _("effect measurements")
        ordering = ["item", "-measured_at", "-id"]
        indexes = [models.Index(fields=["item", "-measured_at", "-id"], name="improve_measure_item_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(days__gte=1)
                & Q(before_last__lt=models.F("after_first"))
                & Q(after_first=models.F("implemented_on")),
                name="improvement_effectmeasurement_windows",
            )
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.indicator} @ {self.measured_at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        # Integrity, not business logic: a measurement is a record.
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("effect measurements are immutable")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("improvement:detail", args=[self.item_id])


class ImprovementActivity(TimelineEventBase):
    """One immutable step of an improvement's timeline: raised, edited, status changes, measurements, benefits."""

    visibility = Visibility.through("item")

    timeline_parent = "item"
    immutable_error = "improvement timeline steps are immutable"

    item = models.ForeignKey(
        ImprovementItem, verbose_name=_("improvement"), on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=ActivityKind.choices)
    action = models.CharField(_("action"), max_length=30, blank=True)
    body = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("improvement timeline step")
        verbose_name_plural = _("improvement timeline steps")
        ordering = ["item", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["item", "seq"], name="improvement_improvementactivity_unique_seq")
        ]
