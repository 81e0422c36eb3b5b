"""What happens to the catalog, announced after commit for the apps that keep figures by service.

The service facts file every work order under its service's reporting category; when a service moves to
another category (or its category is deleted) the figures already counted must move with it.
"""

from oversight.core.events import define

SERVICE_RECLASSIFIED = define(
    "catalog.service.reclassified",
    "service_id",
    "actor_id",
    doc="A service's reporting category changed (edited, or its category deleted); figures filed by category move.",
)
