"""Indicator schemes (服务评价指标体系): versioned per contract; a version and its indicators never change."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from oversight.core.bilingual import BilingualName
from oversight.core.kpis import source_label, validate_scheme_source
from oversight.scorecards.choices import (
    MANUAL,
    Dimension,
    MissingPolicy,
    PeriodKind,
    Unit,
)
from oversight.tenancy.visibility import Visibility


class IndicatorScheme(models.Model):
    """One version of a contract's indicator scheme; editing the scheme creates the next version.

    A period stores the version it was computed with, so a later edit never rewrites a past evaluation.
    """

    visibility = Visibility(organisation="organisation", vendor="contract__vendor")

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("contract"),
        on_delete=models.PROTECT,
        related_name="indicator_schemes",
    )
    number = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=200)
    period_kind = models.CharField(
        _("evaluation cadence"), max_length=20, choices=PeriodKind.choices, default=PeriodKind.QUARTERLY
    )
    reopen_window_days = models.PositiveSmallIntegerField(
        _("first-time fix: reopen window (days)"),
        default=7,
        help_text=_("A reopen within this many days of the first resolution spoils the first-time fix."),
    )
    dispute_window_days = models.PositiveSmallIntegerField(
        _("dispute window (days)"), default=5, help_text=_("How long the vendor may dispute after publication.")
    )
    dispute_calendar = models.ForeignKey(
        "catalog.BusinessCalendar",
        verbose_name=_("count the dispute window on"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Working days of this calendar; empty: plain calendar days."),
    )
    note = models.TextField(_("what changed"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("indicator scheme")
        verbose_name_plural = _("indicator schemes")
        ordering = ["contract", "-number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="scorecards_indicatorscheme_unique_number"),
            models.CheckConstraint(
                condition=Q(dispute_window_days__gte=1) & Q(dispute_window_days__lte=60),
                name="scorecards_indicatorscheme_dispute_window_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.number}"


class SchemeIndicator(BilingualName, models.Model):
    """One indicator of a scheme version: dimension, weight (of 100), source, scoring rule and missing policy."""

    visibility = Visibility.through("scheme")

    scheme = models.ForeignKey(
        IndicatorScheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="indicators"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    dimension = models.CharField(_("dimension"), max_length=20, choices=Dimension.choices)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2)
    source = models.CharField(_("source"), max_length=40, validators=[validate_scheme_source])
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices)
    # The scoring rule as `rules.<Rule>.to_dict()` (numbers as strings); read back with `rules.rule_from_dict`.
    rule = models.JSONField(_("scoring rule"))
    missing_policy = models.CharField(
        _("without a value"), max_length=10, choices=MissingPolicy.choices, default=MissingPolicy.RAISE
    )
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=4, null=True, blank=True)
    description = models.TextField(_("how it is measured"), blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["scheme", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="scorecards_schemeindicator_unique_code"),
            models.CheckConstraint(
                condition=Q(weight__gte=0) & Q(weight__lte=100), name="scorecards_schemeindicator_weight_range"
            ),
        ]

    def __str__(self) -> str:
        return self.localized_name

    @property
    def is_manual(self) -> bool:
        """Entered by the client supervisor rather than computed."""
        return self.source == MANUAL

    def get_source_display(self):
        """The source's label in the reader's language (sources are registered, not a closed choice list)."""
        return source_label(self.source)
