"""One search box over contacts, organizations, notes and learnings.

The same contract on both databases: a list of ``Hit`` best first. Ranking is each backend's
own full-text relevance (bm25 on SQLite FTS5, ts_rank on PostgreSQL), so rank values compare
within one result list only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.db import connection
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

if TYPE_CHECKING:
    from coffeechat.contacts.models import Contact

KINDS = ("contact", "organization", "note", "learning")


@dataclass(frozen=True)
class Hit:
    kind: str
    id: int
    title: str
    snippet: SafeString  # escaped text with the matched words in <mark>
    url: str
    rank: float
    # For an organization: how many of the user's contacts work there, and where to see them.
    people: int = 0
    people_url: str = ""


# Contacts found through their organization, shown after the direct matches: a few of the
# warmest per search, the rest one click away on the contact list filtered by organization.
PEOPLE_PER_SEARCH = 20


def search_terms(q: str) -> list[str]:
    """Words of the query, lower-cased, punctuation dropped: both engines get plain prefixes,
    so nothing a user types can be read as query syntax."""
    return [word for word in re.findall(r"\w+", q.lower())][:8]


def _snippet(raw: str) -> SafeString:
    text = escape(" ".join(raw.split()))
    return mark_safe(text.replace("\x02", "<mark>").replace("\x03", "</mark>"))


def _titles(user: User, ids: dict[str, list[int]]) -> dict[tuple[str, int], tuple[str, str]]:
    """Title and link of each hit: the few columns they need, no ordering, and no query for a
    kind without hits (building a queryset costs more than the rows here)."""
    from coffeechat.contacts.models import Contact
    from coffeechat.conversations.models import Learning
    from coffeechat.notes.models import Note
    from coffeechat.organizations.models import Organization

    name = ["first_name", "last_name"]
    found: dict[tuple[str, int], tuple[str, str]] = {}
    if ids["contact"]:
        contacts = Contact.objects.filter(owner=user, pk__in=ids["contact"]).only(*name)
        for contact in contacts.order_by():
            found["contact", contact.pk] = (
                contact.full_name,
                reverse("contacts:detail", args=[contact.pk]),
            )
    if ids["organization"]:
        organizations = Organization.objects.filter(owner=user, pk__in=ids["organization"])
        for organization in organizations.only("name").order_by():
            found["organization", organization.pk] = (
                organization.name,
                reverse("organizations:detail", args=[organization.pk]),
            )
    if ids["note"]:
        notes = (
            Note.objects.filter(owner=user, pk__in=ids["note"])
            .select_related("contact", "conversation__contact")
            .only(
                "contact",
                "conversation",
                "conversation__contact",
                *[f"contact__{field}" for field in name],
                *[f"conversation__contact__{field}" for field in name],
            )
        )
        for note in notes.order_by():
            if note.contact is not None:
                about = note.contact.full_name
                url = reverse("contacts:detail", args=[note.contact_id]) + "#notes"
            elif note.conversation is not None:
                about = note.conversation.contact.full_name
                url = reverse("conversations:detail", args=[note.conversation_id])
            else:
                continue
            found["note", note.pk] = (f"Note on {about}", url)
    if ids["learning"]:
        learnings = (
            Learning.objects.filter(owner=user, pk__in=ids["learning"])
            .select_related("conversation__contact")
            .only(
                "kind",
                "conversation",
                "conversation__contact",
                *[f"conversation__contact__{field}" for field in name],
            )
        )
        for learning in learnings.order_by():
            found["learning", learning.pk] = (
                f"{learning.get_kind_display()} from {learning.conversation.contact.full_name}",
                reverse("conversations:detail", args=[learning.conversation_id]),
            )
    return found


def search(*, user: User, q: str, limit: int = 20) -> list[Hit]:
    terms = search_terms(q)
    if not terms:
        return []
    if connection.vendor == "postgresql":
        from coffeechat.search import postgres as backend
    else:
        from coffeechat.search import sqlite as backend  # type: ignore[no-redef]
    raw = backend.search(user.pk, terms, limit)
    ids: dict[str, list[int]] = {kind: [] for kind in KINDS}
    for kind, pk, _, _ in raw:
        ids[kind].append(pk)
    titles = _titles(user, ids)
    hits = [
        Hit(kind, pk, *titles[kind, pk][:1], _snippet(snippet), titles[kind, pk][1], rank)
        for kind, pk, rank, snippet in raw
        # A row deleted since it was indexed is not shown.
        if (kind, pk) in titles
    ]
    return _with_people(user, hits, limit)


def _with_people(user: User, hits: list[Hit], limit: int) -> list[Hit]:
    """People are found by where they work: each organization hit says how many contacts
    work there, and the warmest of them follow the direct matches as contact hits."""
    from django.db.models import Count

    from coffeechat.contacts.models import Contact

    organization_ids = [hit.id for hit in hits if hit.kind == "organization"]
    if not organization_ids:
        return hits
    # COUNT(*), not COUNT(id): PostgreSQL can then answer from the index on owner and
    # organization alone (13,000 people at one employer: 27 ms -> 2 ms).
    counts = dict(
        Contact.objects.filter(owner=user, organization_id__in=organization_ids)
        .values("organization_id")
        .annotate(n=Count("*"))
        .values_list("organization_id", "n")
    )
    hits = [
        Hit(
            **{
                **hit.__dict__,
                "people": counts.get(hit.id, 0),
                "people_url": reverse("contacts:list") + f"?organization={hit.id}",
            }
        )
        if hit.kind == "organization"
        else hit
        for hit in hits
    ]
    found = {hit.id for hit in hits if hit.kind == "contact"}
    room = min(PEOPLE_PER_SEARCH, max(0, limit - len(hits)))
    people = _people_at(user, organization_ids, sum(counts.values()), found, room) if room else []
    lowest = min((hit.rank for hit in hits), default=0.0)
    for person in people:
        assert person.organization is not None
        where = escape(person.organization.name)
        role = f"{escape(person.title)} at " if person.title else "Works at "
        hits.append(
            Hit(
                "contact",
                person.pk,
                person.full_name,
                mark_safe(f"{role}<mark>{where}</mark>"),
                reverse("contacts:detail", args=[person.pk]),
                lowest,
            )
        )
    return hits


# Above this many people at the organizations found, they are not all read and sorted.
PEOPLE_SORTED = 1_000


def _people_at(
    user: User, organization_ids: list[int], total: int, found: set[int], room: int
) -> Sequence[Contact]:
    """The ``room`` warmest people at these organizations, not already in ``found``: the most
    recent interaction first, then by name.

    A few hundred are read and sorted. Many more (13,000 at one employer's eight spellings in
    a 300,000-contact account: 47 ms) are found in order instead, in two steps: those with an
    interaction along the index on it, then the rest along the name index, each stopping at
    ``room``. There the organization is tested as ``organization_id + 0``, which no index
    serves: otherwise both databases read every person there through the organization index
    and sort them, since they cannot know the order reaches ``room`` people early.
    """
    from django.db.models import F

    from coffeechat.contacts.models import Contact

    people = Contact.objects.filter(owner=user).exclude(pk__in=found).select_related("organization")
    if total <= PEOPLE_SORTED:
        return list(
            people.filter(organization_id__in=organization_ids).order_by(
                F("last_interaction").desc(nulls_last=True), "last_name", "first_name", "id"
            )[:room]
        )
    there = people.alias(at=F("organization_id") + 0).filter(at__in=organization_ids)
    warm: list[Contact] = list(
        there.filter(last_interaction__isnull=False).order_by(
            "-last_interaction", "last_name", "first_name", "id"
        )[:room]
    )
    if len(warm) == room:
        return warm
    # Fewer than ``room`` have an interaction: all of them are in ``warm``.
    cold = there.exclude(pk__in=[person.pk for person in warm]).order_by(
        "last_name", "first_name", "id"
    )
    return [*warm, *cold[: room - len(warm)]]
