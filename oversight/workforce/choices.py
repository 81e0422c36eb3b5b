"""Choices of workforce supervision and the audit action labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ForecastSource(models.TextChoices):
    """Who made a forecast: the vendor submitted it, or the client produced its own."""

    VENDOR = "vendor", _("Vendor's forecast")
    CLIENT = "client", _("Client's forecast")


class ForecastModel(models.TextChoices):
    """How a forecast was made (the vendor's own method is unknown to the client)."""

    SUBMITTED = "submitted", _("Submitted by the vendor")
    SEASONAL_NAIVE = "seasonal_naive", _("Seasonal naive (same interval last week)")
    ETS = "ets", _("Exponential smoothing (Holt-Winters)")
    MSTL = "mstl", _("Multi-seasonal decomposition (daily and weekly)")


class AttributionReason(models.TextChoices):
    """Why a missed interval is, or is not, counted against the vendor."""

    VOLUME_OVER_FORECAST = "volume_over_forecast", _("Volume above forecast beyond the tolerance while staffed to it")
    UNDERSTAFFED = "understaffed", _("Staffed below the requirement for the forecast")
    WITHIN_TOLERANCE = "within_tolerance", _("Volume within the forecast tolerance")
    NO_FORECAST = "no_forecast", _("No vendor forecast for the interval")
    NO_OPTION = "no_option", _("The contract has no forecast-tolerance option")


class StaffingMethod(models.TextChoices):
    """The queueing model used for required agents."""

    ERLANG_C = "erlang_c", _("Erlang C")
    ERLANG_A = "erlang_a", _("Erlang A (with abandonment)")


AUDIT_ACTIONS = {
    "workforce.snapshot.published": _("Forecast snapshot published"),
    "workforce.vendor_forecast.imported": _("Vendor forecast imported"),
    "workforce.backtest.run": _("Forecast backtest run"),
    "workforce.attribution.applied": _("Breach attribution applied"),
}
