"""Move DRF authtoken tokens into tenancy.ApiToken, hashed, and erase the plaintext keys (ADR 0016).

Existing API clients keep working with the key they have (it is now checked against its sha256) until the
migrated token expires, 90 days after this migration; the owner sees it under Preferences as "Migrated token".
`rest_framework.authtoken` is no longer installed, so its table is read with plain, portable SQL when it
exists (installations that never had it skip this step); the table is left empty for the operator to drop.
"""

import datetime as dt
import hashlib

from django.db import migrations
from django.utils import timezone

LEGACY_TABLE = "authtoken_token"
MIGRATED_DAYS = 90


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if LEGACY_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("tenancy", "ApiToken")
    User = apps.get_model("tenancy", "User")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {connection.ops.quote_name('key')}, user_id FROM {LEGACY_TABLE}")  # noqa: S608
        rows = cursor.fetchall()
    now = timezone.now()
    existing = set(User.objects.filter(pk__in=[user_id for _key, user_id in rows]).values_list("pk", flat=True))
    for key, user_id in rows:
        if user_id not in existing:
            continue
        ApiToken.objects.get_or_create(
            key_hash=hashlib.sha256(key.encode()).hexdigest(),
            defaults={
                "owner_id": user_id,
                "name": "Migrated token",
                "prefix": key[:8],
                "created_at": now,
                "expires_at": now + dt.timedelta(days=MIGRATED_DAYS),
            },
        )
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {LEGACY_TABLE}")  # noqa: S608


class Migration(migrations.Migration):
    dependencies = [("tenancy", "0002_api_token")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
