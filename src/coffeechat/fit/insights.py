"""Insights across the conversations about one target: every learning grouped by kind and by
conversation, and the recurring themes, what several held conversations said.

Themes are computed here, locally, with no model or service: the words of each learning and
note folded by coffeechat.core.language (stems, stop words out), single words and two-word
phrases counted once per conversation. Only conversations that were held count (held, thanked,
following up): a plan written before a conversation, or a note on one not yet held, says what
the user wondered, not what anyone said."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.urls import reverse

from coffeechat.conversations.models import AFTER_STATUSES, Conversation, Learning
from coffeechat.core.language import stem, terms, words
from coffeechat.notes.models import Note
from coffeechat.targets.models import Target

MIN_CONVERSATIONS = 2
THEME_LIMIT = 12


@dataclass(frozen=True)
class Said:
    conversation_id: int
    contact: str
    text: str
    url: str


@dataclass
class Theme:
    key: tuple[str, ...]
    places: list[Said] = field(default_factory=list)
    spellings: Counter[str] = field(default_factory=Counter)

    @property
    def term(self) -> str:
        """The theme as people wrote it: its most frequent spelling (the first seen on a tie)."""
        return self.spellings.most_common(1)[0][0]

    @property
    def conversations(self) -> int:
        return len({place.conversation_id for place in self.places})

    @property
    def sources(self) -> list[tuple[int, str]]:
        """The conversations it comes from, (id, contact), each once, in order heard."""
        return list(dict.fromkeys((place.conversation_id, place.contact) for place in self.places))


def themes(
    passages: Iterable[Said],
    minimum: int = MIN_CONVERSATIONS,
    ignore: frozenset[str] = frozenset(),
) -> list[Theme]:
    """Terms found in at least ``minimum`` distinct conversations, most widespread first; a
    word is left out when a phrase containing it is heard in as many conversations. Terms with
    a word of ``ignore`` (stems: the names of the people met and their employers) are none."""
    found: dict[tuple[str, ...], Theme] = {}
    for said in passages:
        seen: set[tuple[str, ...]] = set()
        for key, spelling in terms(said.text):
            if ignore and any(part in ignore for part in key):
                continue
            theme = found.setdefault(key, Theme(key))
            theme.spellings[spelling.lower()] += 1
            if key not in seen:  # a passage is one place, however often it says the word
                seen.add(key)
                theme.places.append(said)
    common = [t for t in found.values() if t.conversations >= minimum]
    phrases = [t for t in common if len(t.key) > 1]
    kept = [
        t
        for t in common
        if len(t.key) > 1
        or not any(t.key[0] in p.key and p.conversations >= t.conversations for p in phrases)
    ]
    kept.sort(key=lambda t: (-t.conversations, -len(t.key), t.term))
    return kept[:THEME_LIMIT]


@dataclass
class ConversationLearnings:
    conversation: Conversation
    learnings: list[Learning]


@dataclass
class TargetInsights:
    by_kind: list[tuple[str, list[Learning]]]
    by_conversation: list[ConversationLearnings]


def held_conversations(*, target: Target) -> list[Conversation]:
    """The target's conversations that took place, oldest first, with their contacts."""
    return list(
        Conversation.objects.filter(
            owner_id=target.owner_id, targets=target, status__in=AFTER_STATUSES
        )
        .select_related("contact__organization")
        .order_by("held_at", "id")
    )


def names_of(conversations: list[Conversation]) -> frozenset[str]:
    """The stems of the names of the people met and of their employers: "Dana", "Joel" or
    "Heliodor" recur in notes about a target without being what it is about."""
    names: list[str] = []
    for conversation in conversations:
        contact = conversation.contact
        names += [contact.first_name, contact.last_name]
        if contact.organization is not None:
            # Its first word only: "Heliodor" of "Heliodor Bio", never "bio" or "medical".
            names += words(contact.organization.name)[:1]
    return frozenset(stem(word) for name in names for word in words(name))


def passages(conversations: list[Conversation]) -> list[Said]:
    """What was heard in these conversations, each with where to read it: their learnings and
    their notes (interview mode's notes under each question are added by the interview app,
    which holds them)."""
    said: list[Said] = []
    ids = [c.pk for c in conversations]
    names = {c.pk: c.contact.full_name for c in conversations}

    def detail(pk: int) -> str:
        return reverse("conversations:detail", kwargs={"conversation_id": pk})

    for learning in Learning.objects.filter(conversation_id__in=ids).order_by("id"):
        cid = learning.conversation_id
        said.append(Said(cid, names[cid], learning.text, detail(cid) + "#learnings"))
    for written in Note.objects.filter(conversation_id__in=ids).order_by("id"):
        cid = written.conversation_id or 0
        said.append(Said(cid, names[cid], written.text, detail(cid) + "#notes"))
    return said


def target_insights(*, target: Target) -> TargetInsights:
    conversations = list(
        target.conversations.select_related("contact").order_by("created_at", "id")
    )
    learnings = list(
        Learning.objects.filter(conversation__in=conversations)
        .select_related("conversation__contact")
        .prefetch_related("fit_lines__target")
        .order_by("conversation__created_at", "id")
    )
    by_kind = [
        (label, [item for item in learnings if item.kind == kind])
        for kind, label in Learning.Kind.choices
    ]
    by_conversation: dict[int, list[Learning]] = defaultdict(list)
    for item in learnings:
        by_conversation[item.conversation_id].append(item)
    return TargetInsights(
        by_kind=[(label, items) for label, items in by_kind if items],
        by_conversation=[
            ConversationLearnings(c, by_conversation[c.pk])
            for c in conversations
            if by_conversation[c.pk]
        ],
    )
