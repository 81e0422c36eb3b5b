"""The audit trail append-only in PostgreSQL itself (ADR 0039): a trigger refuses every UPDATE and DELETE of an
audit entry, whoever sends it (the ORM, raw SQL, a psql session), except the one change Django makes when a person
is deleted: ``actor`` set to NULL (on_delete=SET_NULL) with every other column unchanged. SQLite (the embedded
default) gets no trigger: the ORM guard of ``AuditEntry.save``/``delete`` stays, and Django's test flush deletes
rows on SQLite. TRUNCATE is not a row change and is left to the table's owner (the ADR says why)."""

from django.db import migrations

FUNCTION = "audit_entry_append_only"
TRIGGER = "audit_entry_append_only"

CREATE = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.actor_id IS NOT NULL AND NEW.actor_id IS NULL
       AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
        RETURN NEW;  -- the person was deleted: the entry keeps actor_repr, loses only the link
    END IF;
    RAISE EXCEPTION 'audit entries are append-only: % of entry % refused', TG_OP, OLD.id
        USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER {TRIGGER} BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION {FUNCTION}();
"""

DROP = f"""
DROP TRIGGER IF EXISTS {TRIGGER} ON audit_auditentry;
DROP FUNCTION IF EXISTS {FUNCTION}();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:  # no parameters: the % of RAISE stays as it is
            cursor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
