"""Scheduled e-mail of service reports: the schedules, each period's delivery and every recipient's outcome.

A schedule sends the report of the previous month or quarter on its N-th working day of the client's business
calendar. A period is delivered once: the (schedule, period key) pair is unique, so a rerun or a concurrent
run finds the row and sends nothing; each recipient's outcome row is claimed before the e-mail goes out, so a
resumed delivery never e-mails anyone twice.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from oversight.reports.choices import DeliveryStatus, RecipientOutcome, SkipReason
from oversight.reports.schedule import MAX_WORKING_DAY, MIN_WORKING_DAY
from oversight.scorecards.choices import PeriodKind
from oversight.tenancy.roles import MANAGEMENT_ROLES
from oversight.tenancy.visibility import Visibility


class ReportSchedule(models.Model):
    """A vendor's (or one contract's) service report e-mailed every month or quarter to chosen people."""

    visibility = Visibility(organisation="organisation", vendor="vendor", roles=MANAGEMENT_ROLES)

    organisation = models.ForeignKey(
        "tenancy.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="report_schedules",
    )
    vendor = models.ForeignKey(
        "tenancy.Vendor", verbose_name=_("vendor"), on_delete=models.PROTECT, related_name="report_schedules"
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("contract"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="report_schedules",
        help_text=_("Empty: the report covers all of the vendor's work; otherwise that contract's report."),
    )
    kind = models.CharField(_("period"), max_length=20, choices=PeriodKind.choices, default=PeriodKind.MONTHLY)
    working_day = models.PositiveSmallIntegerField(
        _("working day"),
        default=3,
        validators=[MinValueValidator(MIN_WORKING_DAY), MaxValueValidator(MAX_WORKING_DAY)],
        help_text=_("The report of the previous month or quarter is sent on this working day (1–10) of the next one."),
    )
    calendar = models.ForeignKey(
        "catalog.BusinessCalendar",
        verbose_name=_("calendar"),
        on_delete=models.PROTECT,
        related_name="report_schedules",
        help_text=_("The client's business calendar that says which days are working days."),
    )
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("recipients"), related_name="report_schedules"
    )
    is_active = models.BooleanField(_("active"), default=True)
    active_since = models.DateTimeField(
        _("active since"), help_text=_("Periods whose sending day came before this are not sent automatically.")
    )
    pending_reason = models.CharField(
        _("waiting because"),
        max_length=500,
        blank=True,
        help_text=_("Why the last run could not work out the sending day (e.g. a year without calendar data)."),
    )
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("report schedule")
        verbose_name_plural = _("report schedules")
        ordering = ["organisation", "vendor", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(working_day__gte=MIN_WORKING_DAY) & Q(working_day__lte=MAX_WORKING_DAY),
                name="%(app_label)s_%(class)s_working_day_range",
            ),
            models.CheckConstraint(condition=Q(kind__in=PeriodKind.values), name="%(app_label)s_%(class)s_kind_valid"),
        ]
        indexes = [
            models.Index(fields=["organisation", "vendor", "kind"], name="reports_schedule_vendor_idx"),
            models.Index(fields=["is_active"], name="reports_schedule_active_idx"),
        ]

    def __str__(self) -> str:
        scope = self.contract.number if self.contract_id else self.vendor.name
        return f"{scope} · {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("reports:schedule_detail", args=[self.pk])


class ReportDelivery(models.Model):
    """The sending of one period's report of a schedule: claimed once, then served recipient by recipient."""

    visibility = Visibility.through("schedule")

    schedule = models.ForeignKey(
        ReportSchedule, verbose_name=_("schedule"), on_delete=models.PROTECT, related_name="deliveries"
    )
    period_key = models.CharField(_("period"), max_length=10)
    period_first = models.DateField(_("first day"))
    period_last = models.DateField(_("last day"))
    status = models.CharField(
        _("status"), max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.SENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent on request of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty: sent by the schedule itself."),
    )
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report delivery")
        verbose_name_plural = _("report deliveries")
        ordering = ["-period_first", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "period_key"], name="%(app_label)s_%(class)s_unique_period"),
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="%(app_label)s_%(class)s_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(period_first__lte=models.F("period_last")), name="%(app_label)s_%(class)s_period_order"
            ),
        ]
        indexes = [
            models.Index(fields=["schedule", "-period_first"], name="reports_delivery_schedule_idx"),
            models.Index(fields=["status", "started_at"], name="reports_delivery_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.schedule} · {self.period_key}"


class DeliveryRecipient(models.Model):
    """One recipient's outcome of a delivery: e-mailed, skipped with the reason, or failed with the error."""

    visibility = Visibility.through("delivery")

    delivery = models.ForeignKey(
        ReportDelivery, verbose_name=_("delivery"), on_delete=models.CASCADE, related_name="outcomes"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    email = models.CharField(_("e-mail address"), max_length=254, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=RecipientOutcome.choices)
    reason = models.CharField(_("reason"), max_length=30, choices=SkipReason.choices, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("delivery recipient")
        verbose_name_plural = _("delivery recipients")
        ordering = ["delivery", "pk"]
        constraints = [
            # The claim: one row per recipient and delivery, written before the e-mail is sent.
            models.UniqueConstraint(fields=["delivery", "user"], name="%(app_label)s_%(class)s_unique_user"),
            models.CheckConstraint(
                condition=Q(outcome__in=RecipientOutcome.values), name="%(app_label)s_%(class)s_outcome_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email or self.user_id}: {self.get_outcome_display()}"
