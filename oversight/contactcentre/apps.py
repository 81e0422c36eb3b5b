"""Contact-centre operations (客服中心运营): the interval data a BPO vendor delivers per queue, imported from its
exports or sent through the API, and the contact-centre KPIs computed from it under the service-level
definition frozen in the contract."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactCentreConfig(AppConfig):
    """Queues, interval facts, their imports and revisions, and the contact-centre indicators."""

    name = "oversight.contactcentre"
    label = "contactcentre"
    verbose_name = _("Contact centre")

    def ready(self) -> None:
        """Register the contact-centre indicators."""
        from oversight.contactcentre import kpis

        kpis.register()
