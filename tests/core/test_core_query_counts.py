"""The table of pinned query counts is the one place: every entry is used, no test captures queries itself,
and the helpers fail on growth, on an exact pin missed, on a ceiling passed and on an unlisted name."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.query_counts import QUERY_COUNTS, assert_flat, assert_within, count_queries

TESTS = Path(__file__).resolve().parents[1]
HELPERS = {"assert_flat", "assert_within"}
CAPTURING = ("CaptureQueriesContext", "django_assert_num_queries", "django_assert_max_num_queries", "assertNumQueries")


def other_test_sources() -> dict[Path, str]:
    """Every test module's source, except the table itself and this test."""
    skip = {TESTS / "query_counts.py", Path(__file__).resolve()}
    return {p: p.read_text(encoding="utf-8") for p in TESTS.rglob("*.py") if p not in skip}


def test_every_pinned_name_is_checked_by_some_test():
    text = "\n".join(other_test_sources().values())
    unused = [name for name in QUERY_COUNTS if f'"{name}"' not in text]
    assert unused == []


def test_every_literal_name_given_to_the_helpers_is_in_the_table():
    named = set()
    for source in other_test_sources().values():
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in HELPERS and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    named.add(first.value)
    assert named, "no test uses the helpers"
    assert named - set(QUERY_COUNTS) == set()


def test_no_test_counts_queries_outside_the_shared_helper():
    offenders = sorted(
        str(path.relative_to(TESTS))
        for path, source in other_test_sources().items()
        if any(word in source for word in CAPTURING)
    )
    assert offenders == []


def test_the_helpers_fail_on_growth_an_exact_pin_a_ceiling_and_an_unknown_name(monkeypatch):
    from tests import query_counts

    monkeypatch.setitem(query_counts.QUERY_COUNTS, "test.exact", query_counts.Pin(exact=2))
    monkeypatch.setitem(query_counts.QUERY_COUNTS, "test.ceiling", query_counts.Pin(ceiling=3))
    monkeypatch.setitem(query_counts.QUERY_COUNTS, "test.flat", query_counts.GROWS_NOT)
    assert_flat("test.exact", 2, 2)
    assert_flat("test.ceiling", 3, 3)
    assert_flat("test.flat", 40, 40)
    assert_within("test.ceiling", 1)
    with pytest.raises(AssertionError, match="grows with the rows"):
        assert_flat("test.flat", 4, 5)
    with pytest.raises(AssertionError, match="exactly 2"):
        assert_flat("test.exact", 1, 1)
    with pytest.raises(AssertionError, match="ceiling is 3"):
        assert_within("test.ceiling", 4)
    with pytest.raises(KeyError, match="not in tests/query_counts.py"):
        assert_flat("test.unknown", 1, 1)


def test_count_queries_counts_the_queries_of_the_block(db):
    from oversight.tenancy.models import Organisation

    with count_queries() as none:
        pass
    with count_queries() as two:
        list(Organisation.objects.all())
        Organisation.objects.count()
    assert (len(none), len(two)) == (0, 2)
