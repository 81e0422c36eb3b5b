"""Workforce data (排班与预测): forecast snapshots (the vendor's submitted forecasts and the client's own), their
points per interval, rolling-origin backtests, and the attribution of each interval that missed the service level.

A snapshot is immutable once published: accuracy is measured on snapshots only, so a forecast cannot be edited
after the fact; a new forecast is a new snapshot. Everything is seen through its queue (the client side sees
the organisation's queues, vendor staff their own vendor's; requesters none); the selectors add that vendors
see only vendor forecasts, not the client's own."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from oversight.core.errors import ApplicationError
from oversight.tenancy.visibility import Visibility
from oversight.workforce.choices import AttributionReason, ForecastModel, ForecastSource

FRACTION = {"max_digits": 9, "decimal_places": 6}
VOLUME = {"max_digits": 12, "decimal_places": 3}


class Immutable(models.Model):
    """A row that is written once: saving an existing row is refused."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ApplicationError(_("A published forecast cannot be changed; publish a new one."))
        super().save(*args, **kwargs)


class ForecastSnapshot(Immutable):
    """A published forecast of one queue (预测快照): who made it, how, on which training window, when."""

    visibility = Visibility.through("queue")

    queue = models.ForeignKey(
        "contactcentre.Queue", verbose_name=_("queue"), on_delete=models.PROTECT, related_name="forecast_snapshots"
    )
    source = models.CharField(_("source"), max_length=10, choices=ForecastSource.choices)
    model = models.CharField(_("model"), max_length=20, choices=ForecastModel.choices)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    training_start = models.DateField(_("training from"), null=True, blank=True)
    training_end = models.DateField(_("training to"), null=True, blank=True)
    period_start = models.DateTimeField(_("first interval"))
    period_end = models.DateTimeField(_("end of last interval"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    file_sha256 = models.CharField(_("file fingerprint"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("published at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("forecast snapshot")
        verbose_name_plural = _("forecast snapshots")
        ordering = ["queue", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gt=models.F("period_start")), name="workforce_snap_period"),
            models.CheckConstraint(
                condition=Q(source="client") | Q(model="submitted"), name="workforce_snap_vendor_model"
            ),
        ]
        indexes = [models.Index(fields=["queue", "source", "created_at"], name="wf_snap_queue_source")]

    def __str__(self) -> str:
        return f"{self.queue} {self.get_source_display()} {self.created_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("workforce:snapshot", args=[self.pk])


class ForecastPoint(Immutable):
    """The forecast volume (and handle time, when given) of one interval of a snapshot."""

    visibility = Visibility.through("snapshot")

    snapshot = models.ForeignKey(
        ForecastSnapshot, verbose_name=_("forecast snapshot"), on_delete=models.CASCADE, related_name="points"
    )
    interval_start = models.DateTimeField(_("interval start"))
    offered = models.DecimalField(_("forecast volume"), **VOLUME)
    aht_seconds = models.DecimalField(_("forecast handle time (seconds)"), null=True, blank=True, **VOLUME)

    class Meta:
        verbose_name = _("forecast point")
        verbose_name_plural = _("forecast points")
        ordering = ["snapshot", "interval_start"]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "interval_start"], name="workforce_point_unique"),
            models.CheckConstraint(condition=Q(offered__gte=0), name="workforce_point_offered_ge_0"),
        ]

    def __str__(self) -> str:
        return f"{self.snapshot_id} {self.interval_start:%Y-%m-%d %H:%M} {self.offered}"


class BacktestRun(models.Model):
    """A rolling-origin backtest of the forecast models on one queue, and the model it chose."""

    visibility = Visibility.through("queue")

    queue = models.ForeignKey(
        "contactcentre.Queue", verbose_name=_("queue"), on_delete=models.PROTECT, related_name="backtests"
    )
    training_end = models.DateField(_("data up to"))
    horizon_days = models.PositiveSmallIntegerField(_("horizon (days)"))
    origins = models.PositiveSmallIntegerField(_("origins"))
    chosen_model = models.CharField(_("chosen model"), max_length=20, choices=ForecastModel.choices, blank=True)
    mean_wape = models.JSONField(_("mean WAPE per model"), default=dict)
    folds = models.JSONField(_("folds"), default=list)
    created_at = models.DateTimeField(_("run at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("run by"), null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("forecast backtest")
        verbose_name_plural = _("forecast backtests")
        ordering = ["queue", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.queue} {self.created_at:%Y-%m-%d} {self.chosen_model}"


class IntervalAttribution(models.Model):
    """An interval that missed the service level, and whether it counts against the vendor (违约归因).

    Written by ``services.attribution_apply`` (never by hand): the term it used, the vendor forecast snapshot it
    compared with, and the figures that decided it, so the reason can be shown and checked."""

    visibility = Visibility.through("queue")

    queue = models.ForeignKey(
        "contactcentre.Queue", verbose_name=_("queue"), on_delete=models.PROTECT, related_name="attributions"
    )
    interval_start = models.DateTimeField(_("interval start"))
    term = models.ForeignKey(
        "contactcentre.ServiceLevelTerm",
        verbose_name=_("service-level term"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    snapshot = models.ForeignKey(
        ForecastSnapshot,
        verbose_name=_("vendor forecast"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    offered = models.PositiveIntegerField(_("offered"))
    forecast_offered = models.DecimalField(_("forecast volume"), null=True, blank=True, **VOLUME)
    service_level = models.DecimalField(_("service level"), **FRACTION)
    target = models.DecimalField(_("target"), **FRACTION)
    staffed_agents = models.DecimalField(_("staffed agents"), max_digits=10, decimal_places=3)
    required_for_forecast = models.DecimalField(
        _("required for the forecast"), null=True, blank=True, max_digits=10, decimal_places=3
    )
    excused = models.BooleanField(_("not counted against the vendor"), default=False)
    reason = models.CharField(_("reason"), max_length=30, choices=AttributionReason.choices)
    computed_at = models.DateTimeField(_("applied at"))

    class Meta:
        verbose_name = _("breach attribution")
        verbose_name_plural = _("breach attributions")
        ordering = ["queue", "interval_start"]
        constraints = [
            models.UniqueConstraint(fields=["queue", "interval_start"], name="workforce_attribution_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.queue} {self.interval_start:%Y-%m-%d %H:%M} {self.reason}"
