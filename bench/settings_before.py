"""Settings of the benchmarks' "before" processes: the product's, with Django's stock PostgreSQL backend.

Today's code read timestamps through Django's own loader; the "before" variant must too, or its times would
include this change's speed-up of ``oversight.core.dbbackends.postgresql``.
"""

from oversight.settings import *  # noqa: F403

DATABASES["default"]["ENGINE"] = "django.db.backends.postgresql"  # noqa: F405
