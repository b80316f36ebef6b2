"""The prep sheet for a formal interview (one round of a lead: a phone screen, a panel, a
case...). It is made of what the user already learned: what conversations taught about the
organization and the role, the strengths and weaknesses of the fit assessment turned into
answer prompts with their evidence, the questions worth asking this time, who the
interviewers are, and a checklist for the kind of round. The page, the print view, the PDF
and the Markdown all show this one ``RoundSheet``.

Reads only, in a fixed number of queries whatever the size of the account: every list is
capped, and each is one query (two for the fit lines' evidence)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.text import Truncator

from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import Conversation, Learning
from coffeechat.fit.models import FitLine, LineKind, OpenQuestion
from coffeechat.leads.models import FormalInterview, Lead, RoundKind
from coffeechat.notes.models import Note
from coffeechat.questions.families import taxonomy

# How much of each list the sheet carries: a sheet is read in the ten minutes before the
# round, and two printed pages hold about this much.
ORGANIZATION_LEARNINGS = 10
ROLE_LEARNINGS = 6
NOTES = 6
OPEN_QUESTIONS = 4
HEARD_DOWNSIDES = 2
NOTE_WORDS = 60


def round_queryset() -> QuerySet[FormalInterview]:
    """A round with everything its sheet's heading shows, in one query."""
    return FormalInterview.objects.select_related(
        "lead__organization",
        "lead__target",
        "lead__source_conversation__contact",
        "lead__source_contact",
    )


# --- What the sheet holds ------------------------------------------------------------------------


def _day(moment: datetime) -> str:
    """ "Mar 4": the day in the user's time zone (the one the request activated)."""
    local = timezone.localtime(moment)
    return f"{local:%b} {local.day}"


@dataclass(frozen=True)
class Heard:
    """A learning or a note, with where it comes from."""

    text: str
    label: str  # "Reality of the job", "Note"...
    who: str  # the contact it came from, "" for none
    on: datetime | None
    contact_id: int | None = None
    conversation_id: int | None = None

    @property
    def source(self) -> str:
        when = _day(self.on) if self.on else ""
        return ", ".join(part for part in (self.who, when) if part)


@dataclass(frozen=True)
class AnswerPrompt:
    """A strength or weakness of the fit assessment, as something to say in the round."""

    kind: str  # LineKind.STRENGTH or LineKind.WEAKNESS
    claim: str
    prompt: str
    evidence: tuple[Heard, ...]


@dataclass(frozen=True)
class Ask:
    """A question for the user to ask the interviewers, and why it is on the sheet."""

    text: str
    why: str
    heard: str = ""  # what a conversation said, the question's context


@dataclass(frozen=True)
class Interviewer:
    contact: Contact
    met: int  # conversations held with them
    last_met: datetime | None

    @property
    def known(self) -> str:
        """What the user knows of them, in a few words."""
        contact = self.contact
        parts = [contact.get_how_connected_display()]
        if contact.connection_detail:
            parts[0] += f" ({contact.connection_detail})"
        if self.met and self.last_met:
            times = "once" if self.met == 1 else f"{self.met} times"
            parts.append(f"talked with you {times}, last on {_day(self.last_met)}")
        else:
            parts.append("no conversation with them yet")
        return "; ".join(parts)


@dataclass
class RoundSheet:
    round: FormalInterview
    lead: Lead
    organization_learnings: list[Heard]
    notes: list[Heard]
    role_learnings: list[Heard]
    role_rule: str
    strengths: list[AnswerPrompt]
    weaknesses: list[AnswerPrompt]
    asks: list[Ask]
    interviewers: list[Interviewer]
    checklist: list[str]

    @property
    def kind_label(self) -> str:
        return self.round.get_kind_display()

    @property
    def organization_name(self) -> str:
        organization = self.lead.organization
        return organization.name if organization else ""

    @property
    def title(self) -> str:
        where = f" at {self.organization_name}" if self.organization_name else ""
        return f"{self.kind_label}: {self.lead.role}{where}"

    @property
    def subtitle(self) -> str:
        round_ = self.round
        parts = []
        start = round_.local_start
        if start:
            parts.append(f"{start:%a %b} {start.day}, {start:%Y %H:%M} ({round_.time_zone})")
        else:
            parts.append("Date not set yet")
        parts.append(f"{round_.minutes} minutes")
        if round_.place:
            parts.append(round_.place)
        parts.append(f"Lead: {self.lead.status_label}")
        return " · ".join(parts)

    @property
    def credit(self) -> str:
        """Where the lead came from: the conversation (or contact) is credited, always."""
        lead = self.lead
        conversation = lead.source_conversation
        if conversation is not None:
            held = conversation.held_at
            when = f" on {_day(held)}" if held else ""
            return f"You heard of it in your conversation with {conversation.contact}{when}."
        if lead.source_contact is not None:
            return f"You heard of it from {lead.source_contact}."
        return ""

    @property
    def target_name(self) -> str:
        return self.lead.target.name if self.lead.target_id and self.lead.target else ""


# --- Original wording: the checklist and the questions per kind of round ----------------------

# Before every round, whatever its kind.
CHECKLIST_ALWAYS = (
    "Re-read the posting and what you sent with your application: they will quote both.",
    "Say your answer to “tell me about yourself” out loud once; end it on why this role.",
)

CHECKLISTS: dict[str, tuple[str, ...]] = {
    RoundKind.PHONE_SCREEN: (
        "A quiet room with the door shut, and somewhere to go if the house gets loud.",
        "Your notes, the posting and your résumé open in front of you: they cannot see "
        "them, so lean on them.",
        "Phone charged and on the charger, ringer on, other notifications off; their number "
        "saved so that you answer by name.",
        "Water at hand; stand up for the call if your voice goes flat when you sit.",
    ),
    RoundKind.VIDEO: (
        "Open the link ten minutes early and test camera, microphone and speakers in that "
        "same app, not another.",
        "Light in front of you, never behind; camera at eye level; a plain wall behind you.",
        "Laptop plugged in, other apps and tabs closed, notifications silenced.",
        "Their phone number or e-mail at hand, in case the connection drops.",
    ),
    RoundKind.PANEL: (
        # The names go in place of {members} (see _checklist).
        "Each member's role, and what this job means for their own work: {members}.",
        "One question written for each member, from their side of the work.",
        "Answer the person who asked, then bring the others in: look at them, or name them on "
        "a call.",
        "A thank-you to each member within 24 hours, each one a little different.",
    ),
    RoundKind.ON_SITE: (
        "The route, where to park or which stop, and which entrance: plan to arrive 10-15 "
        "minutes early, not more.",
        "Printed copies of your résumé (one per interviewer and a spare), a pen and a notebook.",
        "The name of the person to ask for at reception, and a phone number to call if late.",
        "Clothes ready the night before, a notch above what the team wears day to day.",
        "Everyone you meet counts, from the front desk to lunch.",
    ),
    RoundKind.CASE: (
        "Practise two or three cases out loud against a timer: restate, ask, structure, solve.",
        "Ask at the start whether a calculator or a spreadsheet is allowed; practise rounding "
        "and mental arithmetic in case it is not.",
        "Paper and pens for your structure; number your assumptions so you can come back to them.",
        "Think aloud: how you get there counts as much as the answer.",
    ),
    RoundKind.RECRUITER: (
        "Your salary range, researched, said as a range; and what matters besides pay (start "
        "date, place, travel).",
        "Questions on the timeline: how many rounds, who decides, when they expect to.",
        "Two sentences on why this role and why now, for them to pass on.",
        "Dates you cannot make, and any other process that is moving faster.",
    ),
    RoundKind.HEADHUNTER: (
        "Who the client is, or when they will tell you; do not guess aloud.",
        "What they can share (the role, the range, the steps) and what they often cannot "
        "before a shortlist (the client's name, the other candidates).",
        "Whether the search is exclusive to them; and that your résumé goes nowhere without "
        "your yes, each time.",
        "Where you have applied already, so that you are never put forward twice.",
    ),
}

ASKS: dict[str, tuple[tuple[str, str], ...]] = {
    RoundKind.PHONE_SCREEN: (
        (
            "What would make someone stand out in the next round?",
            "It tells you what to prepare next, and shows you mean to be there.",
        ),
        (
            "What are the next steps, and when should I expect to hear?",
            "So that you know when a follow-up is fair, rather than guessing.",
        ),
    ),
    RoundKind.VIDEO: (
        (
            "What does an ordinary week look like for someone in this role?",
            "The posting lists duties; a week shows how they add up.",
        ),
        (
            "How does the team work together when people are not in the same room?",
            "A video round is a fair moment to learn how remote the work really is.",
        ),
    ),
    RoundKind.PANEL: (
        (
            "From where each of you sits, what would this person have done after six months "
            "for you to call the hire a success?",
            "One question, one answer per member: you learn what each of them needs from the role.",
        ),
        (
            "Where does your own work meet this role day to day?",
            "It shows whom you would work with most, and how.",
        ),
    ),
    RoundKind.ON_SITE: (
        (
            "Could I see where the team works, and meet someone who joined in the last year?",
            "A recent hire remembers the first months, and the place says a lot.",
        ),
        (
            "What do new people find hardest in their first months here?",
            "The honest answer is the one an informational interview would give you.",
        ),
    ),
    RoundKind.CASE: (
        (
            "How close is this case to problems the team works on?",
            "Ask it after the case: it turns the exercise into a look at the job.",
        ),
        (
            "How would you have gone about it?",
            "You learn how they think, and it ends the case on a conversation.",
        ),
    ),
    RoundKind.RECRUITER: (
        (
            "What is the salary range for the role, and what else is in the package?",
            "Recruiters expect it; it saves everyone a round if the range is wrong.",
        ),
        (
            "How many rounds are there, and when do they expect to decide?",
            "So that you can plan around other processes.",
        ),
    ),
    RoundKind.HEADHUNTER: (
        (
            "Who is the client, and what are they looking for that the description leaves out?",
            "A headhunter knows more than the description; the name may have to wait.",
        ),
        (
            "Is the search exclusive to you, and how many candidates will you present?",
            "It tells you how much their shortlist weighs.",
        ),
        (
            "What will you tell the client about me, and will you ask me before you send my "
            "résumé?",
            "Your résumé sent twice, or without your yes, looks careless to the client.",
        ),
    ),
}

STRENGTH_PROMPT = (
    "Tell a 60-second story that shows it: where you were, what you did, what came of it; "
    "then say why it matters for this role."
)
STRENGTH_PROMPT_SHORT = (
    "Say it in two sentences they can pass on to the hiring manager, with one fact that proves it."
)
WEAKNESS_PROMPT = (
    "If it comes up, name it plainly, say what you are doing about it, and end on something "
    "true you bring instead. No weakness dressed up as a strength."
)


# --- The read ------------------------------------------------------------------------------------


def _learning(item: Learning) -> Heard:
    conversation = item.conversation
    return Heard(
        text=item.text,
        label=item.get_kind_display(),
        who=conversation.contact.full_name,
        on=conversation.held_at,
        contact_id=conversation.contact_id,
        conversation_id=conversation.pk,
    )


def _note(note: Note) -> Heard:
    contact = note.contact or (note.conversation.contact if note.conversation else None)
    return Heard(
        text=Truncator(note.text).words(NOTE_WORDS),
        label="Note",
        who=contact.full_name if contact else "",
        on=note.created_at,
        contact_id=contact.pk if contact else None,
        conversation_id=note.conversation_id,
    )


def role_phrase(role: str) -> str:
    """The words that name the job in a role, for "a similar title": the part before any
    qualifier, without the seniority and role words around it ("Associate clinical
    specialist, cardiac rhythm" gives "clinical specialist", "Senior R&D engineer II" gives
    "R&D engineer"). Kept as typed, since the database compares it with titles as typed.
    Empty when nothing is left that says a field (a bare "Manager" would match half the
    network)."""
    words = taxonomy()
    head = re.split(r"[,;|()\[\]]|\s[-–—]\s", role, maxsplit=1)[0].split()

    def folded(word: str) -> list[str]:
        return words.tokens(word, levels=True)

    def role_word(word: str) -> bool:
        return all(t in words.seniority or t in words.generic for t in folded(word))

    while head and role_word(head[0]):
        head.pop(0)
    while head and all(t in words.seniority for t in folded(head[-1])):
        head.pop()
    if not any(not role_word(word) for word in head):
        return ""
    return " ".join(head)


def _organization_scope(lead: Lead) -> Q:
    """Conversations about the lead's organization: those held with someone who works there,
    and the conversation the lead came from."""
    scope = Q(pk__in=[])
    if lead.organization_id:
        scope |= Q(contact__organization_id=lead.organization_id, held_at__isnull=False)
    if lead.source_conversation_id:
        scope |= Q(pk=lead.source_conversation_id)
    return scope


def _role_scope(lead: Lead, phrase: str) -> Q | None:
    """Conversations about the role, from elsewhere: held ones whose targets include the
    lead's target, or with a contact whose title holds the role's phrase (``role_phrase``).
    The title match is a plain "contains" in the database, so the list stays one bounded
    query however large the network; it misses a title abbreviated differently, which only
    leaves a learning out."""
    scope = None
    if lead.target_id:
        scope = Q(targets=lead.target_id)
    if phrase:
        by_title = Q(contact__title__icontains=phrase)
        scope = by_title if scope is None else scope | by_title
    return scope


def _role_rule(lead: Lead, phrase: str) -> str:
    parts = []
    if lead.target_id and lead.target:
        parts.append(f"about {lead.target.name}")
    if phrase:
        parts.append(f"with someone whose title says “{phrase}”")
    if not parts:
        return ""
    return "From your other conversations " + " or ".join(parts) + "."


def _interviewers(round_: FormalInterview, owner: int) -> list[Interviewer]:
    people = list(round_.interviewers.select_related("organization").order_by("last_name", "id"))
    if not people:
        return []
    met = {
        row["contact_id"]: (row["times"], row["last"])
        for row in Conversation.objects.filter(
            owner_id=owner, contact__in=[p.pk for p in people], held_at__isnull=False
        )
        .values("contact_id")
        .annotate(times=Count("id"), last=Max("held_at"))
    }
    return [Interviewer(person, *met.get(person.pk, (0, None))) for person in people]


def _checklist(kind: str, interviewers: list[Interviewer]) -> list[str]:
    members = ", ".join(
        f"{i.contact.full_name} ({i.contact.title})" if i.contact.title else i.contact.full_name
        for i in interviewers
    )
    items = [
        text.format(members=members or "ask the recruiter who will be on it")
        for text in CHECKLISTS.get(kind, ())
    ]
    return [*CHECKLIST_ALWAYS, *items]


def _prompts(lead: Lead, kind: str) -> tuple[list[AnswerPrompt], list[AnswerPrompt]]:
    if not lead.target_id:
        return [], []
    lines = (
        FitLine.objects.filter(
            owner=lead.owner_id,
            target_id=lead.target_id,
            kind__in=(LineKind.STRENGTH, LineKind.WEAKNESS),
        )
        .order_by("id")
        .prefetch_related(
            Prefetch(
                "learnings",
                queryset=Learning.objects.select_related("conversation__contact").order_by("id"),
            ),
            Prefetch(
                "notes",
                queryset=Note.objects.select_related("contact", "conversation__contact").order_by(
                    "id"
                ),
            ),
        )
    )
    short = kind in (RoundKind.RECRUITER, RoundKind.HEADHUNTER)
    strengths, weaknesses = [], []
    for line in lines:
        evidence = tuple(
            [_learning(item) for item in line.learnings.all()]
            + [_note(note) for note in line.notes.all()]
        )
        if line.kind == LineKind.STRENGTH:
            prompt = STRENGTH_PROMPT_SHORT if short else STRENGTH_PROMPT
            strengths.append(AnswerPrompt(line.kind, line.text, prompt, evidence))
        else:
            weaknesses.append(AnswerPrompt(line.kind, line.text, WEAKNESS_PROMPT, evidence))
    return strengths, weaknesses


def _asks(lead: Lead, kind: str, downsides: list[Heard]) -> list[Ask]:
    asks = [Ask(text, why) for text, why in ASKS.get(kind, ())]
    # What the conversations said was hard there: ask how it is on this team, now.
    for heard in downsides[:HEARD_DOWNSIDES]:
        asks.append(
            Ask(
                "How does this work on your team?",
                f"A downside {heard.who or 'a conversation'} told you about: ask how it is here "
                "and now, without naming who said it.",
                heard=heard.text,
            )
        )
    if lead.target_id:
        target = lead.target.name if lead.target else ""
        rows = (
            OpenQuestion.objects.filter(
                owner=lead.owner_id, target_id=lead.target_id, resolved=False
            )
            .select_related("question")
            .order_by("id")[:OPEN_QUESTIONS]
        )
        asks += [
            Ask(
                row.question.text,
                f"Still open in your fit assessment of {target}: an interview is a fair place "
                "to settle it.",
            )
            for row in rows
        ]
    return asks


def round_sheet(*, round_: FormalInterview) -> RoundSheet:
    """The sheet for this round (fetched with ``round_queryset``)."""
    lead = round_.lead
    owner = round_.owner_id
    mine = Conversation.objects.filter(owner_id=owner)
    about_organization = mine.filter(_organization_scope(lead))
    organization_learnings = [
        _learning(item)
        for item in Learning.objects.filter(owner_id=owner, conversation__in=about_organization)
        .select_related("conversation__contact")
        .order_by("-conversation__held_at", "id")[:ORGANIZATION_LEARNINGS]
    ]
    # Notes on the people there and on those conversations; the lead's source contact too.
    notes_scope = Q(conversation__in=about_organization)
    if lead.organization_id:
        notes_scope |= Q(contact__organization_id=lead.organization_id)
    if lead.source_contact_id:
        notes_scope |= Q(contact_id=lead.source_contact_id)
    notes = [
        _note(note)
        for note in Note.objects.filter(notes_scope, owner_id=owner)
        .select_related("contact", "conversation__contact")
        .order_by("-created_at", "-id")[:NOTES]
    ]
    phrase = role_phrase(lead.role)
    scope = _role_scope(lead, phrase)
    role_learnings: list[Heard] = []
    if scope is not None:
        about_role = mine.filter(scope, held_at__isnull=False).exclude(_organization_scope(lead))
        role_learnings = [
            _learning(item)
            for item in Learning.objects.filter(
                owner_id=owner, conversation__in=about_role.values("pk")
            )
            .select_related("conversation__contact")
            .order_by("-conversation__held_at", "id")[:ROLE_LEARNINGS]
        ]
    strengths, weaknesses = _prompts(lead, round_.kind)
    interviewers = _interviewers(round_, owner)
    downsides = [h for h in organization_learnings if h.label == Learning.Kind.NEGATIVE.label]
    return RoundSheet(
        round=round_,
        lead=lead,
        organization_learnings=organization_learnings,
        notes=notes,
        role_learnings=role_learnings,
        role_rule=_role_rule(lead, phrase),
        strengths=strengths,
        weaknesses=weaknesses,
        asks=_asks(lead, round_.kind, downsides),
        interviewers=interviewers,
        checklist=_checklist(round_.kind, interviewers),
    )
