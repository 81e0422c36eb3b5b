"""Contracts with vendors (合同): the contract, its immutable versions (amendments) and the terms each version holds.

A contract's terms live in :class:`ContractVersion` rows. Version 1 holds the terms as signed; every
amendment is a new version with its own effective date, and a version never changes once it is in
force (services create versions, nothing edits them). The rows under a version (score bands,
commitments and their credit-share steps, unit rates, staffing) are stored in the shape of the pure
settlement and scoring dataclasses, so `contracts.selectors` converts them one to one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from oversight.catalog.choices import SLAMetric
from oversight.contracts.choices import (
    DEFAULT_CURRENCY,
    AmountBasis,
    ContractStatus,
    DocumentKind,
    FeePeriod,
    UnitRateKind,
)
from oversight.core.bilingual import BilingualName
from oversight.core.files import StoredFileBase
from oversight.core.kpis import source_label, validate_commitment_indicator
from oversight.tenancy.choices import StaffPosition
from oversight.tenancy.visibility import Visibility

PERCENT = {"max_digits": 5, "decimal_places": 2}
MONEY = {"max_digits": 14, "decimal_places": 2}
# Per-point and step amounts hold either a percentage (e.g. 0.5 %) or money; the service checks which.
RATE = {"max_digits": 14, "decimal_places": 4}
SCORE = {"max_digits": 5, "decimal_places": 2}


class Contract(models.Model):
    """A contract between the client organisation and one vendor; its terms are in its versions."""

    visibility = Visibility(organisation="organisation", vendor="vendor")

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="contracts"
    )
    vendor = models.ForeignKey(
        "tenancy.Vendor", verbose_name=_("vendor"), on_delete=models.PROTECT, related_name="contracts"
    )
    number = models.CharField(_("contract number"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    currency = models.CharField(
        _("currency"), max_length=3, default=DEFAULT_CURRENCY, help_text=_("ISO 4217 code, e.g. CNY.")
    )
    status = models.CharField(_("status"), max_length=20, choices=ContractStatus.choices, default=ContractStatus.DRAFT)
    # Denormalised from the versions by the services, for lists, reminders and expiry.
    starts_on = models.DateField(_("term start"))
    ends_on = models.DateField(_("term end"), help_text=_("The end of the term of the latest version."))
    terminated_on = models.DateField(
        _("terminated as of"), null=True, blank=True, help_text=_("The last day the contract is in force.")
    )
    termination_reason = models.TextField(_("reason for termination"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["organisation", "number"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="contracts_contract_unique_number"),
            models.CheckConstraint(condition=Q(starts_on__lte=F("ends_on")), name="contracts_contract_term_order"),
            models.CheckConstraint(condition=~Q(number=""), name="contracts_contract_number_not_empty"),
        ]
        indexes = [
            models.Index(fields=["vendor", "status"], name="contracts_vendor_status_idx"),
            models.Index(fields=["status", "ends_on"], name="contracts_status_ends_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("contracts:detail", args=[self.pk])

    @property
    def effective_end(self):
        """The last day the contract is in force: the term end, or the termination date if earlier."""
        if self.terminated_on is not None and self.terminated_on < self.ends_on:
            return self.terminated_on
        return self.ends_on


class ContractVersion(models.Model):
    """One version of a contract's terms: version 1 as signed, each amendment a new one. Immutable once in force.

    A version is in force from `effective_from` until the day before the next version's
    `effective_from`, or else until its own `term_end` (or the termination date).
    """

    visibility = Visibility.through("contract")

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    effective_from = models.DateField(_("in force from"))
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The terms.
    term_start = models.DateField(_("term start"))
    term_end = models.DateField(_("term end"))
    fee_period = models.CharField(_("fee period"), max_length=20, choices=FeePeriod.choices, default=FeePeriod.MONTHLY)
    fixed_fee = models.DecimalField(_("fixed fee per period"), **MONEY)
    at_risk_percent = models.DecimalField(
        _("fees at risk (%)"),
        default=0,
        help_text=_("Share of the period invoice at risk for service credits."),
        **PERCENT,
    )
    max_deduction = models.DecimalField(_("maximum score deduction"), null=True, blank=True, **MONEY)
    max_deduction_basis = models.CharField(
        _("maximum deduction expressed as"), max_length=10, choices=AmountBasis.choices, default=AmountBasis.PERCENT
    )
    renewal_notice_days = models.PositiveIntegerField(
        _("renewal notice period (days)"), default=90, help_text=_("Reminders start this many days before the end.")
    )
    services = models.ManyToManyField(
        "catalog.Service", verbose_name=_("services in scope"), blank=True, related_name="contract_versions"
    )
    sites = models.ManyToManyField(
        "tenancy.Site",
        verbose_name=_("sites in scope"),
        blank=True,
        related_name="contract_versions",
        help_text=_("Empty: the whole organisation."),
    )

    class Meta:
        verbose_name = _("contract version")
        verbose_name_plural = _("contract versions")
        ordering = ["contract", "number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="contracts_contractversion_unique_number"),
            models.UniqueConstraint(
                fields=["contract", "effective_from"], name="contracts_contractversion_unique_effective_from"
            ),
            models.CheckConstraint(
                condition=Q(term_start__lte=F("effective_from")) & Q(effective_from__lte=F("term_end")),
                name="contracts_contractversion_effective_in_term",
            ),
            models.CheckConstraint(condition=Q(fixed_fee__gte=0), name="contracts_contractversion_fee_not_negative"),
            models.CheckConstraint(
                condition=Q(at_risk_percent__gte=0) & Q(at_risk_percent__lte=100),
                name="contracts_contractversion_at_risk_range",
            ),
            models.CheckConstraint(
                condition=Q(max_deduction__isnull=True) | Q(max_deduction__gte=0),
                name="contracts_contractversion_max_deduction_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract.number} v{self.number}"


class ContractScoreBand(models.Model):
    """A score band (分档扣款): scores lower <= s < upper deduct per point below `upper`, plus a one-off step.

    Converts 1:1 into `oversight.fees.calc.ScoreBand`; a version's bands run from the top down,
    contiguous (each band's lower edge is the next band's upper edge); lower empty = down to 0.
    """

    visibility = Visibility.through("version")

    version = models.ForeignKey(
        ContractVersion, verbose_name=_("contract version"), on_delete=models.CASCADE, related_name="bands"
    )
    upper = models.DecimalField(_("upper edge (exclusive)"), **SCORE)
    lower = models.DecimalField(_("lower edge (inclusive)"), null=True, blank=True, **SCORE)
    per_point = models.DecimalField(_("deduction per point below the upper edge"), default=0, **RATE)
    per_point_basis = models.CharField(
        _("per point expressed as"), max_length=10, choices=AmountBasis.choices, default=AmountBasis.PERCENT
    )
    step = models.DecimalField(_("one-off deduction"), default=0, **RATE)
    step_basis = models.CharField(
        _("one-off deduction expressed as"), max_length=10, choices=AmountBasis.choices, default=AmountBasis.PERCENT
    )

    class Meta:
        verbose_name = _("score band")
        verbose_name_plural = _("score bands")
        ordering = ["version", "-upper"]
        constraints = [
            models.UniqueConstraint(fields=["version", "upper"], name="contracts_contractscoreband_unique_upper"),
            models.CheckConstraint(
                condition=Q(lower__isnull=True) | Q(lower__lt=F("upper")), name="contracts_contractscoreband_edges"
            ),
            models.CheckConstraint(
                condition=Q(per_point__gte=0) & Q(step__gte=0), name="contracts_contractscoreband_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"[{self.lower if self.lower is not None else 0}, {self.upper})"


class ContractCommitment(BilingualName, models.Model):
    """An SLA commitment (服务承诺) of a version: what is measured, the target, and its part of the at-risk pool.

    Met when the measured value reaches the target (at least the target for indicators where higher is
    better, at most for the others). When missed, the share of its allocation forfeited is
    `miss_share_percent`, or the share of the most severe graduated step the value falls beyond.
    """

    visibility = Visibility.through("version")

    version = models.ForeignKey(
        ContractVersion, verbose_name=_("contract version"), on_delete=models.CASCADE, related_name="commitments"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    sla_metric = models.CharField(_("SLA metric"), max_length=20, choices=SLAMetric.choices, blank=True)
    indicator = models.CharField(_("indicator"), max_length=40, validators=[validate_commitment_indicator])
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=4)
    allocation_percent = models.DecimalField(_("allocation of the at-risk pool (%)"), **PERCENT)
    miss_share_percent = models.DecimalField(_("share forfeited when missed (%)"), default=100, **PERCENT)
    sla_policy_versions = models.ManyToManyField(
        "catalog.SLAPolicyVersion",
        verbose_name=_("SLA policy versions"),
        blank=True,
        related_name="contract_commitments",
    )

    class Meta:
        verbose_name = _("SLA commitment")
        verbose_name_plural = _("SLA commitments")
        ordering = ["version", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="contracts_contractcommitment_unique_code"),
            models.CheckConstraint(
                condition=Q(allocation_percent__gte=0)
                & Q(allocation_percent__lte=100)
                & Q(miss_share_percent__gte=0)
                & Q(miss_share_percent__lte=100),
                name="contracts_contractcommitment_percent_range",
            ),
        ]

    def __str__(self) -> str:
        return self.localized_name

    def get_indicator_display(self):
        """The indicator's label in the reader's language (indicators are registered, not a closed choice list)."""
        return source_label(self.indicator)


class CommitmentShareStep(models.Model):
    """A graduated credit rule row: a value beyond `threshold` (below, or above if lower is better) forfeits a share."""

    visibility = Visibility.through("commitment")

    commitment = models.ForeignKey(
        ContractCommitment, verbose_name=_("commitment"), on_delete=models.CASCADE, related_name="share_steps"
    )
    threshold = models.DecimalField(_("threshold"), max_digits=14, decimal_places=4)
    share_percent = models.DecimalField(_("share forfeited (%)"), **PERCENT)

    class Meta:
        verbose_name = _("credit share step")
        verbose_name_plural = _("credit share steps")
        ordering = ["commitment", "threshold"]
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "threshold"], name="contracts_commitmentsharestep_unique_threshold"
            ),
            models.CheckConstraint(
                condition=Q(share_percent__gte=0) & Q(share_percent__lte=100),
                name="contracts_commitmentsharestep_share_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.threshold}: {self.share_percent} %"


class ContractUnitRate(models.Model):
    """A unit rate (按量计费) per work-order type, charged for each work order beyond the included quantity."""

    visibility = Visibility.through("version")

    version = models.ForeignKey(
        ContractVersion, verbose_name=_("contract version"), on_delete=models.CASCADE, related_name="unit_rates"
    )
    kind = models.CharField(_("work-order type"), max_length=20, choices=UnitRateKind.choices)
    rate = models.DecimalField(_("rate per work order"), **MONEY)
    included_quantity = models.PositiveIntegerField(
        _("included per period"), default=0, help_text=_("Work orders per period covered by the fixed fee.")
    )

    class Meta:
        verbose_name = _("unit rate")
        verbose_name_plural = _("unit rates")
        ordering = ["version", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["version", "kind"], name="contracts_contractunitrate_unique_kind"),
            models.CheckConstraint(condition=Q(rate__gte=0), name="contracts_contractunitrate_rate_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.rate}"


class ContractStaffing(models.Model):
    """Contracted staffing: how many people of a position the vendor must provide (roster compliance)."""

    visibility = Visibility.through("version")

    version = models.ForeignKey(
        ContractVersion, verbose_name=_("contract version"), on_delete=models.CASCADE, related_name="staffing"
    )
    position = models.CharField(_("position"), max_length=30, choices=StaffPosition.choices)
    count = models.PositiveSmallIntegerField(_("number of people"))

    class Meta:
        verbose_name = _("contracted staffing")
        verbose_name_plural = _("contracted staffing")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="contracts_contractstaffing_unique_position"),
            models.CheckConstraint(condition=Q(count__gte=1), name="contracts_contractstaffing_count_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_position_display()} × {self.count}"


class ContractDocument(StoredFileBase):
    """A document of a contract (the signed contract, an amendment, an annex), stored outside the web root."""

    visibility = Visibility.through("contract")

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="documents"
    )
    version = models.ForeignKey(
        ContractVersion,
        verbose_name=_("contract version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices, default=DocumentKind.OTHER)
    title = models.CharField(_("title"), max_length=200)
    is_internal = models.BooleanField(
        _("client only"), default=False, help_text=_("Hidden from the vendor (e.g. internal approvals).")
    )
    file = models.FileField(_("file"), upload_to="contracts/%Y/%m/")

    class Meta:
        verbose_name = _("contract document")
        verbose_name_plural = _("contract documents")
        ordering = ["contract", "-created_at", "-id"]

    def __str__(self) -> str:
        return self.title
