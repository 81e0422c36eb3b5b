"""Key risk indicators (关键风险指标) with their readings, the risk events a breach raises, and the per-organisation
settings of the Markov model of vendor states. Rules and services: `risks.indicators`, `risks.triggers`,
`risks.vendor_states`."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from oversight.core.bilingual import BilingualName
from oversight.risks.choices_triggers import DEFAULT_PRIOR, KriRule, KriStatus, KriWindow
from oversight.risks.models.register import REGISTER_VISIBILITY
from oversight.tenancy.visibility import Visibility

FIGURE = {"max_digits": 20, "decimal_places": 6}

#: Client roles of the organisation only; vendor staff and requesters see nothing (as the risk register).
CLIENT_ONLY = REGISTER_VISIBILITY


def default_prior() -> list[list[float]]:
    """A fresh copy of the expert prior matrix."""
    return [list(row) for row in DEFAULT_PRIOR]


class KeyRiskIndicator(BilingualName, models.Model):
    """A key risk indicator: a registered indicator source or a built-in data rule, judged per period."""

    visibility = CLIENT_ONLY

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    source = models.CharField(
        _("indicator source"),
        max_length=40,
        blank=True,
        help_text=_("A registered indicator, measured for the vendor (or the contract) over each period."),
    )
    rule = models.CharField(_("data rule"), max_length=30, blank=True, choices=KriRule.choices)
    vendor = models.ForeignKey("tenancy.Vendor", verbose_name=_("vendor"), on_delete=models.PROTECT, related_name="+")
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("contract"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the whole vendor."),
    )
    service = models.ForeignKey(
        "catalog.Service",
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Only for the rule on work orders resolved per working day. Empty: every service."),
    )
    higher_is_worse = models.BooleanField(_("higher is worse"), default=True)
    amber_threshold = models.DecimalField(
        _("amber threshold"), help_text=_("The last value that is still green."), **FIGURE
    )
    red_threshold = models.DecimalField(
        _("red threshold"), help_text=_("The last value that is still amber; beyond it is red."), **FIGURE
    )
    window = models.CharField(_("evaluation window"), max_length=20, choices=KriWindow.choices, default=KriWindow.MONTH)
    window_days = models.PositiveSmallIntegerField(
        _("working days per window"), default=1, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    calendar = models.ForeignKey(
        "catalog.BusinessCalendar",
        verbose_name=_("business calendar"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Which days are working days, for windows of working days."),
    )
    persistence = models.PositiveSmallIntegerField(
        _("persistence (periods)"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text=_("How many red periods in a row make a breach."),
    )
    rule_days = models.PositiveSmallIntegerField(
        _("days looked at by the rule"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Certificates: expiries within this many days count as one cluster."),
    )
    starts_on = models.DateField(_("judged from"), help_text=_("The first day of the first period judged."))
    is_active = models.BooleanField(_("active"), default=True)
    risks = models.ManyToManyField(
        "risks.Risk", through="KriRiskLink", verbose_name=_("linked risks"), related_name="indicators"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    last_evaluated_at = models.DateTimeField(_("last evaluated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("key risk indicator")
        verbose_name_plural = _("key risk indicators")
        ordering = ["organisation", "name", "pk"]
        indexes = [models.Index(fields=["organisation", "name"], name="risks_kri_org_name_idx")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(source="") & ~Q(rule="")) | (~Q(source="") & Q(rule="")),
                name="risks_keyriskindicator_source_or_rule",
            ),
            models.CheckConstraint(condition=Q(persistence__gte=1), name="risks_keyriskindicator_persistence"),
            models.CheckConstraint(condition=Q(window_days__gte=1), name="risks_keyriskindicator_window_days"),
            models.CheckConstraint(
                condition=Q(higher_is_worse=True, amber_threshold__lte=models.F("red_threshold"))
                | Q(higher_is_worse=False, amber_threshold__gte=models.F("red_threshold")),
                name="risks_keyriskindicator_thresholds_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.localized_name

    def get_absolute_url(self) -> str:
        return reverse("risks:kri_detail", args=[self.pk])


class KriRiskLink(models.Model):
    """A risk a KRI watches, and how far a breach raises the risk's current probability."""

    visibility = Visibility.through("kri")

    kri = models.ForeignKey(
        KeyRiskIndicator, verbose_name=_("key risk indicator"), on_delete=models.CASCADE, related_name="links"
    )
    risk = models.ForeignKey("risks.Risk", verbose_name=_("risk"), on_delete=models.CASCADE, related_name="+")
    raise_levels = models.PositiveSmallIntegerField(
        _("probability levels raised"),
        default=1,
        validators=[MinValueValidator(0), MaxValueValidator(6)],
        help_text=_("A breach raises the risk's current probability by this many levels (at most to the top)."),
    )

    class Meta:
        verbose_name = _("linked risk")
        verbose_name_plural = _("linked risks")
        ordering = ["kri", "risk"]
        constraints = [models.UniqueConstraint(fields=["kri", "risk"], name="risks_kririsklink_one_per_risk")]

    def __str__(self) -> str:
        return f"{self.kri_id} → {self.risk_id}"


class KriReading(models.Model):
    """The value and traffic light of one KRI over one period (recomputed while the period is re-judged)."""

    visibility = Visibility.through("kri")

    kri = models.ForeignKey(
        KeyRiskIndicator, verbose_name=_("key risk indicator"), on_delete=models.CASCADE, related_name="readings"
    )
    period_start = models.DateField(_("first day"))
    period_end = models.DateField(_("last day"))
    value = models.DecimalField(_("value"), null=True, blank=True, **FIGURE)
    status = models.CharField(_("status"), max_length=10, choices=KriStatus.choices)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("KRI reading")
        verbose_name_plural = _("KRI readings")
        ordering = ["kri", "-period_start"]
        constraints = [
            models.UniqueConstraint(fields=["kri", "period_start"], name="risks_krireading_one_per_period"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="risks_krireading_span"),
        ]

    def __str__(self) -> str:
        return f"{self.kri_id} {self.period_start}"


class RiskEvent(models.Model):
    """A breach episode of a KRI (风险事件): raised once per episode, whatever how often the KRI is evaluated."""

    visibility = CLIENT_ONLY

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    kri = models.ForeignKey(
        KeyRiskIndicator, verbose_name=_("key risk indicator"), on_delete=models.PROTECT, related_name="events"
    )
    episode_start = models.DateField(_("breach began"), help_text=_("The first day of the first red period."))
    breached_on = models.DateField(_("breach counted from"), help_text=_("The first day of the period that made it."))
    ended_on = models.DateField(_("breach ended"), null=True, blank=True)
    value = models.DecimalField(_("value"), null=True, blank=True, **FIGURE)
    raised_at = models.DateTimeField(_("raised at"))
    applied_at = models.DateTimeField(
        _("applied at"),
        null=True,
        blank=True,
        help_text=_("When every linked risk had its rating raised, its owner notified and its plan opened."),
    )

    class Meta:
        verbose_name = _("risk event")
        verbose_name_plural = _("risk events")
        ordering = ["-raised_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-raised_at"], name="risks_riskevent_org_raised_idx")]
        constraints = [
            models.UniqueConstraint(fields=["kri", "episode_start"], name="risks_riskevent_once_per_episode"),
        ]

    def __str__(self) -> str:
        return f"{self.kri} {self.episode_start}"

    def get_absolute_url(self) -> str:
        return reverse("risks:kri_detail", args=[self.kri_id]) + f"#event-{self.pk}"


class RiskEventEffect(models.Model):
    """What one risk event did to one linked risk (at most once: the rating it recorded, the actions it opened)."""

    visibility = Visibility.through("event")

    event = models.ForeignKey(RiskEvent, verbose_name=_("risk event"), on_delete=models.CASCADE, related_name="effects")
    risk = models.ForeignKey("risks.Risk", verbose_name=_("risk"), on_delete=models.PROTECT, related_name="+")
    rating = models.ForeignKey(
        "risks.RiskRating",
        verbose_name=_("rating recorded"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actions_opened = models.PositiveSmallIntegerField(_("contingency actions opened"), default=0)
    applied_at = models.DateTimeField(_("applied at"))

    class Meta:
        verbose_name = _("risk event effect")
        verbose_name_plural = _("risk event effects")
        ordering = ["event", "risk"]
        constraints = [models.UniqueConstraint(fields=["event", "risk"], name="risks_riskeventeffect_once_per_risk")]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.risk_id}"


class VendorStateSettings(models.Model):
    """An organisation's rule for a vendor's monthly state and the prior of its Markov model (defaults when absent)."""

    visibility = CLIENT_ONLY

    organisation = models.OneToOneField(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    watch_below = models.DecimalField(
        _("watch below score"), max_digits=5, decimal_places=2, default=85, help_text=_("Signed monthly score.")
    )
    warning_below = models.DecimalField(_("warning below score"), max_digits=5, decimal_places=2, default=75)
    remediation_below = models.DecimalField(_("remediation below score"), max_digits=5, decimal_places=2, default=60)
    warning_missed = models.PositiveSmallIntegerField(
        _("warning from commitments missed"), default=2, validators=[MinValueValidator(1)]
    )
    remediation_missed = models.PositiveSmallIntegerField(
        _("remediation from commitments missed"), default=3, validators=[MinValueValidator(1)]
    )
    watch_breaches = models.PositiveIntegerField(
        _("watch from SLA breaches in the month"), default=5, validators=[MinValueValidator(1)]
    )
    prior = models.JSONField(_("prior transition matrix"), default=default_prior)
    prior_strength = models.DecimalField(
        _("prior strength (months)"),
        max_digits=6,
        decimal_places=2,
        default=2,
        validators=[MinValueValidator(0)],
        help_text=_("How many observed months the prior weighs, in each row."),
    )
    min_observations = models.PositiveSmallIntegerField(
        _("observed months before a row is estimated"), default=6, validators=[MaxValueValidator(120)]
    )
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("vendor state settings")
        verbose_name_plural = _("vendor state settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(watch_below__gte=models.F("warning_below"))
                & Q(warning_below__gte=models.F("remediation_below")),
                name="risks_vendorstatesettings_scores_ordered",
            ),
            models.CheckConstraint(
                condition=Q(remediation_missed__gte=models.F("warning_missed")),
                name="risks_vendorstatesettings_missed_ordered",
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation)
