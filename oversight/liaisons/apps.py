"""Liaisons and escalation: named contacts per vendor and client organisation, the escalation matrix that decides
who hears of a breach, a complaint, an overdue action, a red KRI or a stalled change and when, and the public
supervision hotline (监管热线)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonsConfig(AppConfig):
    """Liaisons, the escalation matrix and the supervision hotline."""

    name = "oversight.liaisons"
    verbose_name = _("Liaisons and escalation")
