"""Search keeps the best rows without ranking every match (issue 13), on SQLite and PostgreSQL:
the best-ranked rows come first, never more than the limit, a name match is not crowded out by
a word that fills titles, and the statements a search runs do not grow with its matches."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coffeechat.contacts.models import Contact
from coffeechat.notes.models import Note
from coffeechat.search import postgres, sqlite
from coffeechat.search.selectors import search

pytestmark = pytest.mark.django_db

FILLER = "spoke about the team and the week ahead with a few more words of filler text"


def _notes(owner, contact, texts: list[str]) -> None:
    for text in texts:
        Note.objects.create(owner=owner, contact=contact, text=text)


def _full_ranking(owner_id: int, word: str) -> list[tuple[str, int]]:
    """Every match of ``word`` ranked by the database itself, with nothing left out: what the
    bounded search must agree with while the matches fit in its candidates."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT kind, rowid & ((1 << 40) - 1) FROM search_fts "
                "WHERE search_fts MATCH %s AND owner_id = %s "
                "ORDER BY bm25(search_fts, 0, 0, 5.0, 1.0), kind, rowid",
                [f'"{word}"*', owner_id],
            )
            return [(kind, pk) for kind, pk in cursor.fetchall()]
        cursor.execute(
            "SELECT id FROM notes_note WHERE owner_id = %s AND search_document @@ "
            "to_tsquery('simple', %s) ORDER BY ts_rank(search_document, "
            "to_tsquery('simple', %s)) DESC, id",
            [owner_id, f"{word}:*", f"{word}:*"],
        )
        return [("note", pk) for (pk,) in cursor.fetchall()]


def test_search_keeps_the_best_ranked_rows_first_and_at_most_the_limit(owner, outsider) -> None:
    contact = Contact.objects.create(owner=owner, first_name="Ines", last_name="Alvarez")
    theirs = Contact.objects.create(owner=outsider, first_name="Omar", last_name="Haddad")
    # 40 matching notes of different strengths: the word once in a long note, twice, or in a
    # short one; the newest are the weakest, so keeping the newest would be wrong.
    texts = [f"formulary review {FILLER} {FILLER}" for _ in range(20)]
    texts += [f"formulary and formulary again {FILLER}" for _ in range(10)]
    texts += ["formulary decisions", "formulary formulary formulary tiers"]
    texts += [f"{FILLER} formulary {FILLER} {FILLER} {FILLER}" for _ in range(8)]
    _notes(owner, contact, texts)
    _notes(outsider, theirs, ["formulary formulary formulary formulary"] * 5)
    hits = search(user=owner, q="formulary", limit=7)
    assert len(hits) == 7
    assert [(hit.kind, hit.id) for hit in hits] == _full_ranking(owner.pk, "formulary")[:7]
    assert [hit.rank for hit in hits] == sorted((hit.rank for hit in hits), reverse=True)
    assert Note.objects.get(pk=hits[0].id).text == "formulary formulary formulary tiers"
    assert all(Note.objects.get(pk=hit.id).owner_id == owner.pk for hit in hits)
    assert len(search(user=owner, q="formulary", limit=50)) == 40


def test_a_name_match_is_not_crowded_out_by_a_word_in_many_titles(owner) -> None:
    grant = Contact.objects.create(owner=owner, first_name="Grant", last_name="Okafor")
    # More newer people with the word in their title than a search reads per kind.
    Contact.objects.bulk_create(
        Contact(owner=owner, first_name=f"P{n}", last_name="Lee", title="Grant writer")
        for n in range(max(sqlite.CANDIDATES, postgres.CANDIDATES) + 20)
    )
    hits = search(user=owner, q="grant", limit=5)
    assert hits[0].kind == "contact" and hits[0].id == grant.pk
    assert len(hits) == 5


def test_the_statements_of_a_search_do_not_grow_with_its_matches(owner) -> None:
    contact = Contact.objects.create(owner=owner, first_name="Ines", last_name="Alvarez")
    counts = []
    for total in (5, 60):
        _notes(owner, contact, [f"pipeline {FILLER}"] * (total - Note.objects.count()))
        with CaptureQueriesContext(connection) as queries:
            hits = search(user=owner, q="pipeline", limit=20)
        assert len(hits) == min(total, 20)
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5's bm25() is SQLite's")
def test_sqlite_ranks_are_fts5_bm25_of_the_same_rows(owner) -> None:
    contact = Contact.objects.create(
        owner=owner, first_name="Lucía", last_name="Fernández", title="Cardiac rhythm specialist"
    )
    _notes(
        owner,
        contact,
        ["Cardiac devices, rhythm management", "cardiology", "rhythm rhythm", FILLER],
    )
    for q, match in [
        ("cardi", '"cardi"*'),
        ("rhythm", '"rhythm"*'),
        ("lucía", '"lucía"*'),
        ("cardiac rhythm", '"cardiac"* AND "rhythm"*'),
    ]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT kind, rowid & ((1 << 40) - 1), -bm25(search_fts, 0, 0, 5.0, 1.0) "
                "FROM search_fts WHERE search_fts MATCH %s AND owner_id = %s",
                [match, owner.pk],
            )
            expected = {(kind, pk): rank for kind, pk, rank in cursor.fetchall()}
        hits = search(user=owner, q=q, limit=50)
        assert expected and {(hit.kind, hit.id) for hit in hits} == set(expected), q
        for hit in hits:
            assert hit.rank == pytest.approx(expected[hit.kind, hit.id], rel=1e-9), q


def test_candidates_are_bounded_and_an_old_match_is_still_found(owner, monkeypatch) -> None:
    """With room for 4 candidates per kind (and, on PostgreSQL, a window of the 3 newest ids),
    a word in 12 notes gives 4 hits, not 12: the search did not rank every match. A word only
    in the oldest note, behind newer ones, is still found."""
    monkeypatch.setattr(sqlite, "CANDIDATES", 4)
    monkeypatch.setattr(postgres, "CANDIDATES", 4)
    monkeypatch.setattr(postgres, "WINDOW", 3)
    contact = Contact.objects.create(owner=owner, first_name="Ines", last_name="Alvarez")
    _notes(owner, contact, ["zanzibar trip notes"] + [f"pipeline {FILLER}"] * 12)
    assert len(search(user=owner, q="pipeline", limit=50)) == 4
    assert [hit.snippet for hit in search(user=owner, q="zanzibar")] == [
        "<mark>zanzibar</mark> trip notes"
    ]


@pytest.mark.parametrize("warm", [3, 25])
def test_people_at_a_large_employer_come_in_the_same_order_without_sorting_them_all(
    owner, monkeypatch, warm
) -> None:
    """Past PEOPLE_SORTED people at the organizations found, the warmest are read in order in
    two steps instead of all read and sorted; the list is the same, with fewer warm people
    than room and with more."""
    from datetime import date

    from coffeechat.organizations.models import Organization
    from coffeechat.search import selectors

    acme = Organization.objects.create(owner=owner, name="Acme Diagnostics")
    other = Organization.objects.create(owner=owner, name="Acme Labs")
    for n in range(60):
        Contact.objects.create(
            owner=owner,
            first_name=f"P{n:02d}",
            last_name=["Lee", "Abe", "Zhu"][n % 3],
            organization=[acme, other][n % 2],
            last_interaction=date(2026, 1 + n % 12, 1 + n % 27) if n < warm else None,
        )
    Contact.objects.create(owner=owner, first_name="Acme", last_name="Fan")  # found by name
    sorted_all = [(hit.kind, hit.id, hit.snippet) for hit in search(user=owner, q="acme")]
    monkeypatch.setattr(selectors, "PEOPLE_SORTED", 10)
    in_order = [(hit.kind, hit.id, hit.snippet) for hit in search(user=owner, q="acme")]
    assert in_order == sorted_all
    assert len(sorted_all) == 20 and sum(kind == "contact" for kind, _, _ in sorted_all) == 18


def test_a_prefix_finds_the_same_rows_listed_word_by_word_or_left_to_fts5(
    owner, monkeypatch
) -> None:
    """On SQLite a word becomes an OR of the indexed words it begins, or, past EXPANSIONS of
    them, FTS5's own prefix query: the same rows and ranks either way."""
    contact = Contact.objects.create(owner=owner, first_name="Ines", last_name="Alvarez")
    _notes(owner, contact, ["cardiac", "cardio rounds", "cardiology cardiology", "cardinal", "car"])

    def found() -> list[tuple[int, float]]:
        return [(hit.id, round(hit.rank, 9)) for hit in search(user=owner, q="card")]

    listed = found()
    monkeypatch.setattr(sqlite, "EXPANSIONS", 2)
    assert found() == listed and len(listed) == 4


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN path is PostgreSQL's")
def test_a_word_rare_among_the_owners_rows_is_read_through_the_index(
    owner, outsider, monkeypatch
) -> None:
    """A prefix query gets a fixed 0.5% estimate, so PostgreSQL walked every note of the owner
    for a word in a handful of them. A sample of the owner's rows decides: a rare word is read
    through the GIN index (and still found whole, only the owner's), a common one by the walk
    that stops at its candidates."""
    monkeypatch.setattr(postgres, "SAMPLE", 40)
    monkeypatch.setattr(postgres, "SCAN_BUDGET", 150)
    monkeypatch.setattr(postgres, "CANDIDATES", 10)
    monkeypatch.setattr(postgres, "WINDOW", 0)
    contact = Contact.objects.create(owner=owner, first_name="Ines", last_name="Alvarez")
    theirs = Contact.objects.create(owner=outsider, first_name="Omar", last_name="Haddad")
    texts = [f"pipeline {FILLER}"] * 60
    texts[7] = texts[33] = "zanubrutinib dosing questions"
    _notes(owner, contact, texts)
    _notes(outsider, theirs, ["zanubrutinib elsewhere"] * 3)
    with connection.cursor() as cursor:
        assert postgres._rare(cursor, "notes_note", owner.pk, "zanubrutinib:*")
        assert not postgres._rare(cursor, "notes_note", owner.pk, "pipeline:*")
    with CaptureQueriesContext(connection) as queries:
        hits = search(user=owner, q="zanubrutinib", limit=20)
    assert sorted(hit.id for hit in hits) == sorted(
        Note.objects.filter(owner=owner, text__startswith="zanubrutinib").values_list(
            "pk", flat=True
        )
    )
    ranked = next(q["sql"] for q in queries.captured_queries if "ts_rank" in q["sql"])
    assert "MATERIALIZED" in ranked
    assert len(search(user=owner, q="pipeline", limit=50)) == 10
