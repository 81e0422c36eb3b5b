"""The data migration that gives existing commitment results the English name of their commitment."""

from __future__ import annotations

import importlib

from django.apps import apps

from oversight.scorecards.models import CommitmentResult


def test_existing_commitment_results_get_their_commitments_english_name(world, q3):
    migration = importlib.import_module("oversight.scorecards.migrations.0005_backfill_commitmentresult_name_en")
    results = {r.code: r for r in q3.commitment_results.select_related("commitment")}
    response, resolution, csat = results["response"], results["resolution"], results["csat"]
    for commitment, english in ((response.commitment, "Response time"), (resolution.commitment, "Resolution time")):
        commitment.name_en = english
        commitment.save(update_fields=["name_en"])
    # As rows computed before 0004: no English name. One was already filled in by a recompute and is kept.
    CommitmentResult.objects.filter(period=q3).update(name_en="")
    CommitmentResult.objects.filter(pk=resolution.pk).update(name_en="Kept as computed")
    migration.forwards(apps, None)
    assert dict(CommitmentResult.objects.filter(period=q3).values_list("code", "name_en")) == {
        "response": "Response time",
        "resolution": "Kept as computed",
        "csat": "",  # its commitment has no English name: nothing to copy
    }
    assert csat.commitment.name_en == ""
