"""The quantification of risks (风险量化): per risk how often it happens and what one occurrence costs, optional
correlations between risks, and simulation runs over the register (Monte Carlo, `oversight.quant.montecarlo`).

Seen, like the register, by the organisation's client roles only. A run keeps a snapshot of the inputs it used
and, once finished, its result; neither changes afterwards (a later change of a risk's inputs needs a new run)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from oversight.risks.choices import RiskCategory
from oversight.risks.choices_quant import FrequencyKind, SeverityKind, SimulationStatus
from oversight.risks.models.register import REGISTER_VISIBILITY
from oversight.tenancy.visibility import Visibility

MONEY = {"max_digits": 16, "decimal_places": 2}


class RiskQuantification(models.Model):
    """A risk's yearly loss model: a frequency (probability ``p`` or rate ``λ``) and a severity (``a``/``m``/``b``
    of a PERT or triangular estimate, or P5/P95 of a lognormal), in one currency."""

    visibility = Visibility.through("risk")

    risk = models.OneToOneField(
        "risks.Risk", verbose_name=_("risk"), on_delete=models.CASCADE, related_name="quantification"
    )
    frequency = models.CharField(_("frequency"), max_length=10, choices=FrequencyKind.choices)
    rate = models.DecimalField(
        _("probability or events per year"),
        max_digits=8,
        decimal_places=4,
        help_text=_("At most once a year: the probability (0 to 1). Can recur: the expected events per year."),
    )
    severity = models.CharField(_("cost estimate"), max_length=10, choices=SeverityKind.choices)
    low = models.DecimalField(_("lowest cost (or P5)"), **MONEY)
    mode = models.DecimalField(_("most likely cost"), null=True, blank=True, **MONEY)
    high = models.DecimalField(_("highest cost (or P95)"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("risk quantification")
        verbose_name_plural = _("risk quantifications")
        ordering = ["risk"]
        constraints = [
            models.CheckConstraint(condition=Q(rate__gte=0), name="risks_quant_rate_not_negative"),
            models.CheckConstraint(condition=Q(low__gte=0, high__gt=F("low")), name="risks_quant_bounds_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.risk}: {self.get_frequency_display()}, {self.get_severity_display()}"

    def get_absolute_url(self) -> str:
        return reverse("risks:quantification", args=[self.risk_id])


class RiskCorrelation(models.Model):
    """The correlation (−1 to 1) between the yearly losses of two risks of one organisation, stored once per pair
    (``first`` has the lower id)."""

    visibility = REGISTER_VISIBILITY

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    first = models.ForeignKey("risks.Risk", verbose_name=_("risk"), on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey("risks.Risk", verbose_name=_("other risk"), on_delete=models.CASCADE, related_name="+")
    coefficient = models.DecimalField(_("correlation"), max_digits=4, decimal_places=3)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("correlation between risks")
        verbose_name_plural = _("correlations between risks")
        ordering = ["first", "second"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="risks_correlation_unique_pair"),
            models.CheckConstraint(condition=Q(first__lt=F("second")), name="risks_correlation_ordered_pair"),
            models.CheckConstraint(
                condition=Q(coefficient__gte=-1, coefficient__lte=1), name="risks_correlation_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ~ {self.second_id}: {self.coefficient}"

    def get_absolute_url(self) -> str:
        return reverse("risks:quantification", args=[self.first_id])


class SimulationRun(models.Model):
    """One Monte Carlo simulation of the organisation's open quantified risks (optionally of one vendor or
    category): its parameters, the inputs it used, its progress and, once finished, its result."""

    visibility = REGISTER_VISIBILITY

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    vendor = models.ForeignKey(
        "tenancy.Vendor", verbose_name=_("vendor"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(_("category"), max_length=20, choices=RiskCategory.choices, blank=True)
    iterations = models.PositiveIntegerField(_("iterations"))
    seed = models.PositiveBigIntegerField(_("seed"))
    appetite = models.DecimalField(_("risk appetite"), null=True, blank=True, **MONEY)
    currency = models.CharField(_("currency"), max_length=3)
    status = models.CharField(
        _("status"), max_length=10, choices=SimulationStatus.choices, default=SimulationStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    inputs = models.JSONField(_("inputs"), default=dict)
    result = models.JSONField(_("result"), null=True, blank=True)
    failure = models.TextField(_("reason of failure"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("requested at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Set when the job starts and at every progress report: a running run silent for too long is a dead worker's.
    heartbeat_at = models.DateTimeField(_("last progress at"), null=True, blank=True)
    rerun_of = models.ForeignKey(
        "self", verbose_name=_("run again from"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("risk simulation")
        verbose_name_plural = _("risk simulations")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "-created_at", "-id"], name="risks_simrun_org_created_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("risks:simulation_detail", args=[self.pk])
