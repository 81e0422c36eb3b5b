"""On PostgreSQL, a GIN index on the articles' pre-segmented terms as a `simple` tsvector (ADR 0025).

The model stays portable (plain text columns); the index is an expression index, so PostgreSQL stores the
tsvector of ``search_title || search_body`` in it and `knowledge.search` selects candidates with ``@@``. SQLite
gets no index: its fallback reads the organisation's published articles by term containment.
"""

from django.db import migrations

INDEX = "knowledge_article_search_gin"
EXPRESSION = "to_tsvector('simple'::regconfig, search_title || ' ' || search_body)"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON knowledge_article USING gin ({EXPRESSION})")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
