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
        "Hi {first_name},\n\n{connection} I am exploring {target}, and your work as {title} at "
        "{organization} is the kind of path I would like to understand from the inside.\n\n"
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
        "{target}, and your experience as {title} would help me see it more clearly.\n\n"
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


def _learning(conversation: Conversation | None) -> str:
    if conversation is None:
        return ""
    learnings = list(conversation.learnings.all())
    advice = [item for item in learnings if item.kind == Learning.Kind.ADVICE]
    chosen = (advice or learnings)[-1:] if learnings else []
    return chosen[0].text.strip().rstrip(".") if chosen else ""


def draft_values(
    *, conversation: Conversation, contact: Contact | None = None, profile: Profile
) -> dict[str, str]:
    """What the placeholders stand for in this conversation; empty where unknown."""
    contact = contact or conversation.contact
    organization = contact.organization.name if contact.organization else ""
    targets = list(conversation.targets.all())
    target = (
        targets[0].name
        if targets
        else (contact.organization.industry if contact.organization else "")
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
        "my_name": profile.display_name or profile.user.get_username(),
        "minutes": str(min(conversation.planned_minutes, 30)),
        "met_on": met_on,
        "learning": _learning(conversation),
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
