"""The risk register (风险登记册): risks with cause → event → consequence, the organisation's versioned risk
matrix (风险矩阵), the append-only history of ratings (inherent / current / target / residual), mitigations
shared by several risks, reviews, the actions opened from a contingency plan (应急预案), and each risk's
immutable timeline.

Everything here is seen by the organisation's client roles only (administrators, supervisors, executives,
auditors); vendor staff and requesters see none of it."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from oversight.core.bilingual import pick_name
from oversight.core.concurrency import VersionETag
from oversight.core.models import TimelineEventBase
from oversight.core.numbering import YearlyCounter
from oversight.risks.choices import (
    OPEN_MITIGATION_STATUSES,
    OPEN_RISK_STATUSES,
    ContingencyStatus,
    MitigationStatus,
    RatingKind,
    RiskActivityKind,
    RiskCategory,
    RiskLevel,
    RiskStatus,
    ScoreFormula,
    Treatment,
)
from oversight.tenancy.roles import CLIENT_ROLES
from oversight.tenancy.visibility import Visibility

#: The register is the client's: its roles see it all, vendors and requesters nothing.
REGISTER_VISIBILITY = Visibility(organisation="organisation", roles=CLIENT_ROLES)


class RiskMatrix(models.Model):
    """An organisation's risk matrix (风险矩阵); its content lives in versions, the latest one is in use."""

    visibility = REGISTER_VISIBILITY

    organisation = models.OneToOneField(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="risk_matrix"
    )
    name = models.CharField(_("name"), max_length=100)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("risk matrix")
        verbose_name_plural = _("risk matrices")
        ordering = ["organisation"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("risks:matrix")


class RiskMatrixVersion(models.Model):
    """One version of a risk matrix: its probability and impact levels (labels in both languages), score
    formula or per-cell table, 0–10 normalisation, and level bands with colour and review interval. Never
    changed once a rating uses it: an edit makes the next version."""

    visibility = Visibility.through("matrix")

    matrix = models.ForeignKey(RiskMatrix, verbose_name=_("matrix"), on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    # [{"zh": "极少发生", "en": "Rare"}, ...], lowest level first.
    probability_labels = models.JSONField(_("probability levels"))
    impact_labels = models.JSONField(_("impact levels"))
    formula = models.CharField(_("score formula"), max_length=10, choices=ScoreFormula.choices)
    # For the "table" formula: one row per probability level (lowest first), one score per impact level.
    cell_scores = models.JSONField(_("cell scores"), default=list, blank=True)
    normalise = models.BooleanField(_("scores on 0–10"), default=False)
    # [{"start": "1", "level": "low", "colour": "#7cb342", "review_days": 365}, ...], lowest band first.
    bands = models.JSONField(_("level bands"))
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("risk matrix version")
        verbose_name_plural = _("risk matrix versions")
        ordering = ["matrix", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["matrix", "number"], name="risks_riskmatrixversion_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.matrix} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("risks:matrix") + f"?version={self.number}"

    @property
    def probability_levels(self) -> int:
        return len(self.probability_labels)

    @property
    def impact_levels(self) -> int:
        return len(self.impact_labels)


class RiskCounter(YearlyCounter):
    """Per organisation and year, the last risk number handed out (locked while incremented)."""

    visibility = Visibility(organisation="organisation", roles=frozenset())  # bookkeeping: nobody reads it

    class Meta(YearlyCounter.Meta):
        verbose_name = _("risk counter")
        verbose_name_plural = _("risk counters")


class Risk(VersionETag, models.Model):
    """A risk (风险): a cause that may lead to an event with a consequence, rated on the matrix, treated,
    reviewed, with a contingency plan for when it happens."""

    visibility = REGISTER_VISIBILITY

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("number"), max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    cause = models.TextField(_("cause"))
    event = models.TextField(_("risk event"))
    consequence = models.TextField(_("consequence"))
    category = models.CharField(_("category"), max_length=20, choices=RiskCategory.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("risk owner"), on_delete=models.PROTECT, related_name="owned_risks"
    )
    vendor = models.ForeignKey(
        "tenancy.Vendor",
        verbose_name=_("vendor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="risks",
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("contract"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="risks",
    )
    service = models.ForeignKey(
        "catalog.Service",
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="risks",
    )
    treatment = models.CharField(_("treatment"), max_length=10, choices=Treatment.choices, blank=True)
    treatment_note = models.TextField(_("treatment details"), blank=True)
    acceptance_approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acceptance approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    acceptance_expires_on = models.DateField(_("acceptance expires on"), null=True, blank=True)
    contingency_plan = models.TextField(
        _("contingency plan"), blank=True, help_text=_("One action per line; opened as tracked actions.")
    )
    next_review_date = models.DateField(_("next review"))
    status = models.CharField(_("status"), max_length=20, choices=RiskStatus.choices, default=RiskStatus.IDENTIFIED)
    # The risk's level and score now: from its latest current rating (its inherent one until it has one).
    level = models.CharField(_("level"), max_length=10, choices=RiskLevel.choices, blank=True)
    score = models.DecimalField(_("score"), max_digits=8, decimal_places=2, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "-created_at", "-id"], name="risks_org_created_idx"),
            models.Index(fields=["organisation", "status", "next_review_date"], name="risks_org_review_idx"),
            models.Index(fields=["vendor", "status"], name="risks_vendor_status_idx"),
            models.Index(fields=["owner", "status"], name="risks_owner_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(treatment=Treatment.ACCEPT)
                | Q(acceptance_approver__isnull=False, acceptance_expires_on__isnull=False),
                name="risks_risk_acceptance_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.localized_title}"

    def get_absolute_url(self) -> str:
        return reverse("risks:detail", args=[self.pk])

    @property
    def localized_title(self) -> str:
        """The English title for English readers when there is one, else the primary title (never both)."""
        return pick_name(self.title, self.title_en)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_RISK_STATUSES


class RiskRating(models.Model):
    """One rating of a risk (append-only): which kind, on which matrix version, the cell (probability level ×
    impact level), its score and level, and optionally a decimal probability and a money impact with their
    exposure. A heat map reads the rating's own version, so it never changes retroactively."""

    visibility = Visibility.through("risk")

    risk = models.ForeignKey(Risk, verbose_name=_("risk"), on_delete=models.PROTECT, related_name="ratings")
    kind = models.CharField(_("rating"), max_length=10, choices=RatingKind.choices)
    matrix_version = models.ForeignKey(
        RiskMatrixVersion, verbose_name=_("matrix version"), on_delete=models.PROTECT, related_name="ratings"
    )
    probability_level = models.PositiveSmallIntegerField(
        _("probability level"), validators=[MinValueValidator(1), MaxValueValidator(7)]
    )
    impact_level = models.PositiveSmallIntegerField(
        _("impact level"), validators=[MinValueValidator(1), MaxValueValidator(7)]
    )
    probability = models.DecimalField(
        _("probability"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    impact = models.DecimalField(_("impact (amount)"), max_digits=16, decimal_places=2, null=True, blank=True)
    exposure = models.DecimalField(_("exposure"), max_digits=16, decimal_places=2, null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=8, decimal_places=2)
    level = models.CharField(_("level"), max_length=10, choices=RiskLevel.choices)
    reason = models.TextField(_("reason"), blank=True)
    # What caused a rating made by the system (a risk event): "<app>.<model>" and its primary key.
    source_type = models.CharField(_("source"), max_length=60, blank=True)
    source_id = models.CharField(_("source id"), max_length=40, blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rated_at = models.DateTimeField(_("rated at"))

    class Meta:
        verbose_name = _("risk rating")
        verbose_name_plural = _("risk ratings")
        ordering = ["risk", "-rated_at", "-id"]
        indexes = [models.Index(fields=["risk", "kind", "-rated_at", "-id"], name="risks_rating_kind_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    probability_level__gte=1, probability_level__lte=7, impact_level__gte=1, impact_level__lte=7
                ),
                name="risks_riskrating_levels_range",
            ),
            models.CheckConstraint(
                condition=Q(probability__isnull=True) | Q(probability__gte=0, probability__lte=1),
                name="risks_riskrating_probability_range",
            ),
            models.CheckConstraint(
                condition=Q(impact__isnull=True) | Q(impact__gte=0), name="risks_riskrating_impact_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.risk_id} {self.kind} {self.probability_level}×{self.impact_level}"

    def save(self, *args, **kwargs):
        # Integrity, not business logic: the rating history is append-only.
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("risk ratings are immutable")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("risks:detail", args=[self.risk_id])


class Mitigation(models.Model):
    """A mitigation (缓释措施): an action with an owner and a due date that reduces one or more risks."""

    visibility = REGISTER_VISIBILITY

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="risk_mitigations"
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=20, choices=MitigationStatus.choices, default=MitigationStatus.PLANNED
    )
    cost = models.DecimalField(_("cost"), max_digits=16, decimal_places=2, null=True, blank=True)
    risks = models.ManyToManyField(Risk, verbose_name=_("risks"), blank=True, related_name="mitigations")
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("mitigation")
        verbose_name_plural = _("mitigations")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["organisation", "status", "due_date"], name="risks_mitigation_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(cost__isnull=True) | Q(cost__gte=0), name="risks_mitigation_cost_not_negative"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("risks:mitigation_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_MITIGATION_STATUSES


class RiskReview(models.Model):
    """A review of a risk (风险复核): who looked at it, when, whether it still holds, what changed, and when it
    is to be reviewed next (by default from its level)."""

    visibility = Visibility.through("risk")

    risk = models.ForeignKey(Risk, verbose_name=_("risk"), on_delete=models.PROTECT, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"))
    still_valid = models.BooleanField(_("still valid"))
    changes = models.TextField(_("what changed"), blank=True)
    level = models.CharField(_("level at review"), max_length=10, choices=RiskLevel.choices, blank=True)
    next_review_date = models.DateField(_("next review"))

    class Meta:
        verbose_name = _("risk review")
        verbose_name_plural = _("risk reviews")
        ordering = ["risk", "-reviewed_at", "-id"]
        indexes = [models.Index(fields=["risk", "-reviewed_at"], name="risks_review_risk_idx")]

    def __str__(self) -> str:
        return f"{self.risk_id} @ {self.reviewed_at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        # Integrity, not business logic: a review is a record.
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("risk reviews are immutable")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("risks:detail", args=[self.risk_id])


class ContingencyAction(models.Model):
    """One action opened from a risk's contingency plan when the risk happens (or a trigger says it may):
    tracked until done or cancelled. One trigger key opens the plan once."""

    visibility = Visibility.through("risk")

    risk = models.ForeignKey(Risk, verbose_name=_("risk"), on_delete=models.PROTECT, related_name="contingency_actions")
    trigger_key = models.CharField(_("opened by"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("action"), max_length=300)
    reason = models.TextField(_("reason"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ContingencyStatus.choices, default=ContingencyStatus.OPEN
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("contingency action")
        verbose_name_plural = _("contingency actions")
        ordering = ["risk", "opened_at", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["risk", "trigger_key", "position"], name="risks_contingencyaction_unique_per_trigger"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("risks:detail", args=[self.risk_id])


class RiskActivity(TimelineEventBase):
    """One immutable step of a risk's timeline: created, edited, rated, reviewed, status changes, mitigations
    and contingency actions."""

    visibility = Visibility.through("risk")

    timeline_parent = "risk"
    immutable_error = "risk timeline steps are immutable"

    risk = models.ForeignKey(Risk, verbose_name=_("risk"), on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("kind"), max_length=30, choices=RiskActivityKind.choices)
    action = models.CharField(_("action"), max_length=30, blank=True)
    body = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("risk timeline step")
        verbose_name_plural = _("risk timeline steps")
        ordering = ["risk", "seq"]
        constraints = [models.UniqueConstraint(fields=["risk", "seq"], name="risks_riskactivity_unique_seq")]
