"""The CMDB reacts to organisations: a new one gets the built-in CI classes and relation types.

Registered from ``ConfigurationConfig.ready``; tenancy announces the new organisation and never imports the CMDB.
"""

from oversight.configuration.services import ci_classes_seed
from oversight.core.events import handles
from oversight.tenancy.events import ORGANISATION_CREATED
from oversight.tenancy.models import Organisation


@handles(ORGANISATION_CREATED)
def seed_builtin_classes(*, organisation_id: int, actor_id: int | None, event_id: str) -> None:
    """Give the new organisation the built-in classes and relation types it lacks (a second run adds none)."""
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is not None:
        ci_classes_seed(actor=None, organisation=organisation)
