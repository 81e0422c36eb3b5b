"""What happens to organisations, announced after commit for the apps that keep data per organisation.

A new organisation gets its reference data from the apps that own it (the CMDB seeds its built-in classes and
relation types). The service facts count each work order on the client's local days; a new organisation time
zone moves day boundaries, so every figure already counted must be recounted.
"""

from oversight.core.events import define

ORGANISATION_CREATED = define(
    "tenancy.organisation.created",
    "organisation_id",
    "actor_id",
    doc="A client organisation was created: apps give it the reference data it starts with.",
)
ORGANISATION_TIME_ZONE_CHANGED = define(
    "tenancy.organisation.time_zone_changed",
    "organisation_id",
    "actor_id",
    doc="A client organisation's time zone changed: its local days, and everything counted per day, move.",
)
