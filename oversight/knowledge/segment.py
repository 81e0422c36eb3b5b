"""Text into search terms, the same way for articles and for what a person types (pure Python, no Django).

- Chinese runs are segmented by jieba in search mode (``cut_for_search``: 打印机 also yields 打印), with a domain
  dictionary of hospital, system and vendor terms (``data/dictionary.txt``: 腕带打印机, 影像调阅, 护士站…).
  Terms of one Chinese character are dropped (了, 很, 慢 tell no fault from another).
- Everything else is split into words of letters and digits, lower-cased; a hyphen inside a word is dropped
  (Wi-Fi → wifi), a plural ``s`` is dropped from words of five letters or more (printers → printer, but not PACS,
  "class" or "his"); a short list of English stop words is dropped.

The terms only ever contain CJK characters or ``[a-z0-9]``, so PostgreSQL's ``simple`` text-search parser sees
each stored term as exactly one lexeme (ADR 0025). jieba loads its dictionary once per process, on first use.
"""

from __future__ import annotations

import logging
import re
import threading
from pathlib import Path

DICTIONARY = Path(__file__).parent / "data" / "dictionary.txt"

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_CJK_ONLY = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}$")
_INNER_HYPHEN = re.compile(r"(?<=[0-9a-z])-(?=[0-9a-z])")
_WORD = re.compile(r"[0-9a-z]+")
STOP_WORDS = frozenset(
    {
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "cannot", "do", "does", "for", "from",
        "how", "i", "if", "in", "is", "it", "its", "my", "no", "not", "of", "on", "or", "the", "this", "to",
        "was", "when", "with", "you", "your",
    }
)  # fmt: skip

_lock = threading.Lock()
_tokenizer = None


def tokenizer():
    """The process's jieba tokenizer with the domain dictionary, created on first use."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                made = jieba.Tokenizer()
                made.initialize()
                made.load_userdict(str(DICTIONARY))
                _tokenizer = made
    return _tokenizer


def _word(word: str) -> str:
    if len(word) >= 5 and word.endswith("s") and not word.endswith("ss") and not word.isdigit():
        return word[:-1]
    return word


def terms(text: str) -> list[str]:
    """The search terms of a text, in order, repeats kept (a term's frequency counts in the ranking)."""
    lowered = (text or "").lower()
    found: list[str] = []
    position = 0
    for run in _CJK_RUN.finditer(lowered):
        found += _latin(lowered[position : run.start()])
        found += [t for t in tokenizer().cut_for_search(run.group()) if _CJK_ONLY.match(t)]
        position = run.end()
    found += _latin(lowered[position:])
    return found


def _latin(text: str) -> list[str]:
    joined = _INNER_HYPHEN.sub("", text)
    return [_word(w) for w in _WORD.findall(joined) if w not in STOP_WORDS]


def stored(found: list[str]) -> str:
    """Terms as stored in a search column: separated by single spaces, with one space at each end, so that
    a term is found by looking for `` term `` (the portable fallback)."""
    return f" {' '.join(found)} " if found else ""
