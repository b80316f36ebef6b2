"""The word folding behind recurring themes (core/language.py): every form of a word is one
theme, and the words every conversation is full of are none."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coffeechat.core.language import STOP_WORDS, is_stop, stem, terms, words

FAMILIES = [
    ("hire", "hires", "hired", "hiring"),
    ("travel", "travels", "travelled", "travelling", "traveled", "traveling"),
    ("territory", "territories"),
    ("study", "studies", "studied", "studying"),
    ("agree", "agrees", "agreed", "agreeing"),
    ("process", "processes"),
    ("call", "calls", "called", "calling"),
    ("quota", "quotas"),
    ("stop", "stops", "stopped", "stopping"),
    ("manage", "manages", "managed", "managing"),
    ("weekend", "weekends"),
    ("reach", "reaches", "reached"),
    ("box", "boxes"),
    ("child", "children"),
    ("pay", "pays", "paid", "paying"),
    ("sell", "sells", "sold", "selling"),
]


@pytest.mark.parametrize("family", FAMILIES, ids=[f[0] for f in FAMILIES])
def test_every_form_of_a_word_folds_to_one_stem(family: tuple[str, ...]) -> None:
    assert len({stem(word) for word in family}) == 1, {word: stem(word) for word in family}


def test_different_words_keep_different_stems() -> None:
    assert len({stem(w) for w in ("hire", "hour", "sales", "sell", "territory", "travel")}) == 6
    # Words ending in s that are not plurals keep it.
    assert stem("status") != stem("statue")
    assert stem("analysis") == "analysis"


def test_noise_words_are_stop_words() -> None:
    for word in ("two", "ask", "asked", "days", "weeks", "years", "said", "really", "thing"):
        assert is_stop(word), word
    assert all(w == w.lower() for w in STOP_WORDS)
    for word in ("travel", "quota", "territory", "pager", "weekend", "hospital"):
        assert not is_stop(word), word


def test_terms_are_words_and_two_word_phrases_within_a_clause() -> None:
    found = {spelling for _, spelling in terms("She asked about travel. Long hours, two days.")}
    # "ask" is noise; no phrase across a stop word or a sentence's end; "long" only in a phrase.
    assert found == {"travel", "long hours"}
    assert {spelling for _, spelling in terms("Windshield time wears you down")} == {
        "windshield",
        "windshield time",
        "wears",
        "time wears",
    }


def test_words_read_typographic_apostrophes_and_hyphens() -> None:
    assert words("Dana’s on-call week") == ["dana's", "on-call", "week"]
    assert stem("Dana’s") == stem("dana")


@given(st.text(max_size=200))
def test_any_text_folds_without_failing(text: str) -> None:
    for key, spelling in terms(text):
        assert 1 <= len(key) <= 2
        assert all(part for part in key)
        assert spelling == spelling.lower()
