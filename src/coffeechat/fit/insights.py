"""Insights across the conversations about one target: every learning grouped by kind and by
conversation, and the recurring themes, words and phrases heard in several conversations.

Themes are computed here, locally, with no model or service: lower-cased words, stopwords
dropped, single words and two-word phrases counted once per conversation."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.urls import reverse

from coffeechat.conversations.models import Conversation, Learning
from coffeechat.interview.models import QuestionNote
from coffeechat.notes.models import Note
from coffeechat.targets.models import Target

STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any are aren't as at be because been
    before being below between both but by can can't cannot could couldn't did didn't do does
    doesn't doing don't down during each few for from further get gets got had hadn't has hasn't
    have haven't having he he'd he'll he's her here here's hers herself him himself his how
    how's i i'd i'll i'm i've if in into is isn't it it's its itself just let's like lot lots
    me more most mustn't my myself no nor not now of off on once one only or other ought our
    ours ourselves out over own really same she she'd she'll she's should shouldn't so some
    such than that that's the their theirs them themselves then there there's these they
    they'd they'll they're they've thing things think this those through to too under until up
    us very was wasn't way we we'd we'll we're we've were weren't what what's when when's where
    where's which while who who's whom why why's will with won't would wouldn't yes yet you
    you'd you'll you're you've your yours yourself yourselves said says say much many well
    every still even get going go went want wants make makes made
    """.split()
)
_WORD = re.compile(r"[a-z][a-z'\-]*[a-z]|[a-z]")
MIN_CONVERSATIONS = 2
THEME_LIMIT = 20


def tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


def terms(text: str) -> set[str]:
    """The single words and two-word phrases of a text that can make a theme."""
    words = tokens(text)
    found = {w for w in words if w not in STOPWORDS and len(w) > 2}
    for first, second in zip(words, words[1:], strict=False):
        if (
            first not in STOPWORDS
            and second not in STOPWORDS
            and len(first) > 1
            and len(second) > 1
        ):
            found.add(f"{first} {second}")
    return found


@dataclass(frozen=True)
class Said:
    conversation_id: int
    contact: str
    text: str
    url: str


@dataclass
class Theme:
    term: str
    places: list[Said] = field(default_factory=list)

    @property
    def conversations(self) -> int:
        return len({place.conversation_id for place in self.places})


def themes(passages: Iterable[Said], minimum: int = MIN_CONVERSATIONS) -> list[Theme]:
    """Terms found in at least ``minimum`` distinct conversations, most widespread first; a
    word is left out when a phrase containing it is heard in as many conversations."""
    found: dict[str, Theme] = defaultdict(lambda: Theme(""))
    for said in passages:
        for term in terms(said.text):
            theme = found[term]
            theme.term = term
            theme.places.append(said)
    common = [t for t in found.values() if t.conversations >= minimum]
    phrases = [t for t in common if " " in t.term]
    kept = [
        t
        for t in common
        if " " in t.term
        or not any(t.term in p.term.split() and p.conversations >= t.conversations for p in phrases)
    ]
    kept.sort(key=lambda t: (-t.conversations, -len(t.term.split()), t.term))
    return kept[:THEME_LIMIT]


@dataclass
class ConversationLearnings:
    conversation: Conversation
    learnings: list[Learning]


@dataclass
class TargetInsights:
    by_kind: list[tuple[str, list[Learning]]]
    by_conversation: list[ConversationLearnings]
    themes: list[Theme]


def passages(conversations: list[Conversation]) -> list[Said]:
    """Everything written down in these conversations, each with where to read it."""
    said: list[Said] = []
    ids = [c.pk for c in conversations]
    names = {c.pk: c.contact.full_name for c in conversations}

    def detail(pk: int) -> str:
        return reverse("conversations:detail", kwargs={"conversation_id": pk})

    for learning in Learning.objects.filter(conversation_id__in=ids).order_by("id"):
        cid = learning.conversation_id
        said.append(Said(cid, names[cid], learning.text, detail(cid) + "#learnings"))
    for note in (
        QuestionNote.objects.filter(conversation_id__in=ids).exclude(note="").order_by("id")
    ):
        cid = note.conversation_id
        url = reverse("interview:summary", kwargs={"conversation_id": cid})
        said.append(Said(cid, names[cid], note.note, url))
    for written in Note.objects.filter(conversation_id__in=ids).order_by("id"):
        cid = written.conversation_id or 0
        said.append(Said(cid, names[cid], written.text, detail(cid)))
    for conversation in conversations:
        if conversation.notes.strip():
            said.append(
                Said(
                    conversation.pk,
                    names[conversation.pk],
                    conversation.notes,
                    detail(conversation.pk),
                )
            )
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
    by_conversation = [
        ConversationLearnings(c, [item for item in learnings if item.conversation_id == c.pk])
        for c in conversations
    ]
    return TargetInsights(
        by_kind=[(label, items) for label, items in by_kind if items],
        by_conversation=[group for group in by_conversation if group.learnings],
        themes=themes(passages(conversations)),
    )
