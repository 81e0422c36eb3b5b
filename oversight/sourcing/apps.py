"""Sourcing decisions (外包决策): the commercial models of contact-centre contracts and saved outsourcing scenarios
(in-house, outsourced, mixed) with their TCO, NPV, IRR, payback, ROI and sensitivity."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SourcingConfig(AppConfig):
    """Outsourcing scenarios and the cost of contact-centre contracts."""

    name = "oversight.sourcing"
    label = "sourcing"
    verbose_name = _("Sourcing scenarios")
