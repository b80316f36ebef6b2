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
    "target": "the field, employer or role you are exploring",
    "background": "one line about you: your background, in Settings",
    "my_name": "your name",
    "minutes": "the planned length of the conversation",
    "met_on": "the day you spoke",
    "learning": "something specific the contact said (the latest learning, advice first)",
    "what_happened": "what their advice led to (you fill this in)",
}

# How the templates are written. A request opens with what connects you, says what you are
# learning about ({target}: a field, an employer or a role, fitted into the sentence by
# target_phrase), gives one line about you from your settings, and ends with a question that
# is easy to say yes to. The organization appears in the subject, not again in the body, so
# that a target which is the contact's own employer is not named twice.
BUILTIN: dict[str, Template] = {
    DraftKind.REQUEST_EMAIL: Template(
        "A question about your work at {organization}",
        "Hi {first_name},\n\n{connection} I am learning about {target}, and I would value the "
        "view of someone who does the work every day. About me: {background}.\n\n"
        "Would you have {minutes} minutes in the next two weeks to tell me how you got where "
        "you are and what your days look like?\n\nThank you,\n{my_name}",
    ),
    # LinkedIn shows the sender's headline beside the note: its 300 characters go to them.
    # "Hi Dana!" rather than "Hi Dana," since the connection line starts a sentence.
    DraftKind.REQUEST_LINKEDIN_NOTE: Template(
        "",
        "Hi {first_name}! {connection} I am learning about {target} and would value your view "
        "of it. Would you have {minutes} minutes for a call soon?",
    ),
    DraftKind.REQUEST_LINKEDIN_MESSAGE: Template(
        "",
        "Hi {first_name},\n\n{connection} I am learning about {target}, and I would love to "
        "hear how your own path went. About me: {background}.\n\nCould you spare {minutes} "
        "minutes in the coming weeks to tell me what you wish you had known before you "
        "started?\n\n{my_name}",
    ),
    DraftKind.SECOND_CONTACT: Template(
        "Your perspective on {organization}",
        "Hi {first_name},\n\n{connection} I am learning about {target}, and your experience "
        "would help me see it from the inside. About me: {background}.\n\n"
        "Would you have {minutes} minutes for a call in the next two weeks?\n\nThank you,\n"
        "{my_name}",
    ),
    DraftKind.NUDGE: Template(
        "Re: A question about your work at {organization}",
        "Hi {first_name},\n\nInboxes fill up fast, so I am bringing my earlier note back to "
        "the top, once. If you have {minutes} minutes in the next few weeks, I would still love "
        "to hear how you see your work. Would a short call suit you?\n\n{my_name}",
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
    # After a good conversation only: specific about what the day would be, modest about
    # what the sender would do, and with a way out that costs the contact nothing.
    DraftKind.SHADOWING: Template(
        "Could I shadow you for a day?",
        "Hi {first_name},\n\nI keep coming back to our conversation {met_on}, especially your "
        "point that \u201c{learning}\u201d. It made me want to see {target} up close.\n\n"
        "Would you be open to me shadowing you for a day, or part of one, whenever it suits "
        "you? I would love to see an ordinary day, including time with your customers if "
        "they agree, and I would stay in the background and follow your lead on anything "
        "confidential.\n\nIf it is not possible, or not the right time, please just say so; "
        "I am grateful for the time you already gave me.\n\n{my_name}",
    ),
}

# One sentence per kind of connection: (without a detail, with the detail the user wrote).
# A cold contact gets no vague compliment ("I read about your work"): the line names
# something specific of theirs the user found, left in brackets for the user to write.
_CONNECTION_LINES: dict[str, tuple[str, str]] = {
    Contact.Connection.ALUMNI: ("We share a school.", "We share a school ({detail})."),
    Contact.Connection.AFFINITY: (
        "We both belong to the same group.",
        "We both belong to {detail}.",
    ),
    Contact.Connection.COLLEAGUE: ("We worked together.", "We worked together ({detail})."),
    Contact.Connection.FRIEND: (
        "We know each other through our friends.",
        "We know each other through our friends ({detail}).",
    ),
    Contact.Connection.REFERRAL: (
        "A mutual contact suggested I write to you.",
        "A mutual contact ({detail}) suggested I write to you.",
    ),
    Contact.Connection.EVENT: ("We met at an event recently.", "We met at {detail}."),
    Contact.Connection.ONLINE: (
        "I found your profile and read about your path.",
        "I found your profile ({detail}) and read about your path.",
    ),
    Contact.Connection.ADDRESS_BOOK: (
        "We met [where and when: a detail that brings it back to them].",
        "We met through {detail}.",
    ),
    Contact.Connection.COLD: (
        "I found your [talk, article or project: name it, and what struck you in it].",
        "I found your work ({detail}), and [what struck you in it, in a few words].",
    ),
}


def connection_line(contact: Contact) -> str:
    """One sentence on what connects the user to the contact: the reason to read on."""
    if contact.introduced_by_id and contact.introduced_by:
        return f"{contact.introduced_by.full_name} suggested I get in touch with you."
    detail = contact.connection_detail.strip()
    plain, detailed = _CONNECTION_LINES.get(
        contact.how_connected, _CONNECTION_LINES[Contact.Connection.COLD]
    )
    return detailed.replace("{detail}", detail) if detail else plain


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


# The last word of a role that names a person ("Medical science liaison", "Data scientist"):
# such a role reads "the work of a data scientist"; a role that names a field ("Clinical
# research", "Product management") reads as it is.
_PERSON_SUFFIXES = ("er", "or", "ist", "yst", "ian", "ant", "ent", "ee")
_PERSON_WORDS = frozenset(
    "associate liaison nurse rep architect chef clerk attorney paralegal principal "
    "head lead aide medic midwife actuary".split()
)
# Abbreviations that name a person ("RN", "VP of Product"); "HR" or "UX" name a field.
_PERSON_ACRONYMS = frozenset(
    "RN LPN NP PA MSL VP SVP EVP AVP CEO CFO COO CTO CMO PM CRC CRA EMT CNA MD DO CPA "
    "SDR BDR AE".split()
)
# Words with those endings that name a thing, not a person ("Product management").
_NOT_PERSONS = frozenset(
    "sector center centre theater theatre water power paper labor labour color colour "
    "weather order consent content talent".split()
)
# Letters whose spoken name starts with a vowel sound: "an RN", "an MSL", "a UX designer".
_VOWEL_LETTERS = set("AEFHILMNORSX")


def _article(phrase: str) -> str:
    first = phrase.split()[0]
    if len(first) > 1 and first.isupper():
        return "an" if first[0] in _VOWEL_LETTERS else "a"
    if first.lower().startswith(("eu", "one", "uni", "use", "usa")):
        return "a"
    if first[:2].lower() in ("un", "ul", "up", "um"):
        return "an"
    return "an" if first[0].lower() in "aeio" else "a"


def target_phrase(target: Target) -> str:
    """The target as it reads after "I am learning about" or "to see ... up close": an
    organization by its name, an industry in lower case, a role as the work of that person
    ("the work of a medical science liaison") or as the field it names ("clinical research")."""
    if target.kind == Target.Kind.ORGANIZATION:
        return in_sentence(target.name, proper=True)
    name = in_sentence(target.name)
    if target.kind != Target.Kind.ROLE or not name:
        return name
    # "Head of marketing", "VP of Product": the person is named before "of".
    last = name.split(" of ")[0].split()[-1]
    if last in _PERSON_ACRONYMS:
        return f"the work of {_article(name)} {name}"
    last = last.lower()
    singular = last[:-1] if last.endswith("s") and not last.endswith("ss") else last
    person = singular in _PERSON_WORDS or (
        singular.endswith(_PERSON_SUFFIXES)
        and not singular.endswith("ment")
        and singular not in _NOT_PERSONS
    )
    if person:
        if singular != last:  # "Clinical research associates"
            return f"the work of {name}"
        return f"the work of {_article(name)} {name}"
    return name


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
    # Without a target, the contact's industry, else their employer: what the user is
    # learning about is then at least where the contact works.
    if targets:
        target = target_phrase(targets[0])
    elif contact.organization:
        target = in_sentence(contact.organization.industry) or contact.organization.name
    else:
        target = ""
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
        "background": profile.background.strip().rstrip(".").strip(),
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


# A part left in brackets for the user to write: "[your name]", "[what struck you in it]".
_GAP = re.compile(r"\[[^\[\]\n]{2,300}\]")


def gaps(text: str) -> list[str]:
    """The bracketed parts a draft still holds, in order, each once."""
    return list(dict.fromkeys(_GAP.findall(text)))


def template_for(kind: str, user_template: MessageTemplate | None = None) -> Template:
    if user_template is not None:
        return Template(user_template.subject, user_template.body)
    return BUILTIN[kind]
