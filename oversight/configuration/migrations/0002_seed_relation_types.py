"""The four built-in relation types; each, read from its source, says what the source needs."""

from django.db import migrations

RELATION_TYPES = [
    # code, name, English, reverse name, English reverse, carries impact
    ("runs_on", "运行于", "runs on", "承载", "hosts", True),
    ("depends_on", "依赖于", "depends on", "被依赖于", "is needed by", True),
    ("connected_to", "连接到", "connected to", "连接着", "connects", True),
    ("provided_by", "由供应商平台提供", "provided by vendor", "提供", "provides", True),
]


def seed(apps, schema_editor):
    RelationType = apps.get_model("configuration", "RelationType")
    for code, name, name_en, reverse_name, reverse_name_en, propagates in RELATION_TYPES:
        RelationType.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "reverse_name": reverse_name,
                "reverse_name_en": reverse_name_en,
                "propagates": propagates,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("configuration", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
