"""The organisation's risk matrix as data: seeded once on demand, corrected in place while unused, a new
version once a rating uses it (old ratings keep theirs), validation in plain language, admins only."""

from __future__ import annotations

from decimal import Decimal

import pytest

from oversight.core.errors import ApplicationError, NotAllowed
from oversight.risks import services
from oversight.risks.models import RiskMatrix, RiskMatrixVersion


def _content(**changes):
    content = services.default_content()
    content.update(changes)
    return content


def test_the_default_matrix_is_seeded_once(world):
    first = services.risk_matrix_ensure(organisation=world.org)
    again = services.risk_matrix_ensure(organisation=world.org)
    assert first.pk == again.pk
    version = services.risk_matrix_current(organisation=world.org)
    assert (version.number, version.probability_levels, version.impact_levels) == (1, 5, 5)
    assert [b["level"] for b in version.bands] == ["low", "medium", "high", "very_high"]
    assert RiskMatrix.objects.count() == 1


def test_an_unused_version_is_corrected_in_place_and_a_used_one_gets_a_successor(world, make_risk):
    admin = world.users["client_admin"]
    services.risk_matrix_ensure(organisation=world.org)
    ten = [
        {"start": start, "level": level, "colour": "#123456", "review_days": days}
        for start, level, days in (("0", "low", 365), ("2", "medium", 180), ("4", "high", 90), ("7", "very_high", 30))
    ]
    same = services.risk_matrix_version_save(
        actor=admin, organisation=world.org, content=_content(normalise=True, bands=ten), note="0–10"
    )
    assert same.number == 1 and same.normalise
    risk = make_risk()
    old = services.risk_rating_record(
        risk=risk, kind="current", probability_level=5, impact_level=5, reason="", actor=admin
    )
    assert old.score == Decimal("10.00")
    bands = [
        {"start": "0", "level": "low", "colour": "#00ff00", "review_days": 365},
        {"start": "5", "level": "high", "colour": "#ff0000", "review_days": 60},
    ]
    new = services.risk_matrix_version_save(
        actor=admin, organisation=world.org, content=_content(formula="sum", bands=bands), note="Sum"
    )
    assert new.number == 2
    old.refresh_from_db()
    assert old.matrix_version.number == 1 and old.score == Decimal("10.00")
    assert RiskMatrixVersion.objects.get(number=1).normalise is True
    rated = services.risk_rating_record(
        risk=risk, kind="current", probability_level=1, impact_level=2, reason="", actor=admin
    )
    assert (rated.matrix_version_id, rated.score, rated.level) == (new.pk, Decimal(3), "low")


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"probability_labels": [{"zh": "低", "en": "Low"}] * 2}, "3 to 7"),
        ({"impact_labels": [{"zh": "", "en": "x"}] * 5}, "Chinese and in English"),
        ({"formula": "ratio"}, "score formulas"),
        ({"formula": "table", "cell_scores": [[1, 2]]}, "every cell"),
        ({"bands": [{"start": "3", "level": "low", "colour": "#000000", "review_days": 30}]}, "lowest score"),
        ({"bands": [{"start": "1", "level": "low", "colour": "red", "review_days": 30}]}, "colour"),
        ({"bands": [{"start": "1", "level": "low", "colour": "#000000", "review_days": 0}]}, "3650"),
        (
            {
                "bands": [
                    {"start": "1", "level": "high", "colour": "#000000", "review_days": 30},
                    {"start": "5", "level": "low", "colour": "#000000", "review_days": 30},
                ]
            },
            "higher levels",
        ),
    ],
)
def test_bad_matrices_are_refused_in_plain_language(world, changes, words):
    with pytest.raises(ApplicationError, match=words):
        services.risk_matrix_version_save(
            actor=world.users["client_admin"], organisation=world.org, content=_content(**changes)
        )


def test_a_table_matrix_scores_from_its_cells(world, make_risk):
    admin = world.users["client_admin"]
    table = [[i + p + 1 for i in range(5)] for p in range(5)]
    services.risk_matrix_version_save(
        actor=admin, organisation=world.org, content=_content(formula="table", cell_scores=table)
    )
    rating = services.risk_rating_record(
        risk=make_risk(), kind="inherent", probability_level=3, impact_level=4, reason="", actor=admin
    )
    assert rating.score == Decimal(6)  # row 3, column 4 of the table: 2 + 3 + 1


@pytest.mark.parametrize("role", ["client_supervisor", "executive", "foreign_admin"])
def test_only_the_organisations_administrator_changes_the_matrix(world, role):
    with pytest.raises(NotAllowed):
        services.risk_matrix_version_save(actor=world.users[role], organisation=world.org, content=_content())
