"""PostgreSQL full-text search: one tsvector expression per kind, each with a GIN index on
exactly that expression (created by this app's migration), ranked with ts_rank.

No shared table and no triggers: the index follows the rows by itself. The 'simple'
configuration (no stemming, no stop words) matches what SQLite's unicode61 tokenizer does, so
the two backends find the same rows for the same words.
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db.models import F, Model, TextField, Value
from django.db.models.functions import Concat

CONFIG = "simple"


def _models() -> dict[str, tuple[type[Model], list[str], list[str]]]:
    from coffeechat.contacts.models import Contact
    from coffeechat.conversations.models import Learning
    from coffeechat.notes.models import Note
    from coffeechat.organizations.models import Organization

    return {
        "contact": (
            Contact,
            ["first_name", "last_name"],
            ["title", "email", "connection_detail", "notes"],
        ),
        "organization": (Organization, ["name"], ["industry", "notes"]),
        "note": (Note, [], ["text"]),
        "learning": (Learning, [], ["text"]),
    }


def vector(kind: str) -> Any:
    """The document of one kind: name fields weigh A, the rest B (like bm25's 5:1 on SQLite)."""
    _, names, bodies = _models()[kind]
    body = SearchVector(*bodies, config=CONFIG, weight="B")
    return SearchVector(*names, config=CONFIG, weight="A") + body if names else body


def indexes() -> list[tuple[type[Model], Any]]:
    from django.contrib.postgres.indexes import GinIndex

    return [
        (model, GinIndex(vector(kind), name=f"search_{kind}_gin"))
        for kind, (model, _, _) in _models().items()
    ]


def search(owner_id: int, terms: list[str], limit: int) -> list[tuple[str, int, float, str]]:
    query = SearchQuery(" & ".join(f"{term}:*" for term in terms), config=CONFIG, search_type="raw")
    hits: list[tuple[str, int, float, str]] = []
    for kind, (model, _, bodies) in _models().items():
        text = Concat(
            *[part for b in bodies for part in (F(b), Value(" "))], output_field=TextField()
        )
        rows = (
            model._default_manager.filter(owner_id=owner_id)
            .annotate(document=vector(kind))
            .filter(document=query)
            .annotate(
                rank=SearchRank(vector(kind), query),
                snippet=SearchHeadline(
                    text,
                    query,
                    config=CONFIG,
                    start_sel="\x02",
                    stop_sel="\x03",
                    max_words=24,
                    min_words=8,
                ),
            )
            .order_by("-rank", "pk")
            .values_list("pk", "rank", "snippet")[:limit]
        )
        hits += [(kind, pk, float(rank), snippet or "") for pk, rank, snippet in rows]
    hits.sort(key=lambda hit: -hit[2])
    return hits[:limit]


# The contact list's search box matches any part of these columns (icontains, which Django
# writes as UPPER(column::text) LIKE UPPER(...)). A trigram GIN index on exactly that
# expression lets PostgreSQL answer from the index instead of upper-casing every row.
TRIGRAM_COLUMNS = [
    ("contacts_contact", "first_name"),
    ("contacts_contact", "last_name"),
    ("contacts_contact", "email"),
    ("contacts_contact", "title"),
    ("organizations_organization", "name"),
]


def trigram_sql() -> list[str]:
    return [
        f'CREATE INDEX IF NOT EXISTS "{table}_{column}_trgm" ON "{table}" '
        f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        for table, column in TRIGRAM_COLUMNS
    ]


def drop_trigram_sql() -> list[str]:
    return [f'DROP INDEX IF EXISTS "{table}_{column}_trgm"' for table, column in TRIGRAM_COLUMNS]
