"""Settlement statements (结算单) of signed evaluation periods and their lines, as computed by `fees.calc`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from oversight.settlement.choices import LineSource, StatementStatus, line_label
from oversight.tenancy.visibility import Visibility

MONEY = {"max_digits": 14, "decimal_places": 2}
# The exact band deduction before the cap: percentages with 4 places of a fee in cents over points with 2
# places never need more than 10 places.
EXACT = {"max_digits": 30, "decimal_places": 10}


class SettlementStatement(models.Model):
    """The settlement of one evaluation period revision: stored inputs, figures, lines and a content hash.

    A draft is recomputed by `statement_prepare`; an approved statement is locked: its numbers never
    change. A corrected period (a new revision) gets a new statement that `supersedes` the old one.
    `inputs` and `result` are the canonical JSON of what `settle()` was given and returned;
    `content_hash` is SHA-256 over both (see `settlement.services.content_hash`).
    """

    visibility = Visibility(organisation="organisation", vendor="vendor")

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.OneToOneField(
        "scorecards.EvaluationPeriod",
        verbose_name=_("evaluation period"),
        on_delete=models.PROTECT,
        related_name="settlement_statement",
    )
    contract = models.ForeignKey(
        "contracts.Contract", verbose_name=_("contract"), on_delete=models.PROTECT, related_name="statements"
    )
    contract_version = models.ForeignKey(
        "contracts.ContractVersion", verbose_name=_("contract version"), on_delete=models.PROTECT, related_name="+"
    )
    vendor = models.ForeignKey(
        "tenancy.Vendor", verbose_name=_("vendor"), on_delete=models.PROTECT, related_name="settlement_statements"
    )
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
        help_text=_("The statement of the period revision this one corrects."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=StatementStatus.choices, default=StatementStatus.DRAFT
    )
    currency = models.CharField(_("currency"), max_length=3)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    base_fee = models.DecimalField(_("base fee"), **MONEY)
    unit_charges = models.DecimalField(_("unit-rate charges"), **MONEY)
    invoice_amount = models.DecimalField(_("period invoice"), **MONEY)
    band_deduction_raw = models.DecimalField(_("score-band deduction before the cap"), **EXACT)
    band_deduction = models.DecimalField(_("score-band deduction"), **MONEY)
    at_risk_amount = models.DecimalField(_("at-risk amount"), **MONEY)
    credits_uncapped = models.DecimalField(_("service credits before the cap"), **MONEY)
    credits = models.DecimalField(_("service credits"), **MONEY)
    floor_adjustment = models.DecimalField(_("floor adjustment"), **MONEY)
    total = models.DecimalField(_("total"), **MONEY)
    inputs = models.JSONField(_("inputs"), default=dict)
    result = models.JSONField(_("result"), default=dict)
    content_hash = models.CharField(_("content hash (SHA-256)"), max_length=64)
    prepared_at = models.DateTimeField(_("prepared at"))
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prepared by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("settlement statement")
        verbose_name_plural = _("settlement statements")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=StatementStatus.DRAFT, approved_at__isnull=True)
                | Q(status=StatementStatus.APPROVED, approved_at__isnull=False),
                name="settlement_settlementstatement_approved_when_approved",
            ),
            models.CheckConstraint(condition=Q(total__gte=0), name="settlement_settlementstatement_total_not_negative"),
            models.CheckConstraint(condition=~Q(content_hash=""), name="settlement_settlementstatement_hash_not_empty"),
        ]
        indexes = [
            models.Index(fields=["organisation", "-created_at"], name="settlement_stmt_org_idx"),
            models.Index(fields=["vendor", "status"], name="settlement_stmt_vendor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.contract.number} {self.period.label}" if self.period_id else f"#{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("settlement:detail", args=[self.pk])

    @property
    def is_approved(self) -> bool:
        """Whether the statement is locked."""
        return self.status == StatementStatus.APPROVED


class StatementLine(models.Model):
    """One line of a statement (signed amount: deductions negative) with the inputs explaining it and its source."""

    visibility = Visibility.through("statement")

    statement = models.ForeignKey(
        SettlementStatement, verbose_name=_("statement"), on_delete=models.CASCADE, related_name="lines"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    code = models.CharField(_("code"), max_length=60)
    label_key = models.CharField(_("label key"), max_length=60)
    amount = models.DecimalField(_("amount"), **MONEY)
    explanation = models.JSONField(_("explanation"), default=dict, blank=True)
    ref = models.CharField(_("source reference"), max_length=80, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=LineSource.choices)
    commitment_result = models.ForeignKey(
        "scorecards.CommitmentResult",
        verbose_name=_("commitment result"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")
        ordering = ["statement", "position"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "position"], name="settlement_statementline_unique_position"),
            models.UniqueConstraint(fields=["statement", "code"], name="settlement_statementline_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.amount}"

    @property
    def label(self):
        """The translated label."""
        return line_label(self.label_key)
