"""The demo app: the demo scenario, its bulk generator and the commands that load it (the top layer)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo scenario and its management commands; the top layer, which every app's demo loader serves."""

    name = "oversight.demo"
    verbose_name = _("Demo data")
