"""The words of the method, defined once: the glossary page lists them, and every page that
prints a code (LAMP, 3B7, TIARA) or a word of the method explains it in place with the same
sentence, through ``{% term %}`` (templatetags/guide.py) or ``term_html`` (a view's message).

The guide sits just above ``core``: it imports no other app of coffeechat, so that any app can
use its words. Where the app does a thing is named by URL name and reversed when a page is
drawn, which needs no import.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class Source:
    author: str
    title: str


DALTON = Source("Steve Dalton", "The 2-Hour Job Search")
HANSEN = Source("Katharine Hansen", "A Foot in the Door")


@dataclass(frozen=True)
class Term:
    slug: str  # the anchor on the glossary page
    name: str  # as the pages print it
    short: str  # one or two sentences, shown where the word appears
    more: tuple[str, ...] = ()  # further paragraphs, on the glossary page only
    expansion: str = ""  # what the letters stand for
    source: Source | None = None
    # Where coffeechat does it: (URL name, link text).
    where: tuple[tuple[str, str], ...] = ()


_TERMS = (
    Term(
        "informational-interview",
        "Informational interview",
        "A short conversation, usually 30 minutes, with someone who does work you are curious "
        "about, to learn what it is really like. You ask for advice and information, never for "
        "a job.",
        (
            "It has two aims: to learn about an industry, an organization or a job, and to "
            "build a relationship with the person. Asking for a job or a job interview turns it "
            "into an application, and the other person stops being open with you.",
            "In coffeechat each one is a conversation, followed from the first idea to the "
            "thank-you and what came after.",
        ),
        where=(("conversations:board", "Conversations"),),
    ),
    Term(
        "target",
        "Target",
        "An industry, an organization or a role you want to learn about, with why it "
        "interests you and how much.",
        ("Targets are ranked with LAMP, so that your first requests go where they matter most.",),
        where=(("targets:list", "Targets"),),
    ),
    Term(
        "lamp",
        "LAMP",
        "A way to rank targets: List at least 40 employers, note Advocacy (do you know someone "
        "there: yes or no), score Motivation (0 to 3) and Posting (1 to 3, how well current "
        "openings fit you). Sort by motivation, then posting, then advocacy; start with the "
        "top five.",
        (
            "Motivation is your gut feeling, not the name's prestige. Posting looks at the "
            "openings an employer has advertised lately, only as a sign of whether it hires "
            "people like you; the request itself never mentions them.",
            "A label such as “M3 P2 AY” reads: motivation 3, posting 2, advocacy yes.",
        ),
        expansion="List, Advocacy, Motivation, Posting",
        source=DALTON,
        where=(("targets:list", "Targets"), ("targets:create", "New target")),
    ),
    Term(
        "advocate",
        "Advocate",
        "Someone inside an organization who knows you and thinks well of you: an alumnus, a "
        "former colleague, or a person who enjoyed talking with you.",
        (
            "LAMP's A asks whether you have a likely one at an employer. Informational "
            "interviews are how strangers become advocates: you never ask them to be one.",
        ),
        where=(("network:home", "Network"),),
    ),
    Term(
        "request",
        "Request",
        "The short message that asks for a conversation: what connects you, what you are "
        "curious about, and a question easy to say yes to, such as 20 minutes next week. Under "
        "100 words, more about them than about you, and no mention of jobs.",
        (
            "A LinkedIn invitation note holds 300 characters at most. The draft page fills a "
            "request for you and its checker reads it as you type.",
        ),
        where=(("outreach:templates", "Message templates"),),
    ),
    Term(
        "3b7",
        "3B7",
        "A rhythm for requests: write to one person per employer at a time. No reply after 3 "
        "business days: write to a second person there. After 7 business days: follow up once "
        "with the first.",
        (
            "Logging a request as sent dates both steps for you, skipping weekends and the "
            "public holidays of the country in your settings. A reply, or a conversation "
            "scheduled, closes them.",
        ),
        expansion="3 business days, then 7",
        source=DALTON,
        where=(("followups:list", "Follow-ups"), ("accounts:settings", "Settings (country)")),
    ),
    Term(
        "tiara",
        "TIARA",
        "An order for your questions: Trends (where the field is heading), Insights (what the "
        "work is like), Advice (what they would do in your place), Resources (what to read, "
        "join or learn), Assignments (a small task to test your interest).",
        (
            "The conversation starts with a little small talk, moves through these in order, "
            "and ends with next steps: “Who else should I talk to?”",
        ),
        expansion="Trends, Insights, Advice, Resources, Assignments",
        source=DALTON,
        where=(("questions:list", "Question bank"),),
    ),
    Term(
        "prep-plan",
        "Prep plan",
        "The questions you bring to one conversation, tailored to the person, in TIARA order, "
        "and deliberately more than the time allows; the ones to ask first are marked “must "
        "ask”.",
        (
            "Research comes first: read about the organization and the field, so that no "
            "question asks what a search would answer.",
        ),
        where=(("questions:list", "Question bank"),),
    ),
    Term(
        "thank-you",
        "Thank-you",
        "A short note within 24 hours of the conversation (the same day is best), naming "
        "something specific they said.",
        where=(("dashboard:home", "This week: thank-yous owed"),),
    ),
    Term(
        "referral",
        "Referral",
        "Someone the contact suggests you talk to next. Ask at the end of every conversation: "
        "“Who else should I talk to?” The person becomes a new contact, linked to whoever "
        "suggested them.",
        where=(("network:home", "Network"),),
    ),
    Term(
        "shadowing",
        "Shadowing",
        "Spending a day, or part of one, beside the contact as they work and meet their "
        "customers. You watch and listen; you do not work. Ask only after a good conversation, "
        "and make it easy to say no.",
        (
            "The shadowing page of a contact drafts the request, gives a guide for the day, "
            "and keeps a short reflection afterwards.",
        ),
        where=(("contacts:list", "Contacts (each has a shadowing section)"),),
    ),
    Term(
        "follow-up",
        "Follow-up",
        "Something to do by a date: a second contact or a nudge from 3B7, or anything you add "
        "yourself.",
        where=(("followups:list", "Follow-ups"),),
    ),
    Term(
        "keep-in-touch",
        "Keep in touch",
        "A short note, about three times a year, to people you met: what you did with their "
        "advice and where it led. The reminder restarts whenever you log a message or a "
        "conversation with them.",
        where=(("outreach:keep_in_touch", "Keep in touch"),),
    ),
    Term(
        "learning",
        "Learning",
        "Something you took from a conversation: a reality of the job, a positive, a negative, "
        "or a piece of advice. Learnings are the evidence behind a fit assessment.",
        where=(("conversations:board", "Conversations"),),
    ),
    Term(
        "fit-assessment",
        "Fit assessment",
        "Your honest rating of how a target suits you (motivation, skills, interests, "
        "lifestyle, goals, strengths, weaknesses), each claim linked to the conversations "
        "that support it.",
        where=(("fit:compare", "Fit"),),
    ),
    Term(
        "verdict",
        "Verdict",
        "What you conclude about a target for now: keep exploring, try it (shadow someone or "
        "take on a small project), pursue it, or set it aside. The app can propose one with "
        "its reasons; the decision is yours.",
        where=(("fit:compare", "Fit"),),
    ),
    Term(
        "weekly-goal",
        "Weekly goal",
        "How many new conversations to schedule each week. One a week is a pace that lasts.",
        where=(("dashboard:home", "This week"), ("accounts:settings", "Settings")),
    ),
)

TERMS: dict[str, Term] = {term.slug: term for term in _TERMS}


def term_for(key: str) -> Term:
    """A term by its slug or its printed name, in any case: "LAMP", "lamp", "3B7"."""
    key = key.strip().lower()
    found = TERMS.get(key) or next((term for term in _TERMS if term.name.lower() == key), None)
    if found is None:
        raise KeyError(f"no glossary term {key!r}")
    return found


def glossary_url(term: Term) -> str:
    return f"{reverse('guide:glossary')}#{term.slug}"


# Popovers need ids unique on their page; a number from this process (or the page's own
# counter, see the template tag) is enough.
_ids = itertools.count(1)


def term_html(key: str, *, text: str = "", note: str = "", uid: str = "") -> SafeString:
    """A word of the method explained in place: a button that shows the term's sentence (a
    popover: a tap on a phone, a click or Enter elsewhere, never a hover) with a link to its
    glossary entry. ``text`` is what the page prints when it is not the term's name (a LAMP
    label, "M3 P2 AY"); ``note`` says what that text means here, before the definition."""
    term = term_for(key)
    uid = uid or str(next(_ids))
    pop_id = f"term-{term.slug}-{uid}"
    url = glossary_url(term)
    shown = text or term.name
    label = (
        format_html('<span class="visually-hidden">{}: </span>{}', term.name, shown)
        if shown.lower() != term.name.lower()
        else shown
    )
    return format_html(
        '<span class="term"><button type="button" class="term-code" popovertarget="{pop}" '
        'data-glossary="{url}">{label}</button><span class="term-pop" id="{pop}" popover>'
        '<span class="term-head"><dfn>{name}</dfn>{expansion}</span>{note}'
        '<span class="term-short">{short}</span>'
        '<a class="term-more" href="{url}">More in the glossary</a></span></span>',
        pop=pop_id,
        url=url,
        label=label,
        name=term.name,
        expansion=format_html(" · {}", term.expansion) if term.expansion else "",
        note=format_html('<span class="term-note"><strong>{}</strong>: {}</span>', shown, note)
        if note
        else "",
        short=term.short,
    )
