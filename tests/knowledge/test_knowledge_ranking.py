"""The ranking with plain values, against a hand computation (knowledge.ranking's docstring is the spec)."""

from __future__ import annotations

import math

import pytest

from oversight.knowledge import ranking
from oversight.knowledge.ranking import Document


def corpus():
    # Three articles searched: the third holds no query term (length 6); mean length (4 + 2 + 6) / 3 = 4.
    d1 = Document(id=1, title_terms=["打印机", "卡纸"], body_terms=["打开", "后盖"], category_id=None, solved=3)
    d2 = Document(id=2, title_terms=["vpn"], body_terms=["打印机"], category_id=7, solved=0)
    return [d1, d2]


def test_bm25_against_a_hand_computation():
    # idf(打印机) = ln(1 + (3 − 2 + 0.5) / (2 + 0.5)) = ln 1.6 = 0.470004
    # idf(卡纸)   = ln(1 + (3 − 1 + 0.5) / (1 + 0.5)) = ln 2.666667 = 0.980829
    # d1: tf = 2·1 = 2 for both terms (title), norm = 1.2·(0.25 + 0.75·4/4) = 1.2,
    #     each term idf·2·2.2/(2 + 1.2) = idf·1.375 → 1.375·(0.470004 + 0.980829) = 1.994895
    # d2: tf(打印机) = 1 (text), norm = 1.2·(0.25 + 0.75·2/4) = 0.75 → 0.470004·2.2/1.75 = 0.590862
    found = ranking.rank(["打印机", "卡纸"], corpus(), size=3, average_length=4.0)
    assert [r.id for r in found] == [1, 2]
    assert found[0].relevance == pytest.approx(1.994895, abs=1e-6)
    assert found[1].relevance == pytest.approx(0.590862, abs=1e-6)
    # Boosts: d1 solved 3 work orders: × (1 + 0.1·ln 4) = × 1.138629 → 2.271446; d2 has no category asked for.
    assert found[0].score == pytest.approx(2.271446, abs=1e-6)
    assert found[1].score == pytest.approx(0.590862, abs=1e-6)


def test_category_boost_multiplies_by_one_point_three():
    found = ranking.rank(["打印机", "卡纸"], corpus(), size=3, average_length=4.0, category_id=7)
    by_id = {r.id: r for r in found}
    assert by_id[2].category_match and not by_id[1].category_match
    assert by_id[2].score == pytest.approx(0.590862 * 1.3, abs=1e-6)


def test_boosts_reorder_equally_relevant_articles_and_ties_go_to_the_lower_id():
    same = {"title_terms": ["vpn"], "body_terms": ["证书"]}
    docs = [Document(id=5, **same), Document(id=4, **same), Document(id=6, solved=1, **same)]
    assert [r.id for r in ranking.rank(["vpn"], docs, size=3, average_length=2.0)] == [6, 4, 5]
    docs.append(Document(id=9, category_id=2, **same))
    assert [r.id for r in ranking.rank(["vpn"], docs, size=4, average_length=2.0, category_id=2)][:2] == [9, 6]
    # 1.3 against 1 + 0.1·ln 2 = 1.0693: the category counts more than one solved work order.
    assert 1 + ranking.SOLVED_BOOST * math.log(2) < 1 + ranking.CATEGORY_BOOST


def test_title_terms_weigh_more_than_text_terms():
    in_title = Document(id=1, title_terms=["wifi"], body_terms=["病房"])
    in_text = Document(id=2, title_terms=["病房"], body_terms=["wifi"])
    found = ranking.rank(["wifi"], [in_title, in_text], size=2, average_length=2.0)
    assert [r.id for r in found] == [1, 2] and found[0].score > found[1].score


def test_no_shared_term_no_result_and_limit():
    docs = [Document(id=i, title_terms=["pacs"], body_terms=[]) for i in range(1, 9)]
    assert ranking.rank(["his"], docs, size=8, average_length=1.0) == []
    assert ranking.rank([], docs, size=8, average_length=1.0) == []
    assert [r.id for r in ranking.rank(["pacs"], docs, size=8, average_length=1.0)] == [1, 2, 3, 4, 5]
