"""SQLite FTS5's bm25() in Python, for the candidate rows only.

Why not FTS5's own bm25(): before it scores the first row it counts, for each phrase of the
query, every row of the whole index that contains it (its IDF), a walk over the term's whole
doclist. For a word in half of a million notes that walk alone takes 15 ms, and a prefix
phrase ("word"*) costs another full merge of the doclists of every term it expands to. Here
the same formula runs over the few hundred candidates a search reads; the IDF comes from a
bounded count (``idf``).

The arithmetic is FTS5's (``fts5Bm25Function`` in fts5_aux.c: k1 = 1.2, b = 0.75, a row's
length is its tokens in every column, an IDF at or below zero becomes 1e-6), so on an index
small enough for exact counts the scores are FTS5's to the last digit (tests check it). The
tokens are read the way the ``unicode61 remove_diacritics 2`` tokenizer reads them: runs of
letters and digits, lower-cased, Latin accents dropped.
"""

from __future__ import annotations

import math
import re
import unicodedata

K1 = 1.2
B = 0.75
# Name columns weigh five times the rest (bm25(search_fts, 0, 0, 5, 1) in FTS5's terms).
NAME_WEIGHT = 5.0
BODY_WEIGHT = 1.0

_TOKEN = re.compile(r"[^\W_]+")
# The combining accents NFD splits off Latin, Greek and Cyrillic letters: what unicode61's
# remove_diacritics takes away.
_ACCENTS = re.compile("[\u0300-\u036f]")


def tokens(text: str) -> list[str]:
    if not text.isascii():
        text = _ACCENTS.sub("", unicodedata.normalize("NFD", text))
    return _TOKEN.findall(text.lower())


def occurrences(phrase: list[str], words: list[str]) -> int:
    """How often ``phrase`` (its last token a prefix, as in the query "a b"*) occurs."""
    if not phrase:
        return 0
    *exact, prefix = phrase
    if not exact:
        return sum(1 for word in words if word.startswith(prefix))
    span = len(phrase)
    found = 0
    for start in range(len(words) - span + 1):
        if words[start + span - 1].startswith(prefix) and words[start : start + span - 1] == exact:
            found += 1
    return found


def idf(rows: int, matching: int) -> float:
    value = math.log((rows - matching + 0.5) / (matching + 0.5))
    return value if value > 0 else 1e-6


def score(
    phrases: list[list[str]],
    weights: list[float],
    name: list[str],
    body: list[str],
    average_length: float,
) -> float:
    """bm25 of one row (its name and body tokens) for ``phrases`` weighted by their IDF;
    grows with relevance (FTS5's bm25() returns the negative)."""
    length = len(name) + len(body)
    norm = K1 * (1 - B + B * length / average_length) if average_length else K1
    total = 0.0
    for phrase, weight in zip(phrases, weights, strict=True):
        frequency = NAME_WEIGHT * occurrences(phrase, name) + BODY_WEIGHT * occurrences(
            phrase, body
        )
        if frequency:
            total += weight * frequency * (K1 + 1) / (frequency + norm)
    return total
