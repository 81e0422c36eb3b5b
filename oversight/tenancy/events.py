"""What happens to organisations, announced after commit for the apps that keep figures by local day.

The service facts count each work order on the client's local days; a new organisation time zone moves
day boundaries, so every figure already counted must be recounted.
"""

from oversight.core.events import define

ORGANISATION_TIME_ZONE_CHANGED = define(
    "tenancy.organisation.time_zone_changed",
    "organisation_id",
    "actor_id",
    doc="A client organisation's time zone changed: its local days, and everything counted per day, move.",
)
