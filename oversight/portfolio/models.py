"""Vendor portfolio: tier history, monthly vendor scores, service qualifications and per-organisation settings."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from oversight.portfolio.choices import QualificationRole, ScoreSource
from oversight.tenancy.choices import VendorTier
from oversight.tenancy.visibility import Visibility

SCORE = {"max_digits": 5, "decimal_places": 2, "validators": [MinValueValidator(0), MaxValueValidator(100)]}


class PortfolioSettings(models.Model):
    """Per-organisation portfolio settings: minimum qualified vendors per critical service, cost target."""

    visibility = Visibility(organisation="organisation")

    organisation = models.OneToOneField(
        "tenancy.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="portfolio_settings",
    )
    min_critical_vendors = models.PositiveSmallIntegerField(
        _("minimum qualified vendors per critical service"), default=2
    )
    target_cost_per_work_order = models.DecimalField(
        _("target cost per resolved work order"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("At or below this cost per resolved work order the cost score is 100; empty: not computed."),
    )

    class Meta:
        verbose_name = _("portfolio settings")
        verbose_name_plural = _("portfolio settings")

    def __str__(self) -> str:
        return str(self.organisation)


class VendorTierChange(models.Model):
    """One change of a vendor's tier with its reason (immutable history)."""

    visibility = Visibility(organisation="vendor__organisation")

    vendor = models.ForeignKey(
        "tenancy.Vendor", verbose_name=_("vendor"), on_delete=models.PROTECT, related_name="tier_changes"
    )
    previous_tier = models.CharField(_("previous tier"), max_length=20, choices=VendorTier.choices)
    tier = models.CharField(_("tier"), max_length=20, choices=VendorTier.choices)
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("vendor tier change")
        verbose_name_plural = _("vendor tier changes")
        ordering = ["vendor", "-changed_at", "-pk"]
        indexes = [models.Index(fields=["vendor", "-changed_at"], name="portfolio_tier_vendor_idx")]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="portfolio_vendortierchange_reason")]

    def __str__(self) -> str:
        return f"{self.vendor} → {self.tier}"


class VendorMonthlyScore(models.Model):
    """A vendor's score for one calendar month on technical capability, response speed and cost (0–100 each)."""

    visibility = Visibility(organisation="vendor__organisation")

    vendor = models.ForeignKey(
        "tenancy.Vendor", verbose_name=_("vendor"), on_delete=models.PROTECT, related_name="monthly_scores"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    technical = models.DecimalField(_("technical capability"), null=True, blank=True, **SCORE)
    technical_source = models.CharField(
        _("technical source"), max_length=20, choices=ScoreSource.choices, default=ScoreSource.ENTERED
    )
    technical_note = models.TextField(_("technical note"), blank=True)
    response = models.DecimalField(_("response speed"), null=True, blank=True, **SCORE)
    response_source = models.CharField(
        _("response source"), max_length=20, choices=ScoreSource.choices, default=ScoreSource.COMPUTED
    )
    response_note = models.TextField(_("response note"), blank=True)
    cost = models.DecimalField(_("cost"), null=True, blank=True, **SCORE)
    cost_source = models.CharField(
        _("cost source"), max_length=20, choices=ScoreSource.choices, default=ScoreSource.COMPUTED
    )
    cost_note = models.TextField(_("cost note"), blank=True)
    # What the computed figures were computed from (kept to explain them).
    responses_met = models.PositiveIntegerField(_("responses met"), null=True, blank=True)
    responses_due = models.PositiveIntegerField(_("responses due"), null=True, blank=True)
    fee = models.DecimalField(_("fee of the month"), max_digits=14, decimal_places=2, null=True, blank=True)
    resolved_count = models.PositiveIntegerField(_("resolved work orders"), null=True, blank=True)
    cost_per_work_order = models.DecimalField(
        _("cost per work order"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("monthly vendor score")
        verbose_name_plural = _("monthly vendor scores")
        ordering = ["vendor", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["vendor", "month"], name="portfolio_vendormonthlyscore_unique_month"),
        ]

    def __str__(self) -> str:
        return f"{self.vendor} {self.month:%Y-%m}"


class ServiceQualification(models.Model):
    """A vendor qualified to run a service (primary = the owning vendor, or a backup), within validity dates."""

    visibility = Visibility(organisation="service__organisation")

    service = models.ForeignKey(
        "catalog.Service", verbose_name=_("service"), on_delete=models.CASCADE, related_name="qualifications"
    )
    vendor = models.ForeignKey(
        "tenancy.Vendor", verbose_name=_("vendor"), on_delete=models.PROTECT, related_name="qualifications"
    )
    role = models.CharField(
        _("role"), max_length=20, choices=QualificationRole.choices, default=QualificationRole.BACKUP
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("service qualification")
        verbose_name_plural = _("service qualifications")
        ordering = ["service", "role", "vendor"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "vendor", "valid_from"], name="portfolio_servicequalification_unique"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="portfolio_servicequalification_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} / {self.vendor}"
