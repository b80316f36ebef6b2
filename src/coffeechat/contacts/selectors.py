from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.contrib.auth.models import User
from django.db import connection
from django.db.models import BigIntegerField, CharField, F, Func, Prefetch, Q, QuerySet, Value
from django.db.models.expressions import OrderBy, RawSQL
from django.db.models.functions import Cast

from coffeechat.contacts import trigrams
from coffeechat.contacts.identity import linkedin_key, name_key
from coffeechat.contacts.models import Contact, NotDuplicate, Tag
from coffeechat.organizations.models import Organization

DETAIL_LIMIT = 25

SORTS: dict[str, tuple[str | OrderBy, ...]] = {
    "name": ("last_name", "first_name", "id"),
    # Never-contacted people last on both databases (PostgreSQL puts NULL first otherwise).
    "recent": (F("last_interaction").desc(nulls_last=True), "last_name", "id"),
    "added": ("-created_at", "-id"),
}


def _unindexed(field: str, template: str) -> Func:
    return Func(F(field), template=template)


# A search on PostgreSQL, in the same orders, by expressions no index holds: given the list's
# own index, PostgreSQL walks it testing every contact until fifty match, and the matches of a
# common surname sit together late in the name order (214,000 contacts read before the
# Smiths, 316 ms at 300,000). Without it, the trigram GIN indexes give the matches and the
# fifty first are kept as they come (a top-N sort): a cost that follows the matches.
SEARCH_SORTS_POSTGRES: dict[str, tuple[str | OrderBy, ...]] = {
    "name": (
        _unindexed("last_name", "(%(expressions)s || '')").asc(),
        _unindexed("first_name", "(%(expressions)s || '')").asc(),
        "id",
    ),
    "recent": (
        _unindexed("last_interaction", "(%(expressions)s + 0)").desc(nulls_last=True),
        "last_name",
        "id",
    ),
    "added": (_unindexed("created_at", "(%(expressions)s + interval '0 s')").desc(), "-id"),
}


@dataclass(frozen=True)
class ContactFilters:
    q: str = ""
    tag: int | None = None
    organization: int | None = None
    connection: str = ""
    sort: str = "name"


# Words of a search: every one must match somewhere, so "jane pfizer" finds Jane at Pfizer.
MAX_WORDS = 6


def _organizations(word: str, *, user: User) -> list[int]:
    # The matching organizations are looked up first, a short list of ids: as a subquery
    # inside the OR, PostgreSQL could not combine the trigram indexes of the other columns
    # and scanned.
    return list(
        Organization.objects.filter(owner=user, name__icontains=word).values_list("id", flat=True)
    )


# PostgreSQL: the four searched columns in one text, which the owner-led trigram index of
# migration contacts/0011 holds (upper-cased, as ``icontains`` writes it): one index scan
# finds the owner's contacts holding a word in any of them, where the per-column trigram
# indexes hold every user's contacts. A word holds no space, so it cannot match across two
# columns: the same contacts as the four tests. The migration writes this very expression.
SEARCH_TEXT = (
    '"contacts_contact"."first_name"::text || \' \' || "contacts_contact"."last_name"::text'
    ' || \' \' || "contacts_contact"."email"::text || \' \' || "contacts_contact"."title"::text'
)
# The index's owner column, ``owner_id::bigint``: an expression that only this index holds.
# Given ``owner_id = N``, the planner (with statistics) preferred to read the owner's whole
# name index testing every row (a covering index, so no table reads: it looks cheaper than the
# 15,000 table pages holding 37,694 Smiths at 300,000 contacts, and was twice as slow: 200 ms
# against 73 for the page's ids, 217 against 28 for the count). Written so, the owner's
# condition leaves it the trigram index only. Still every row is the owner's.
OWNER_KEY = '"contacts_contact"."owner_id"::bigint'


def _owned_searchable(user: User) -> QuerySet[Contact]:
    """The user's contacts, to search: on PostgreSQL selected by the owner-led trigram index's
    own owner expression (``OWNER_KEY``), elsewhere by ``owner``."""
    if connection.vendor != "postgresql":
        return Contact.objects.filter(owner=user)
    return Contact.objects.alias(
        owner_key=RawSQL(OWNER_KEY, [], output_field=BigIntegerField()),
        search_text=RawSQL(SEARCH_TEXT, [], output_field=CharField()),
    ).filter(owner_key=Cast(Value(user.pk), BigIntegerField()))


def _tested_postgres(word: str, organizations: list[int]) -> Q:
    found = Q(search_text__icontains=word)
    return found | Q(organization_id__in=organizations) if organizations else found


def _tested(word: str, organizations: list[int]) -> Q:
    """Contacts whose name, email, title or organization holds ``word``, tested row by row
    (or, on PostgreSQL, found by the trigram GIN indexes of those columns)."""
    return (
        Q(first_name__icontains=word)
        | Q(last_name__icontains=word)
        | Q(email__icontains=word)
        | Q(title__icontains=word)
        | Q(organization_id__in=organizations)
    )


@dataclass(frozen=True)
class ContactList:
    """What the list's page is read from: ``rows`` in the list's order; ``count``, a cheaper
    count of the same contacts where there is one (``core.views.paginate``); ``scan`` when
    only a test of every row finds them."""

    rows: QuerySet[Contact]
    # The page's contacts, whole, read by id from here (the owner's, unfiltered: the ids come
    # from ``rows``, and a search need not run twice).
    shown: QuerySet[Contact]
    count: Callable[[int | None], int] | None = None
    scan: bool = False


def _search(
    queryset: QuerySet[Contact], q: str, *, user: User
) -> tuple[QuerySet[Contact], Callable[[int | None], int] | None, bool]:
    """(the contacts matching every word; a count of them from the trigram index alone, or
    None; whether every row of the account is tested to find them).

    On SQLite the longest word of three characters or more that names no organization is
    found in the trigram index (``contacts/trigrams.py``), joined to the contacts it gives
    (a join, not ``id IN (...)``: SQLite would first copy every match into a temporary
    index: 57-73 ms for "Smith" at 300,000 contacts, 30 ms joined), and the other words are
    tested on those rows only. So a search costs what its matches cost, and the page's fifty
    are the first by name among them. A word naming organizations also matches the people
    there, whom the trigram index of contacts does not hold; such words, and words under
    three characters, are tested row by row: when every word is one of them, every row of the
    account is. PostgreSQL's trigram GIN indexes answer the tests themselves."""
    words = q.split()[:MAX_WORDS]
    organizations = {word: _organizations(word, user=user) for word in words}
    drivers = [word for word in words if len(word) >= trigrams.SHORTEST and not organizations[word]]
    if connection.vendor == "postgresql":  # ``queryset`` is ``_owned_searchable``'s
        for word in words:
            queryset = queryset.filter(_tested_postgres(word, organizations[word]))
        return queryset, None, False
    if connection.vendor != "sqlite" or not drivers:
        for word in words:
            queryset = queryset.filter(_tested(word, organizations[word]))
        return queryset, None, connection.vendor == "sqlite"
    driver = max(drivers, key=len)
    for word in words:
        if word != driver:
            queryset = queryset.filter(_tested(word, organizations[word]))
    table, where, params = trigrams.join(user.pk, driver)
    queryset = queryset.extra(tables=[table], where=[where], params=params)
    count = None
    if len(words) == 1:  # the index's matches are the contacts found
        count = partial(trigrams.count, user.pk, driver)
    return queryset, count, False


def contact_list(*, user: User, filters: ContactFilters) -> ContactList:
    queryset = _owned_searchable(user) if filters.q else Contact.objects.filter(owner=user)
    count = None
    scan = False
    if filters.q:
        queryset, count, scan = _search(queryset, filters.q, user=user)
    if filters.tag:
        # A subquery on the tag's links, not a join driven from every contact.
        tagged = Contact.tags.through.objects.filter(tag_id=filters.tag).values("contact_id")
        queryset = queryset.filter(id__in=tagged)
    if filters.organization:
        queryset = queryset.filter(organization_id=filters.organization)
    if filters.connection:
        queryset = queryset.filter(how_connected=filters.connection)
    if filters.tag or filters.organization or filters.connection:
        count = None  # the index's count holds no filter
    shown = (
        Contact.objects.filter(owner=user)
        .select_related("organization")
        # The owner's tags, by the owner index: without it PostgreSQL hashes every user's tags
        # to join the page's fifty contacts to theirs.
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.filter(owner=user)))
    )
    order = SORTS.get(filters.sort, SORTS["name"])
    if filters.q and connection.vendor == "postgresql":
        order = SEARCH_SORTS_POSTGRES.get(filters.sort, SEARCH_SORTS_POSTGRES["name"])
    rows = queryset.order_by(*order)
    return ContactList(rows=rows, shown=shown, count=count, scan=scan)


def contact_pick(*, user: User, q: str, limit: int = 8) -> QuerySet[Contact]:
    if not q.strip():
        return Contact.objects.none()
    found, _, _ = _search(_owned_searchable(user), q, user=user)
    return found.select_related("organization").order_by("last_name", "first_name")[:limit]


def tag_choices(*, user: User) -> QuerySet[Tag]:
    return Tag.objects.filter(owner=user).order_by("name")


def contact_detail_context(*, contact: Contact) -> dict:
    """The contact's own parts of their page; conversations, notes, follow-ups and shadowing
    are sections that the apps holding them render (their template tags)."""
    introduced = contact.introduced.select_related("organization").order_by("last_name")[
        :DETAIL_LIMIT
    ]
    return {
        "contact": contact,
        "introduced": introduced,
        "introduced_total": contact.introduced.count(),
        "tags": contact.tags.all(),
        "jobs": contact.jobs.select_related("organization")[:20],
    }


def contact_queryset_for_detail(*, user: User) -> QuerySet[Contact]:
    return (
        Contact.objects.filter(owner=user)
        .select_related("organization", "introduced_by", "introduced_by__organization")
        .prefetch_related(Prefetch("tags"))
    )


@dataclass(frozen=True)
class DuplicatePair:
    first: Contact
    second: Contact
    reason: str


def duplicate_candidates(*, user: User, limit: int = 100) -> list[DuplicatePair]:
    """Pairs of contacts that may be one person: the same email address, the same LinkedIn
    profile, or names that read alike at the same organization (or exactly alike anywhere).
    Fuzzy comparison runs inside each organization only, so 30,000 contacts stay quick."""
    from rapidfuzz import fuzz

    rows = list(
        Contact.objects.filter(owner=user).values_list(
            "id", "first_name", "last_name", "email", "linkedin_url", "organization_id"
        )
    )
    reasons: dict[tuple[int, int], str] = {}

    def pair(a: int, b: int, reason: str) -> None:
        key = (min(a, b), max(a, b))
        reasons.setdefault(key, reason)

    groups: dict[tuple[str, str], list[int]] = {}
    by_org: dict[int, list[tuple[int, str]]] = {}
    for pk, first, last, email, url, org in rows:
        if email:
            groups.setdefault(("the same email address", email.lower()), []).append(pk)
        if key := linkedin_key(url):
            groups.setdefault(("the same LinkedIn profile", key), []).append(pk)
        name = name_key(first, last)
        if name:
            groups.setdefault(("exactly the same name", name), []).append(pk)
            if org:
                by_org.setdefault(org, []).append((pk, name))
    for (reason, _), ids in groups.items():
        for i, a in enumerate(ids[:20]):
            for b in ids[i + 1 : 20]:
                pair(a, b, reason)
    for people in by_org.values():
        for i, (a, name_a) in enumerate(people[:300]):
            for b, name_b in people[i + 1 : 300]:
                if name_a != name_b and fuzz.token_sort_ratio(name_a, name_b) >= 85:
                    pair(a, b, "similar names at the same organization")
    dismissed = set(NotDuplicate.objects.filter(owner=user).values_list("first_id", "second_id"))
    keys = sorted(reasons.keys() - dismissed)[:limit]
    contacts = (
        Contact.objects.filter(owner=user)
        .select_related("organization")
        .in_bulk({pk for key in keys for pk in key})
    )
    return [DuplicatePair(contacts[a], contacts[b], reasons[a, b]) for a, b in keys]
