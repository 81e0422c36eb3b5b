"""Evaluation periods (考核周期) with their results, manual entries, disputes, exclusions and immutable timeline."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from oversight.core.bilingual import BilingualName
from oversight.core.files import StoredFileBase
from oversight.core.kpis import source_label, validate_scheme_source
from oversight.core.models import TimelineEventBase
from oversight.core.periods import quarter_of
from oversight.scorecards.choices import (
    PERIOD_MONTHS,
    Dimension,
    DisputeStatus,
    PeriodEventKind,
    PeriodKind,
    PeriodStatus,
    Unit,
)
from oversight.tenancy.visibility import Visibility

FIGURE = {"max_digits": 24, "decimal_places": 6}


class EvaluationPeriod(models.Model):
    """One evaluation of a contract over a month or a quarter, from computation to both signatures and the lock.

    The dates are the organisation's calendar dates (`starts_on` .. `ends_on`, both included); the
    instants `start_at` / `end_at` (``[start_at, end_at)``) are their midnights in the organisation's time
    zone, fixed when the period is created. For settlement: `total_score`, `contract_version`, `months`,
    `unit_counts` and the `commitment_results`.
    """

    visibility = Visibility(organisation="organisation", vendor="vendor")

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    contract = models.ForeignKey(
        "contracts.Contract", verbose_name=_("contract"), on_delete=models.PROTECT, related_name="evaluation_periods"
    )
    vendor = models.ForeignKey(
        "tenancy.Vendor", verbose_name=_("vendor"), on_delete=models.PROTECT, related_name="evaluation_periods"
    )
    contract_version = models.ForeignKey(
        "contracts.ContractVersion",
        verbose_name=_("contract version"),
        on_delete=models.PROTECT,
        related_name="evaluation_periods",
        help_text=_("The version in force on the period's first day."),
    )
    scheme = models.ForeignKey(
        "scorecards.IndicatorScheme", verbose_name=_("indicator scheme"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PeriodKind.choices)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    start_at = models.DateTimeField(_("starts at"))
    end_at = models.DateTimeField(_("ends before"))
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    revision_of = models.OneToOneField(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revised_by",
    )
    revision_reason = models.TextField(_("reason for the revision"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=PeriodStatus.choices, default=PeriodStatus.DRAFT)
    total_score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    total_exact = models.CharField(_("exact score"), max_length=80, blank=True)
    unit_counts = models.JSONField(
        _("work orders received by type"), default=dict, blank=True, help_text=_("For unit-rate charges.")
    )
    problems = models.JSONField(_("problems"), default=list, blank=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    computed_after_end = models.BooleanField(_("computed after the period ended"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    dispute_deadline = models.DateTimeField(_("disputes accepted until"), null=True, blank=True)
    client_signed_at = models.DateTimeField(_("signed by the client at"), null=True, blank=True)
    client_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed for the client by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    vendor_signed_at = models.DateTimeField(_("signed by the vendor at"), null=True, blank=True)
    vendor_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed for the vendor by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("locked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
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

    class Meta:
        verbose_name = _("evaluation period")
        verbose_name_plural = _("evaluation periods")
        ordering = ["-starts_on", "contract", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "kind", "starts_on", "revision"], name="scorecards_evaluationperiod_unique_revision"
            ),
            models.CheckConstraint(condition=Q(starts_on__lte=F("ends_on")), name="scorecards_evaluationperiod_dates"),
            models.CheckConstraint(condition=Q(start_at__lt=F("end_at")), name="scorecards_evaluationperiod_instants"),
            models.CheckConstraint(
                condition=Q(total_score__isnull=True) | (Q(total_score__gte=0) & Q(total_score__lte=100)),
                name="scorecards_evaluationperiod_score_range",
            ),
            models.CheckConstraint(
                condition=Q(revision=1, revision_of__isnull=True) | Q(revision__gt=1, revision_of__isnull=False),
                name="scorecards_evaluationperiod_revision_link",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "-starts_on"], name="scorecards_period_org_idx"),
            models.Index(fields=["vendor", "status", "-starts_on"], name="scorecards_period_vnd_idx"),
            models.Index(fields=["status", "end_at"], name="scorecards_period_due_idx"),
        ]

    def __str__(self) -> str:
        label = f"{self.contract.number} {self.label}" if self.contract_id else self.label
        return label if self.revision == 1 else f"{label} r{self.revision}"

    def get_absolute_url(self) -> str:
        return reverse("scorecards:period", args=[self.pk])

    @property
    def label(self) -> str:
        """2026-Q3 for a quarter, 2026-07 for a month."""
        if self.kind == PeriodKind.QUARTERLY:
            return f"{self.starts_on.year}-Q{quarter_of(self.starts_on)}"
        return f"{self.starts_on:%Y-%m}"

    @property
    def months(self) -> int:
        """1 for a monthly period, 3 for a quarter (what `contracts.selectors.base_fee_for` takes)."""
        return PERIOD_MONTHS[self.kind]


class IndicatorResult(models.Model):
    """How one indicator of the scheme came out in a period: value, counts, points, contribution and the records.

    `numerator_ids` / `denominator_ids` (and the named `groups`) are the ids of the records behind the
    figure, of the kind `record_type` says (work orders, ratings, complaints or manual entries).
    Decimal columns are rounded to 6 places for display and queries; `exact` keeps the exact figures.
    """

    visibility = Visibility.through("period")

    period = models.ForeignKey(
        EvaluationPeriod, verbose_name=_("period"), on_delete=models.CASCADE, related_name="results"
    )
    indicator = models.ForeignKey(
        "scorecards.SchemeIndicator", verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="results"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    code = models.SlugField(_("code"), max_length=40)
    dimension = models.CharField(_("dimension"), max_length=20, choices=Dimension.choices)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2)
    source = models.CharField(_("source"), max_length=40, validators=[validate_scheme_source])
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices)
    value = models.DecimalField(_("value"), null=True, blank=True, **FIGURE)
    numerator = models.DecimalField(_("numerator"), null=True, blank=True, **FIGURE)
    denominator = models.DecimalField(_("denominator"), null=True, blank=True, **FIGURE)
    missing = models.BooleanField(_("no value"), default=False)
    points = models.DecimalField(_("points"), max_digits=16, decimal_places=6, null=True, blank=True)
    max_points = models.DecimalField(_("maximum points"), max_digits=16, decimal_places=6)
    contribution = models.DecimalField(_("contribution"), max_digits=16, decimal_places=6, null=True, blank=True)
    exact = models.JSONField(_("exact figures"), default=dict, blank=True)
    record_type = models.CharField(_("records"), max_length=20)
    numerator_ids = models.JSONField(_("numerator records"), default=list, blank=True)
    denominator_ids = models.JSONField(_("denominator records"), default=list, blank=True)
    groups = models.JSONField(_("record groups"), default=dict, blank=True)
    excluded_ids = models.JSONField(_("work orders excluded by accepted disputes"), default=list, blank=True)
    manual_entry = models.ForeignKey(
        "scorecards.ManualEntry",
        verbose_name=_("manual entry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("indicator result")
        verbose_name_plural = _("indicator results")
        ordering = ["period", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["period", "code"], name="scorecards_indicatorresult_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.period_id} {self.code}"

    def get_source_display(self):
        """The source's label in the reader's language (sources are registered, not a closed choice list)."""
        return source_label(self.source)


class CommitmentResult(BilingualName, models.Model):
    """How one SLA commitment of the contract version came out: measured value, met, share of its allocation forfeited.

    `measured_exact` is the exact value (a decimal string) that settlement reads as the commitment's
    actual (`scorecards.selectors.commitment_actuals`).
    """

    visibility = Visibility.through("period")

    period = models.ForeignKey(
        EvaluationPeriod, verbose_name=_("period"), on_delete=models.CASCADE, related_name="commitment_results"
    )
    commitment = models.ForeignKey(
        "contracts.ContractCommitment", verbose_name=_("commitment"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    indicator = models.CharField(_("indicator"), max_length=40)
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=4)
    higher_is_better = models.BooleanField(_("higher is better"))
    allocation_percent = models.DecimalField(_("allocation of the at-risk pool (%)"), max_digits=5, decimal_places=2)
    measured_value = models.DecimalField(_("measured value"), null=True, blank=True, **FIGURE)
    measured_exact = models.CharField(_("exact measured value"), max_length=80, blank=True)
    numerator = models.DecimalField(_("numerator"), null=True, blank=True, **FIGURE)
    denominator = models.DecimalField(_("denominator"), null=True, blank=True, **FIGURE)
    met = models.BooleanField(_("met"), null=True, blank=True)
    forfeited_share_percent = models.DecimalField(_("share forfeited (%)"), max_digits=5, decimal_places=2)
    record_type = models.CharField(_("records"), max_length=20)
    numerator_ids = models.JSONField(_("numerator records"), default=list, blank=True)
    denominator_ids = models.JSONField(_("denominator records"), default=list, blank=True)
    excluded_ids = models.JSONField(_("work orders excluded by accepted disputes"), default=list, blank=True)

    class Meta:
        verbose_name = _("commitment result")
        verbose_name_plural = _("commitment results")
        ordering = ["period", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["period", "code"], name="scorecards_commitmentresult_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.period_id} {self.code}"


class ManualEntry(models.Model):
    """A value (or event count) of a manual indicator entered by the client side, with a note and evidence.

    Entries are never edited: a new entry replaces the previous one for the indicator (the latest counts).
    """

    visibility = Visibility.through("period")

    period = models.ForeignKey(
        EvaluationPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="manual_entries"
    )
    indicator = models.ForeignKey(
        "scorecards.SchemeIndicator", verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="+"
    )
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4)
    note = models.TextField(_("note"), blank=True)
    dispute = models.ForeignKey(
        "scorecards.Dispute",
        verbose_name=_("correction of dispute"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("carried over from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered at"))

    class Meta:
        verbose_name = _("manual entry")
        verbose_name_plural = _("manual entries")
        ordering = ["period", "indicator", "-entered_at", "-id"]
        indexes = [models.Index(fields=["period", "indicator", "-id"], name="scorecards_manual_last_idx")]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.value}"


class Dispute(models.Model):
    """A vendor manager's dispute (申诉) of an indicator, or of one work order's part in it, and its decision."""

    visibility = Visibility.through("period")

    period = models.ForeignKey(
        EvaluationPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="disputes"
    )
    indicator = models.ForeignKey(
        "scorecards.SchemeIndicator", verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="+"
    )
    work_order = models.ForeignKey(
        "tickets.WorkOrder",
        verbose_name=_("work order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=20, choices=DisputeStatus.choices, default=DisputeStatus.OPEN)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("raised by"), on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(_("raised at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    corrected_value = models.DecimalField(_("corrected value"), max_digits=14, decimal_places=4, null=True, blank=True)
    score_before = models.DecimalField(_("score before"), max_digits=5, decimal_places=2, null=True, blank=True)
    score_after = models.DecimalField(_("score after"), max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        ordering = ["period", "raised_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=DisputeStatus.OPEN, decided_at__isnull=True)
                | (~Q(status=DisputeStatus.OPEN) & Q(decided_at__isnull=False)),
                name="scorecards_dispute_decided_when_closed",
            ),
        ]
        indexes = [models.Index(fields=["period", "status"], name="scorecards_dispute_st_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.indicator_id}"


class Exclusion(models.Model):
    """A work order taken out of one indicator's computation in one period, by an accepted dispute."""

    visibility = Visibility.through("period")

    period = models.ForeignKey(
        EvaluationPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="exclusions"
    )
    source = models.CharField(_("indicator"), max_length=40, validators=[validate_scheme_source])
    work_order = models.ForeignKey(
        "tickets.WorkOrder", verbose_name=_("work order"), on_delete=models.PROTECT, related_name="+"
    )
    dispute = models.ForeignKey(
        Dispute, verbose_name=_("dispute"), null=True, blank=True, on_delete=models.PROTECT, related_name="exclusions"
    )
    carried_from = models.ForeignKey(
        "self", verbose_name=_("carried over from"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("exclusion")
        verbose_name_plural = _("exclusions")
        ordering = ["period", "source", "work_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "source", "work_order"], name="scorecards_exclusion_unique_work_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period_id} {self.source} −{self.work_order_id}"


class Evidence(StoredFileBase):
    """A file backing a manual entry or a dispute, stored outside the web root, downloaded after a permission check."""

    visibility = Visibility.through("period")

    period = models.ForeignKey(
        EvaluationPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="evidence"
    )
    manual_entry = models.ForeignKey(
        ManualEntry,
        verbose_name=_("manual entry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    dispute = models.ForeignKey(
        Dispute, verbose_name=_("dispute"), null=True, blank=True, on_delete=models.PROTECT, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to="evaluations/%Y/%m/")

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["period", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(manual_entry__isnull=False, dispute__isnull=True)
                | Q(manual_entry__isnull=True, dispute__isnull=False),
                name="scorecards_evidence_one_owner",
            ),
        ]


class PeriodEvent(TimelineEventBase):
    """One immutable step of a period's timeline: who did what, when, with the figures before and after."""

    visibility = Visibility.through("period")

    timeline_parent = "period"
    immutable_error = "period events are immutable"

    period = models.ForeignKey(
        EvaluationPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=PeriodEventKind.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("period event")
        verbose_name_plural = _("period events")
        ordering = ["period", "seq"]
        constraints = [models.UniqueConstraint(fields=["period", "seq"], name="scorecards_periodevent_unique_seq")]
