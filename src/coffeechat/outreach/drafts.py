"""Built-in message templates and how a draft is filled from what the app knows.

Placeholders are written ``{first_name}``; the list and meanings are in PLACEHOLDERS. A
placeholder the app cannot fill stays visible in brackets, for example ``[what it led to]``,
so that the user sees what is left to write instead of sending an empty gap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils import timezone

from coffeechat.accounts.models import Profile
from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import Conversation, Learning
from coffeechat.outreach.models import DraftKind, MessageTemplate
from coffeechat.targets.models import Target


@dataclass(frozen=True)
class Template:
    subject: str
    body: str


PLACEHOLDERS: dict[str, str] = {
    "first_name": "the contact's first name",
    "full_name": "the contact's full name",
    "title": "the contact's job title",
    "organization": "where the contact works",
    "connection": "one sentence on how you are connected",
    "target": "the target (industry, organization or role) you are exploring",
    "my_name": "your name",
    "minutes": "the planned length of the conversation",
    "met_on": "the day you spoke",
    "learning": "something specific the contact said (the latest learning, advice first)",
    "what_happened": "what their advice led to (you fill this in)",
}

BUILTIN: dict[str, Template] = {
    DraftKind.REQUEST_EMAIL: Template(
        "A question about your work at {organization}",
        "Hi {first_name},\n\n{connection} I am exploring {target}, and the work you do at "
        "{organization} is the kind I would like to understand from the inside.\n\n"
        "Would you have {minutes} minutes in the next two weeks to tell me how you got there "
        "and what your days look like?\n\nThank you,\n{my_name}",
    ),
    DraftKind.REQUEST_LINKEDIN_NOTE: Template(
        "",
        "Hi {first_name}, {connection} I am exploring {target} and would value your view of "
        "your work at {organization}. Would you have {minutes} minutes for a call soon?",
    ),
    DraftKind.REQUEST_LINKEDIN_MESSAGE: Template(
        "",
        "Hi {first_name},\n\n{connection} Your move into your role at {organization} caught my "
        "eye while I was reading about {target}.\n\nCould you spare {minutes} minutes in the "
        "coming weeks to tell me what you wish you had known before you started?\n\n{my_name}",
    ),
    DraftKind.SECOND_CONTACT: Template(
        "Your perspective on {organization}",
        "Hi {first_name},\n\n{connection} I am learning how people at {organization} see "
        "{target}, and your experience there would help me see it more clearly.\n\n"
        "Would you have {minutes} minutes for a call in the next two weeks?\n\nThank you,\n"
        "{my_name}",
    ),
    DraftKind.NUDGE: Template(
        "Re: A question about your work at {organization}",
        "Hi {first_name},\n\nInboxes fill up fast, so I am bringing my earlier note back to "
        "the top, once. If you have {minutes} minutes in the next few weeks, I would still love "
        "to hear how you see your work at {organization}. Would a short call suit you?\n\n"
        "{my_name}",
    ),
    DraftKind.THANKS: Template(
        "Thank you, {first_name}",
        "Hi {first_name},\n\nThank you for the conversation {met_on}. Your point that "
        "\u201c{learning}\u201d has stayed with me, and I am already acting on it.\n\nI will "
        "let you know where it leads.\n\nWith thanks,\n{my_name}",
    ),
    DraftKind.KEEP_IN_TOUCH: Template(
        "Where your advice led",
        "Hi {first_name},\n\nWhen we spoke {met_on}, you told me \u201c{learning}\u201d. I "
        "took it to heart, and here is where it led: {what_happened}.\n\nThank you again; "
        "your advice made a difference, and I hope your work at {organization} is going "
        "well.\n\n{my_name}",
    ),
}

_CONNECTION_LINES: dict[str, str] = {
    Contact.Connection.ALUMNI: "We share a school{detail}.",
    Contact.Connection.AFFINITY: "We are both part of {detail_or}the same group.",
    Contact.Connection.COLLEAGUE: "We worked together{detail}.",
    Contact.Connection.FRIEND: "We know each other through friends{detail}.",
    Contact.Connection.REFERRAL: "A mutual contact{detail} suggested I write to you.",
    Contact.Connection.EVENT: "We met at {detail_or}an event recently.",
    Contact.Connection.ONLINE: "I found your profile{detail} and read about your path.",
    Contact.Connection.COLD: "I read about your work{detail}.",
}


def connection_line(contact: Contact) -> str:
    """One sentence on what connects the user to the contact: the reason to read on."""
    if contact.introduced_by_id and contact.introduced_by:
        return f"{contact.introduced_by.full_name} suggested I get in touch with you."
    detail = contact.connection_detail.strip()
    line = _CONNECTION_LINES.get(contact.how_connected, _CONNECTION_LINES["cold"])
    return line.replace("{detail}", f" ({detail})" if detail else "").replace(
        "{detail_or}", f"{detail}, " if detail else ""
    )


# What a message to the contact may quote back to them. A Negative is the user's private
# reading of the job ("hard with a family"): quoting it to the person who does that job would
# be unkind at best, so it is never offered.
MENTIONABLE_KINDS = (Learning.Kind.ADVICE, Learning.Kind.POSITIVE, Learning.Kind.REALITY)
# Chosen when the user picks nothing: something they said that helped, or that they liked.
DEFAULT_MENTION_KINDS = (Learning.Kind.ADVICE, Learning.Kind.POSITIVE)


def mentionable_learnings(conversation: Conversation) -> list[Learning]:
    return [item for item in conversation.learnings.all() if item.kind in MENTIONABLE_KINDS]


def default_mention(conversation: Conversation) -> Learning | None:
    """The latest advice, else the latest positive; never a negative, never a note."""
    learnings = list(conversation.learnings.all())
    for kind in DEFAULT_MENTION_KINDS:
        chosen = [item for item in learnings if item.kind == kind]
        if chosen:
            return chosen[-1]
    return None


def _mention_text(learning: Learning | None) -> str:
    if learning is None or learning.kind not in MENTIONABLE_KINDS:
        return ""
    return learning.text.strip().rstrip(".")


def sender_name(profile: Profile) -> str:
    """How the user signs: their name from settings, else the account's full name; never
    the username (a login like "mchen92" is no signature). Empty leaves "[your name]"."""
    return profile.display_name.strip() or profile.user.get_full_name().strip()


def in_sentence(name: str, *, proper: bool = False) -> str:
    """A name as it reads inside a sentence: "Pharmaceutical sales" becomes "pharmaceutical
    sales", while an organization, an acronym ("CRO operations") or a brand ("iOS") keeps its
    capitals."""
    name = name.strip()
    if proper or len(name) < 2 or not name[0].isupper():
        return name
    first_word = name.split()[0]
    if any(c.isupper() for c in first_word[1:]):
        return name
    return name[0].lower() + name[1:]


def draft_values(
    *,
    conversation: Conversation,
    contact: Contact | None = None,
    profile: Profile,
    mention: Learning | None = None,
) -> dict[str, str]:
    """What the placeholders stand for in this conversation; empty where unknown.
    ``mention`` is the learning the user chose to quote; by default the latest advice or
    positive one."""
    contact = contact or conversation.contact
    organization = contact.organization.name if contact.organization else ""
    targets = list(conversation.targets.all())
    target = (
        in_sentence(targets[0].name, proper=targets[0].kind == Target.Kind.ORGANIZATION)
        if targets
        else in_sentence(contact.organization.industry if contact.organization else "")
    )
    held = conversation.held_at or conversation.starts_at
    met_on = ""
    if held:
        met_on = "on " + timezone.localtime(held, conversation.tz).strftime("%A")
        if (timezone.now() - held).days > 6:
            met_on = "in " + timezone.localtime(held, conversation.tz).strftime("%B")
    return {
        "first_name": contact.first_name,
        "full_name": contact.full_name,
        "title": contact.title,
        "organization": organization,
        "connection": connection_line(contact),
        "target": target,
        "my_name": sender_name(profile),
        "minutes": str(min(conversation.planned_minutes, 30)),
        "met_on": met_on,
        "learning": _mention_text(mention or default_mention(conversation)),
        "what_happened": "",
    }


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill(text: str, values: dict[str, str]) -> str:
    """Replaces known placeholders; an empty or unknown one stays visible in brackets."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        value = values.get(name, "")
        return value if value else f"[{PLACEHOLDERS.get(name, name)}]"

    return _PLACEHOLDER.sub(replace, text)


def template_for(kind: str, user_template: MessageTemplate | None = None) -> Template:
    if user_template is not None:
        return Template(user_template.subject, user_template.body)
    return BUILTIN[kind]
