"""Existing commitment results get the English name of their commitment (0004 added the column empty; only a
recompute filled it, and frozen periods are never recomputed)."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def forwards(apps, schema_editor):
    """Copy each commitment's English name onto its results that have none (rows already filled are kept)."""
    CommitmentResult = apps.get_model("scorecards", "CommitmentResult")
    ContractCommitment = apps.get_model("contracts", "ContractCommitment")
    english = ContractCommitment.objects.filter(pk=OuterRef("commitment_id")).values("name_en")[:1]
    CommitmentResult.objects.filter(name_en="").exclude(commitment__name_en="").update(name_en=Subquery(english))


class Migration(migrations.Migration):
    dependencies = [
        ("scorecards", "0004_commitmentresult_name_en"),
        ("contracts", "0003_contractcommitment_name_en"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
