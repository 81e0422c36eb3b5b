"""The reproducible prize draw (oversight.feedback.draw): pinned vectors, invariances, fairness."""

from __future__ import annotations

import hashlib
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oversight.feedback.draw import draw_winners, participants_digest, rank_participants, ticket

PEOPLE = ["alice", "bob", "carol", "dave", "erin"]


def test_pinned_vector_computed_with_coreutils_sha256sum():
    # for id in alice bob carol dave erin; do printf '%s' "2026Q1-draw-seed:$id" | sha256sum; done | sort
    #   5ff5222d...  dave
    #   6a71ef2e...  erin
    #   80b76d95...  alice
    #   9ced1e95...  bob
    #   b5820b3a...  carol
    assert draw_winners(PEOPLE, "2026Q1-draw-seed", 2) == ["dave", "erin"]
    assert draw_winners(PEOPLE, "2026Q1-draw-seed", 5) == ["dave", "erin", "alice", "bob", "carol"]
    assert ticket("2026Q1-draw-seed", "dave") == "5ff5222d42aeb5a197aa9c2dd2568ac490960e896fa354b4f2639598a6519eb5"
    # another seed (same command, "other-seed"): dave 09cf.., alice 64f5.., bob 7b97.., erin b6f3.., carol be4f..
    assert draw_winners(PEOPLE, "other-seed", 3) == ["dave", "alice", "bob"]
    # non-ASCII ids and seeds are hashed as UTF-8: printf '%s' "病房-7:护士张" | sha256sum
    assert ticket("病房-7", "护士张") == "56926d3b190eed7292f5490d693384310b853eb5257e80dca5945bf57a9debd0"


def test_the_docstring_recipe_gives_the_same_winners():
    ids = [f"user-{n}" for n in range(40)]
    seed = "lottery 2026-04-02 numbers 03 11 19 27 30 + 08"
    # the few lines a participant would run (module docstring)
    ranked = sorted(set(ids), key=lambda i: (hashlib.sha256(f"{seed}:{i}".encode()).hexdigest(), i))
    assert draw_winners(ids, seed, 5) == ranked[:5]
    assert [p for p, _ in rank_participants(ids, seed)] == ranked


def test_deterministic_order_independent_and_duplicates_count_once():
    seed = "seed-42"
    first = draw_winners(PEOPLE, seed, 3)
    assert draw_winners(PEOPLE, seed, 3) == first
    shuffled = PEOPLE[:]
    random.Random(7).shuffle(shuffled)
    assert draw_winners(shuffled, seed, 3) == first
    assert draw_winners(PEOPLE + PEOPLE + ["alice"], seed, 3) == first  # duplicates count once
    assert draw_winners(tuple(PEOPLE), seed, 3) == first
    assert draw_winners(set(PEOPLE), seed, 3) == first
    assert len(set(draw_winners(PEOPLE * 3, seed, 5))) == 5


def test_k_larger_than_the_field_returns_everyone_and_zero_returns_nobody():
    assert sorted(draw_winners(PEOPLE, "s", 50)) == sorted(PEOPLE)
    assert draw_winners(PEOPLE, "s", 50) == draw_winners(PEOPLE, "s", 5)
    assert draw_winners(PEOPLE, "s", 0) == []
    assert draw_winners([], "s", 3) == []


def test_more_winners_extend_the_list_of_fewer_winners():
    # The ranking is one total order: drawing k + 1 never changes the first k.
    for k in range(5):
        assert draw_winners(PEOPLE, "prefix", k + 1)[:k] == draw_winners(PEOPLE, "prefix", k)


def test_validation():
    with pytest.raises(ValueError, match="k must"):
        draw_winners(PEOPLE, "s", -1)
    with pytest.raises(ValueError, match="k must"):
        draw_winners(PEOPLE, "s", True)
    with pytest.raises(ValueError, match="k must"):
        draw_winners(PEOPLE, "s", 2.0)
    with pytest.raises(ValueError, match="seed"):
        draw_winners(PEOPLE, "", 1)
    with pytest.raises(ValueError, match="seed"):
        draw_winners(PEOPLE, "   ", 1)
    with pytest.raises(ValueError, match="seed"):
        draw_winners(PEOPLE, None, 1)
    with pytest.raises(ValueError, match="strings"):
        draw_winners([1, 2, 3], "s", 1)
    with pytest.raises(ValueError, match="strings"):
        draw_winners(["a", ""], "s", 1)
    with pytest.raises(ValueError, match="line breaks"):
        draw_winners(["a\nb"], "s", 1)
    with pytest.raises(ValueError, match="not one string"):
        draw_winners("alice", "s", 1)


def test_participants_digest_freezes_the_set():
    # sha256 of the sorted distinct ids joined by "\n", computed here directly
    expected = hashlib.sha256(b"alice\nbob\ncarol\ndave\nerin").hexdigest()
    assert participants_digest(PEOPLE) == expected
    assert participants_digest(list(reversed(PEOPLE)) + ["bob"]) == expected
    assert participants_digest(PEOPLE + ["frank"]) != expected


def test_every_participant_wins_about_equally_often_over_many_seeds():
    n, k, seeds = 10, 3, 3000
    ids = [f"p{i}" for i in range(n)]
    wins = dict.fromkeys(ids, 0)
    first_place = dict.fromkeys(ids, 0)
    for s in range(seeds):
        winners = draw_winners(ids, f"seed-{s}", k)
        for w in winners:
            wins[w] += 1
        first_place[winners[0]] += 1
    # each wins with probability k / n: expected 3000 x 3 / 10 = 900 wins
    expected = seeds * k / n
    chi2 = sum((o - expected) ** 2 / expected for o in wins.values())
    # chi-square with 9 degrees of freedom: P(chi2 > 27.88) = 0.001 for a fair draw
    assert chi2 < 27.88, (chi2, wins)
    # first place alone: expected 300 each
    expected_first = seeds / n
    chi2_first = sum((o - expected_first) ** 2 / expected_first for o in first_place.values())
    assert chi2_first < 27.88, (chi2_first, first_place)
    assert sum(wins.values()) == seeds * k


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.text(
            alphabet=st.characters(blacklist_characters="\n", blacklist_categories=("Cs",)), min_size=1, max_size=8
        ),
        max_size=15,
    ),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=20).filter(str.strip),
    st.integers(min_value=0, max_value=20),
    st.randoms(use_true_random=False),
)
def test_result_depends_only_on_the_set_and_the_seed(ids, seed, k, rnd):
    shuffled = ids[:]
    rnd.shuffle(shuffled)
    winners = draw_winners(ids, seed, k)
    assert winners == draw_winners(shuffled, seed, k)
    assert len(winners) == min(k, len(set(ids)))
    assert set(winners) <= set(ids)
    assert len(set(winners)) == len(winners)


def test_ids_and_seeds_that_cannot_be_encoded_are_refused_clearly():
    # A lone surrogate cannot be written as UTF-8, so nobody could re-run the draw from published text.
    with pytest.raises(ValueError):
        draw_winners(["a", "\ud800"], "seed", 1)
    with pytest.raises(ValueError):
        draw_winners(["a"], "se\ud800ed", 1)
