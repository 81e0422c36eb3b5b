"""Sourcing data (外包决策): the commercial model of a contact-centre contract version (what the vendor is paid per,
and an outcome bonus or malus on a KPI) and the client's saved outsourcing scenarios (in-house, outsourced,
mixed) whose TCO, NPV, IRR, payback, ROI and tornado are computed from their drivers by `ccmath.finance`.

Commercial models are seen with their contract (the client side, and the contract's own vendor); scenarios are the
client's business case: client roles see them, vendor staff and requesters see none."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from oversight.core.bilingual import pick_name
from oversight.core.concurrency import VersionETag
from oversight.sourcing.choices import OutcomeKpi, PricingBasis, ScenarioKind
from oversight.tenancy.visibility import Visibility

MONEY = {"max_digits": 16, "decimal_places": 2}
RATE = {"max_digits": 14, "decimal_places": 4}
PERCENT = {"max_digits": 7, "decimal_places": 3}
QUANTITY = {"max_digits": 14, "decimal_places": 2}


class CommercialModel(VersionETag, models.Model):
    """The pricing of one contract version (商务模式): a rate per FTE-month, productive hour, handled contact or
    handled minute, and optionally a bonus (KPI met) or malus (KPI missed) in percent of the charge."""

    # Seen with the contract: the client side, and the contract's vendor; requesters none.
    visibility = Visibility.through("contract_version")

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    contract_version = models.OneToOneField(
        "contracts.ContractVersion",
        verbose_name=_("contract version"),
        on_delete=models.PROTECT,
        related_name="commercial_model",
    )
    basis = models.CharField(_("pricing basis"), max_length=20, choices=PricingBasis.choices)
    rate = models.DecimalField(_("rate"), help_text=_("Amount per unit of the pricing basis."), **RATE)
    hours_per_fte_month = models.DecimalField(
        _("paid hours per FTE-month"),
        default=174,
        help_text=_("For the FTE-month basis: the paid hours that make one FTE-month."),
        **QUANTITY,
    )
    outcome_kpi = models.CharField(_("outcome KPI"), max_length=20, choices=OutcomeKpi.choices, blank=True)
    outcome_target = models.DecimalField(
        _("outcome target"),
        null=True,
        blank=True,
        help_text=_("Met when the KPI is at or below it (abandonment, ASA and AHT are better lower)."),
        **RATE,
    )
    bonus_percent = models.DecimalField(_("bonus when met (%)"), default=0, **PERCENT)
    malus_percent = models.DecimalField(_("malus when missed (%)"), default=0, **PERCENT)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("commercial model")
        verbose_name_plural = _("commercial models")
        ordering = ["organisation", "contract_version"]
        constraints = [
            models.CheckConstraint(condition=Q(rate__gte=0), name="sourcing_commercialmodel_rate_not_negative"),
            models.CheckConstraint(
                condition=Q(hours_per_fte_month__gt=0), name="sourcing_commercialmodel_hours_positive"
            ),
            models.CheckConstraint(
                condition=Q(bonus_percent__gte=0, bonus_percent__lte=100)
                & Q(malus_percent__gte=0, malus_percent__lte=100),
                name="sourcing_commercialmodel_percent_range",
            ),
            models.CheckConstraint(
                condition=Q(outcome_kpi="") | Q(outcome_target__isnull=False),
                name="sourcing_commercialmodel_outcome_has_target",
            ),
        ]

    def __str__(self) -> str:
        version = self.contract_version
        return f"{version.contract.number} v{version.number}"

    def get_absolute_url(self) -> str:
        return reverse("sourcing:commercial_detail", args=[self.pk])


class Scenario(VersionETag, models.Model):
    """A saved outsourcing scenario (外包方案): the drivers of the status quo and of a proposal (in-house,
    outsourced or mixed) over a horizon; the figures are computed from them whenever the scenario is shown.

    Shares, rates and growths are percentages (5 = 5 %); money is in the scenario's currency."""

    # The client's business case: client roles only (vendors and requesters see none).
    visibility = Visibility(organisation="organisation", vendor=None, requester=None)

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("proposal"), max_length=20, choices=ScenarioKind.choices)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    horizon_years = models.PositiveSmallIntegerField(_("horizon (years)"), default=5)
    discount_rate = models.DecimalField(_("discount rate (%)"), default=8, **PERCENT)
    annual_contacts = models.DecimalField(_("contacts per year"), **QUANTITY)
    volume_growth = models.DecimalField(_("volume growth per year (%)"), default=0, **PERCENT)
    aht_seconds = models.DecimalField(_("average handle time (seconds)"), **QUANTITY)
    service_level_target = models.DecimalField(_("service-level target (%)"), default=80, **PERCENT)
    service_level_seconds = models.PositiveIntegerField(_("answered within (seconds)"), default=20)
    required_fte = models.DecimalField(
        _("required productive FTE"),
        null=True,
        blank=True,
        help_text=_("Productive FTE to handle the whole first-year volume in-house; blank: computed by Erlang C."),
        **QUANTITY,
    )
    open_hours_per_year = models.DecimalField(_("open hours per year"), default=5110, **QUANTITY)
    productive_hours_per_fte = models.DecimalField(_("productive hours per FTE-year"), default=1650, **QUANTITY)
    max_occupancy = models.DecimalField(_("maximum occupancy (%)"), default=85, **PERCENT)
    shrinkage = models.DecimalField(_("shrinkage (%)"), default=30, **PERCENT)
    annual_wage_per_fte = models.DecimalField(_("loaded wage per FTE-year"), **MONEY)
    wage_growth = models.DecimalField(_("wage growth per year (%)"), default=0, **PERCENT)
    seat_cost_per_fte = models.DecimalField(_("seat cost per FTE-year"), default=0, **MONEY)
    technology_cost = models.DecimalField(_("technology cost per year (in-house)"), default=0, **MONEY)
    price_per_contact = models.DecimalField(_("vendor price per contact"), **RATE)
    price_growth = models.DecimalField(_("vendor price growth per year (%)"), default=0, **PERCENT)
    governance_cost = models.DecimalField(_("vendor management cost per year"), default=0, **MONEY)
    transition_cost = models.DecimalField(_("one-off transition cost"), default=0, **MONEY)
    in_house_share = models.DecimalField(_("in-house share in the proposal (%)"), **PERCENT)
    baseline_in_house_share = models.DecimalField(_("in-house share today (%)"), default=0, **PERCENT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("saved by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("sourcing scenario")
        verbose_name_plural = _("sourcing scenarios")
        ordering = ["organisation", "-updated_at", "-id"]
        indexes = [models.Index(fields=["organisation", "-updated_at", "-id"], name="sourcing_scenario_org_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(in_house_share__gte=0, in_house_share__lte=100)
                & Q(baseline_in_house_share__gte=0, baseline_in_house_share__lte=100),
                name="sourcing_scenario_share_range",
            ),
            models.CheckConstraint(
                condition=Q(shrinkage__gte=0, shrinkage__lt=100), name="sourcing_scenario_shrinkage_range"
            ),
            models.CheckConstraint(
                condition=Q(horizon_years__gte=1, horizon_years__lte=30), name="sourcing_scenario_horizon_range"
            ),
        ]

    def __str__(self) -> str:
        return self.localized_name

    def get_absolute_url(self) -> str:
        return reverse("sourcing:scenario_detail", args=[self.pk])

    @property
    def localized_name(self) -> str:
        """The English name for English readers when there is one, else the primary name."""
        return pick_name(self.name, self.name_en)
