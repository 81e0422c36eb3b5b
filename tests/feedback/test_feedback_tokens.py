"""Single-use rating tokens (oversight.feedback.tokens): entropy, hashing, tamper and abuse inputs."""

from __future__ import annotations

import base64
import hashlib
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oversight.feedback.tokens import (
    TOKEN_BYTES,
    TOKEN_LENGTH,
    hash_token,
    is_well_formed,
    lookup_hash,
    new_token,
    token_matches,
)

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def test_new_token_has_at_least_128_bits_and_only_its_hash_is_stored():
    token, stored = new_token()
    assert len(token) == TOKEN_LENGTH == 43
    assert set(token) <= set(ALPHABET)
    raw = base64.urlsafe_b64decode(token + "=")
    assert len(raw) * 8 == TOKEN_BYTES * 8 == 256 >= 128
    assert stored == hashlib.sha256(token.encode()).hexdigest()  # computed independently
    assert stored != token and token not in stored
    assert hash_token(token) == stored == lookup_hash(token)
    assert token_matches(token, stored)


def test_tokens_are_unique_and_look_random():
    tokens = [new_token()[0] for _ in range(2000)]
    assert len(set(tokens)) == 2000
    # every alphabet character shows up at the first position across 2000 draws (64 symbols, ~31 each)
    assert set(t[0] for t in tokens) == set(ALPHABET)


def test_a_foreign_or_tampered_token_does_not_match():
    token, stored = new_token()
    other, other_stored = new_token()
    assert not token_matches(other, stored)
    assert not token_matches(token, other_stored)
    # change one character in the middle to another valid one
    i = 10
    swapped = ALPHABET[(ALPHABET.index(token[i]) + 1) % 64]
    tampered = token[:i] + swapped + token[i + 1 :]
    assert is_well_formed(tampered)
    assert not token_matches(tampered, stored)


def test_non_canonical_last_character_is_rejected_as_tampering():
    # 43 characters carry 258 bits; the last character's two low bits must be zero (index % 4 == 0)
    token, stored = new_token()
    assert ALPHABET.index(token[-1]) % 4 == 0
    altered = token[:-1] + ALPHABET[ALPHABET.index(token[-1]) + 1]  # same 32 bytes after decoding
    assert base64.urlsafe_b64decode(altered + "=") == base64.urlsafe_b64decode(token + "=")
    assert not is_well_formed(altered)
    assert not token_matches(altered, stored)
    assert lookup_hash(altered) is None


@pytest.mark.parametrize(
    "bad",
    [
        None,
        42,
        b"A" * 43,
        "",
        "A" * 42,
        "A" * 44,
        "A" * 42 + "=",  # padding
        "A" * 42 + " ",
        " " + "A" * 42,
        "A" * 21 + "+" + "A" * 21,  # standard (not URL-safe) base64
        "A" * 21 + "/" + "A" * 21,
        "A" * 42 + "\n",
        "Ａ" * 43,  # full-width lookalikes
        "A" * 21 + "\x00" + "A" * 21,
        "' OR 1=1 --" + "A" * 32,
    ],
)
def test_odd_input_is_rejected_without_exceptions(bad):
    _, stored = new_token()
    assert not is_well_formed(bad)
    assert lookup_hash(bad) is None
    assert token_matches(bad, stored) is False
    with pytest.raises(ValueError):
        hash_token(bad)


@pytest.mark.parametrize(
    "bad_hash",
    [None, "", "0" * 63, "0" * 65, "G" * 64, "ＡＡ", 12345, b"0" * 64, "é" * 64],
)
def test_a_malformed_stored_hash_never_matches_and_never_raises(bad_hash):
    token, stored = new_token()
    assert token_matches(token, bad_hash) is False
    assert token_matches(token, stored.upper()) is False  # we store lowercase hex only


def test_huge_input_is_rejected_quickly():
    huge = "A" * 5_000_000
    _, stored = new_token()
    start = time.perf_counter()
    for _ in range(100):
        assert not token_matches(huge, stored)
        assert not token_matches(stored, huge)
    assert time.perf_counter() - start < 0.5


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=60), st.binary(max_size=60), st.integers(), st.none()), st.text(max_size=70))
def test_arbitrary_input_never_raises(token, stored):
    assert token_matches(token, stored) in (True, False)
    assert is_well_formed(token) in (True, False)
    assert lookup_hash(token) is None or len(lookup_hash(token)) == 64
