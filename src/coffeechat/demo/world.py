"""The demo's world: Maya's employers and targets, the people she knows, her conversations
and what she wrote down about them, as demo/data/*.toml describes them.

Rows go in with ``bulk_create``, a few queries per table whatever their number.
"""

from __future__ import annotations

import random
import unicodedata
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import User
from django.db import models

from coffeechat.contacts.models import Contact, Tag
from coffeechat.conversations.models import Conversation, Learning, Status
from coffeechat.demo.clock import Clock, roll_to_weekday
from coffeechat.demo.dataset import (
    AFFINITY_DETAILS,
    BROAD_TARGETS,
    COLLEAGUE_DETAILS,
    CONTACT_NOTES,
    CONVERSATION_NOTES,
    DOMAIN_NOISE,
    EMPLOYERS,
    EVENTS,
    FILLER_REFERRALS,
    FIRST_NAMES,
    FOLLOWUPS,
    FRIEND_DETAILS,
    INTRODUCERS,
    LAST_NAMES,
    LEARNINGS,
    MAJORS,
    ONLINE_DETAILS,
    OTHER_INTERACTIONS,
    PEOPLE,
    TAG_FOR_TITLE,
    TAGS,
    TALKS,
    THIS_WEEK,
    TITLES,
    TOTAL_CONTACTS,
    UNATTACHED_TITLES,
    Employer,
    Talk,
)
from coffeechat.followups.models import FollowUp
from coffeechat.notes.models import Note
from coffeechat.organizations.models import Organization, organization_key
from coffeechat.targets.models import Target

Connection = Contact.Connection
Medium = Conversation.Medium
_A = Target.Status.ACTIVE


def _domain(name: str) -> str:
    """A fictional domain under the reserved .example TLD, so no address can reach anyone."""
    words = organization_key(name).split()
    kept = [word for word in words if word not in DOMAIN_NOISE] or words
    return "-".join(kept) + ".example"


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _email(first: str, last: str, domain: str) -> str:
    local = ".".join(_ascii(part).lower().replace(" ", "") for part in (first, last) if part)
    return f"{local}@{domain}"


# Final statuses written one step early: the loop logs the request (and its nudge) through the
# outreach service first, then moves the conversation on with conversation_transition. A request
# logged on a conversation already marked "no reply" would move it back to "requested".
REPLAYED = (Status.NO_REPLY,)

# Statuses that count as hearing from or speaking with the contact (as in the services).
_INTERACTIONS = (Status.SCHEDULED, Status.HELD, Status.THANKED, Status.FOLLOWING_UP)


@dataclass
class _Plan:
    """A conversation's resolved times."""

    talk: Talk
    stamps: dict[str, datetime] = field(default_factory=dict)
    starts_at: datetime | None = None

    @property
    def status(self) -> str:
        return self.talk.steps[-1][0]

    @property
    def first(self) -> datetime:
        return min(self.stamps.values())

    @property
    def last(self) -> datetime:
        return max(self.stamps.values())

    def last_interaction(self, tz: zoneinfo.ZoneInfo) -> date | None:
        reached = [self.stamps[s] for s in _INTERACTIONS if s in self.stamps]
        return max(reached).astimezone(tz).date() if reached else None


def _plan(talk: Talk, clock: Clock) -> _Plan:
    plan = _Plan(talk)
    if talk.starts:
        days, hour, minute = talk.starts
        day = clock.today + timedelta(days=days)
        if talk.roll_to_weekday:
            # Past meetings roll back to the Friday (the schedule step leaves room for it);
            # future ones forward to the Monday.
            day = roll_to_weekday(day, forward=days > 0)
        plan.starts_at = datetime.combine(day, time(hour, minute), clock.tz)
    for status, days, hour, minute in talk.steps:
        if status == Status.HELD:
            assert plan.starts_at is not None
            plan.stamps[status] = plan.starts_at + timedelta(minutes=talk.minutes + 3)
        elif status == Status.THANKED:
            plan.stamps[status] = plan.stamps[Status.HELD] + timedelta(hours=talk.thank_after_hours)
        elif days == THIS_WEEK:
            plan.stamps[status] = clock.this_week()
        else:
            plan.stamps[status] = clock.at(days, hour, minute)
    return plan


# ---------------------------------------------------------------------------------------------
# The build.
# ---------------------------------------------------------------------------------------------


def _create_dated[M: models.Model](
    model: type[M], rows: Sequence[tuple[M, datetime, datetime]]
) -> list[M]:
    """bulk_create, then give each row believable created/updated times: auto_now fields
    ignore values set before the insert, but bulk_update writes them as given."""
    objects = model._default_manager.bulk_create([obj for obj, _, _ in rows])
    for obj, created, updated in rows:
        obj.created_at = created  # type: ignore[attr-defined]
        obj.updated_at = updated  # type: ignore[attr-defined]
    model._default_manager.bulk_update(objects, ["created_at", "updated_at"])
    return objects


def _build_organizations(user: User, clock: Clock) -> dict[str, Organization]:
    rows = []
    for index, employer in enumerate(EMPLOYERS):
        when = clock.at(-95 + index // 2, 20, 30)
        organization = Organization(
            owner=user,
            name=employer.name,
            key=organization_key(employer.name),  # save() would compute it; bulk_create won't
            industry=employer.industry,
            website=f"https://www.{_domain(employer.name)}",
        )
        rows.append((organization, when, when))
    return {org.name: org for org in _create_dated(Organization, rows)}


def _build_targets(
    user: User, organizations: dict[str, Organization], clock: Clock
) -> dict[str, Target]:
    rows = []
    for index, (kind, name, advocacy, motivation, posting, why) in enumerate(BROAD_TARGETS):
        target = Target(
            owner=user,
            kind=kind,
            name=name,
            advocacy=advocacy,
            motivation=motivation,
            posting=posting,
            why=why,
        )
        when = clock.at(-100 + index, 21, 0)
        rows.append((target, when, when))
    for index, employer in enumerate(EMPLOYERS):
        target = Target(
            owner=user,
            kind=Target.Kind.ORGANIZATION,
            name=employer.name,
            organization=organizations[employer.name],
            advocacy=employer.advocacy,
            motivation=employer.motivation,
            posting=employer.posting,
            why=employer.why,
            status=employer.status,
        )
        created = clock.at(-95 + index // 2, 20, 35)
        # Parked and done targets were revisited after some conversations.
        updated = created if employer.status == _A else clock.at(-16, 19, 0)
        rows.append((target, created, updated))
    return {target.name: target for target in _create_dated(Target, rows)}


def _build_tags(user: User, clock: Clock) -> dict[str, Tag]:
    when = clock.at(-96, 21, 0)  # made up while adding the first contacts
    tags = _create_dated(Tag, [(Tag(owner=user, name=name), when, when) for name in TAGS])
    return {tag.name: tag for tag in tags}


@dataclass
class _ContactRow:
    contact: Contact
    created: datetime
    tags: tuple[str, ...]
    introduced_by: str | None = None  # handle of a key person


def _key_contacts(
    user: User, organizations: dict[str, Organization], plans: dict[str, _Plan], clock: Clock
) -> dict[str, _ContactRow]:
    rows: dict[str, _ContactRow] = {}
    for index, person in enumerate(PEOPLE):
        organization = organizations[person.organization] if person.organization else None
        domain = _domain(person.organization) if person.organization else "mail.example"
        plan = plans.get(person.handle)
        last = plan.last_interaction(clock.tz) if plan else None
        if person.handle in OTHER_INTERACTIONS:
            last = clock.today + timedelta(days=OTHER_INTERACTIONS[person.handle])
        # Added just before the conversation idea, or early on for people with none.
        created = plan.first - timedelta(minutes=10) if plan else clock.at(-80 + index, 19, 0)
        contact = Contact(
            owner=user,
            first_name=person.first,
            last_name=person.last,
            organization=organization,
            title=person.title,
            email=_email(person.first, person.last, domain),
            phone=person.phone,
            how_connected=person.connection,
            connection_detail=person.detail,
            last_interaction=last,
        )
        rows[person.handle] = _ContactRow(contact, created, person.tags, person.introduced_by)
    return rows


def _filler_connection(rng: random.Random, employer: Employer | None) -> tuple[str, str]:
    """How Maya knows someone she has not talked to yet; alumni and affinity contacts only at
    employers marked with advocacy (or outside any employer), so LAMP stays truthful."""
    may_advocate = employer is None or employer.advocacy
    roll = rng.random()
    if may_advocate and roll < 0.45:
        major, year = rng.choice(MAJORS), rng.randint(8, 23)
        return Connection.ALUMNI, f"Riverside State, {major} '{year:02d}"
    if may_advocate and roll < 0.55:
        return Connection.AFFINITY, rng.choice(AFFINITY_DETAILS)
    roll = rng.random()
    if roll < 0.40:
        return Connection.ONLINE, rng.choice(ONLINE_DETAILS)
    if roll < 0.55:
        return Connection.EVENT, rng.choice(EVENTS)
    if roll < 0.60:
        return Connection.COLLEAGUE, rng.choice(COLLEAGUE_DETAILS)
    if roll < 0.65:
        return Connection.FRIEND, rng.choice(FRIEND_DETAILS)
    return Connection.COLD, ""


def _filler_employers(rng: random.Random, count: int) -> list[Employer | None]:
    """Who works where: an alumni-capable contact at every advocacy employer first, then
    more people at the employers Maya cares about most, and some outside any employer."""
    advocacy = [employer for employer in EMPLOYERS if employer.advocacy]
    weights = [1 + employer.motivation for employer in EMPLOYERS]
    rest = count - len(advocacy) - len(UNATTACHED_TITLES)
    chosen: list[Employer | None] = list(rng.choices(EMPLOYERS, weights=weights, k=rest))
    chosen += [None] * len(UNATTACHED_TITLES)
    rng.shuffle(chosen)
    return advocacy + chosen


def _filler_names(
    rng: random.Random, count: int, taken: set[tuple[str, str]]
) -> list[tuple[str, str]]:
    """Names drawn from shuffled decks rather than independently, so that no surname turns up
    five times in one small network."""
    firsts, lasts = list(FIRST_NAMES), list(LAST_NAMES)
    rng.shuffle(firsts)
    rng.shuffle(lasts)
    names: list[tuple[str, str]] = []
    index = 0
    while len(names) < count:
        first, last = firsts[index % len(firsts)], lasts[index % len(lasts)]
        index += 1
        if (first, last) not in taken:
            taken.add((first, last))
            names.append((first, last))
    return names


def _filler_contacts(
    user: User, organizations: dict[str, Organization], rng: random.Random, clock: Clock
) -> list[_ContactRow]:
    count = TOTAL_CONTACTS - len(PEOPLE)
    unattached = list(UNATTACHED_TITLES)
    advocates = sum(employer.advocacy for employer in EMPLOYERS)
    rows = []
    names = _filler_names(rng, count, taken={(person.first, person.last) for person in PEOPLE})
    for index, employer in enumerate(_filler_employers(rng, count)):
        first, last = names[index]
        if employer is None:
            title, domain, organization = unattached.pop(), "mail.example", None
        else:
            title = rng.choice(TITLES[employer.industry])
            domain, organization = _domain(employer.name), organizations[employer.name]
        connection, detail = _filler_connection(rng, employer)
        if index < advocates:
            # Advocacy means an alumni contact there: the first fillers guarantee one each.
            connection = Connection.ALUMNI
            detail = f"Riverside State, {rng.choice(MAJORS)} '{rng.randint(8, 23):02d}"
        last_interaction = None
        if connection == Connection.EVENT:
            last_interaction = clock.today - timedelta(days=rng.randint(30, 90))
        contact = Contact(
            owner=user,
            first_name=first,
            last_name=last,
            organization=organization,
            title=title,
            email=_email(first, last, domain) if rng.random() < 0.85 else "",
            how_connected=connection,
            connection_detail=detail,
            last_interaction=last_interaction,
        )
        tags = tuple(sorted({tag for word, tag in TAG_FOR_TITLE if word in title.lower()}))
        tags = tags if rng.random() < 0.4 else ()
        created = clock.at(-rng.randint(20, 90), rng.randint(18, 22), rng.choice((0, 15, 30, 45)))
        rows.append(_ContactRow(contact, created, tags))
    _make_referrals(rows, rng)
    return rows


def _make_referrals(rows: list[_ContactRow], rng: random.Random) -> None:
    """Some of the people Maya has not met yet came recommended by people she has."""
    candidates = [
        row for row in rows if row.contact.how_connected in (Connection.COLD, Connection.ONLINE)
    ]
    for row in rng.sample(candidates, FILLER_REFERRALS):
        introducer = rng.choice(INTRODUCERS)
        row.introduced_by = introducer
        row.contact.how_connected = Connection.REFERRAL
        name = next(person for person in PEOPLE if person.handle == introducer).first
        row.contact.connection_detail = f"Recommended by {name}"


def _build_contacts(
    user: User,
    organizations: dict[str, Organization],
    tags: dict[str, Tag],
    plans: dict[str, _Plan],
    rng: random.Random,
    clock: Clock,
) -> tuple[dict[str, Contact], list[Contact]]:
    key_rows = _key_contacts(user, organizations, plans, clock)
    rows = list(key_rows.values()) + _filler_contacts(user, organizations, rng, clock)
    contacts = Contact.objects.bulk_create([row.contact for row in rows])
    by_handle = {handle: row.contact for handle, row in key_rows.items()}
    # Introducers and creation times need the primary keys: one update for both.
    for row in rows:
        row.contact.introduced_by = by_handle[row.introduced_by] if row.introduced_by else None
        row.contact.created_at = row.contact.updated_at = row.created
    Contact.objects.bulk_update(contacts, ["introduced_by", "created_at", "updated_at"])
    Through = Contact.tags.through
    Through.objects.bulk_create(
        [
            Through(contact_id=row.contact.pk, tag_id=tags[name].pk)
            for row in rows
            for name in row.tags
        ]
    )
    return by_handle, contacts


def _video_link(rng: random.Random) -> str:
    letters = "abcdefghijkmnpqrstuvwxyz"
    code = "".join(rng.choice(letters) for _ in range(3))
    return f"https://meet.example.org/{code}-" + "".join(rng.choice(letters) for _ in range(4))


def _build_conversations(
    user: User,
    plans: dict[str, _Plan],
    contacts: dict[str, Contact],
    targets: dict[str, Target],
    rng: random.Random,
    profile_tz: str,
) -> dict[str, Conversation]:
    rows = []
    for handle, plan in plans.items():
        talk = plan.talk
        place = talk.place
        if not place and talk.medium == Medium.VIDEO and plan.starts_at:
            place = _video_link(rng)
        stamps = dict(plan.stamps)
        status = plan.status
        if status in REPLAYED:
            # Written as it stood when its request went out; see REPLAYED.
            del stamps[status]
            status = talk.steps[-2][0]
        conversation = Conversation(
            owner=user,
            contact=contacts[handle],
            status=status,
            starts_at=plan.starts_at,
            time_zone=profile_tz,
            planned_minutes=talk.minutes,
            medium=talk.medium,
            place=place,
            notes=talk.notes,
            **{f"{step}_at": at for step, at in stamps.items()},
        )
        rows.append((conversation, plan.first, max(stamps.values())))
    conversations = _create_dated(Conversation, rows)
    by_handle = dict(zip(plans, conversations, strict=True))
    Through = Conversation.targets.through
    Through.objects.bulk_create(
        [
            Through(conversation_id=by_handle[handle].pk, target_id=targets[name].pk)
            for handle, plan in plans.items()
            for name in plan.talk.targets
        ]
    )
    return by_handle


def _build_notes(
    user: User,
    plans: dict[str, _Plan],
    contacts: dict[str, Contact],
    conversations: dict[str, Conversation],
    clock: Clock,
) -> list[Note]:
    rows = []
    for handle, step, minutes, text in CONVERSATION_NOTES:
        when = min(plans[handle].stamps[step] + timedelta(minutes=minutes), clock.now)
        note = Note(owner=user, conversation=conversations[handle], text=text)
        rows.append((note, when, when))
    for handle, days, text in CONTACT_NOTES:
        when = clock.evening(days)
        rows.append((Note(owner=user, contact=contacts[handle], text=text), when, when))
    return _create_dated(Note, rows)


def _build_learnings(
    user: User, plans: dict[str, _Plan], conversations: dict[str, Conversation]
) -> list[Learning]:
    rows = []
    for handle, items in LEARNINGS.items():
        held = plans[handle].stamps[Status.HELD]
        for index, (kind, text) in enumerate(items):
            when = held + timedelta(minutes=10 + 4 * index)
            learning = Learning(
                owner=user, conversation=conversations[handle], kind=kind, text=text
            )
            rows.append((learning, when, when))
    return _create_dated(Learning, rows)


def _followup_dates(
    handle: str,
    on_conversation: bool,
    due: int,
    done: int | None,
    what: str,
    plans: dict[str, _Plan],
    clock: Clock,
) -> tuple[date, datetime | None, datetime]:
    """Due date, done time and creation time. A thank-you is due the day after the
    conversation and done when it was thanked; a conversation's follow-up was written right
    after its latest step."""
    due_on = clock.today + timedelta(days=due)
    done_at = clock.evening(done) if done is not None else None
    plan = plans.get(handle) if on_conversation else None
    if plan is None:
        created = clock.evening(min(due, 0) - 3)
        return due_on, done_at, min(created, done_at - timedelta(hours=1)) if done_at else created
    held = plan.stamps.get(Status.HELD)
    if held and what.startswith("Send thank-you"):
        due_on = held.astimezone(clock.tz).date() + timedelta(days=1)
        done_at = plan.stamps.get(Status.THANKED)
    anchor = held or plan.last
    created = min(anchor + timedelta(minutes=30), clock.now)
    return due_on, done_at, min(created, done_at) if done_at else created


def _build_followups(
    user: User,
    plans: dict[str, _Plan],
    contacts: dict[str, Contact],
    conversations: dict[str, Conversation],
    clock: Clock,
) -> list[FollowUp]:
    rows = []
    for handle, on_conversation, due, done, what in FOLLOWUPS:
        due_on, done_at, created = _followup_dates(
            handle, on_conversation, due, done, what, plans, clock
        )
        followup = FollowUp(
            owner=user,
            contact=None if on_conversation else contacts[handle],
            conversation=conversations[handle] if on_conversation else None,
            due_on=due_on,
            what=what,
            done_at=done_at,
        )
        rows.append((followup, created, done_at or created))
    return _create_dated(FollowUp, rows)


@dataclass
class World:
    """Everything the world build wrote, by the handles the demo's data uses."""

    plans: dict[str, _Plan]
    organizations: dict[str, Organization]
    targets: dict[str, Target]
    contacts: dict[str, Contact]
    everyone: list[Contact]
    conversations: dict[str, Conversation]
    notes: list[Note]
    learnings: list[Learning]
    followups: list[FollowUp]


def world_build(*, user: User, clock: Clock, rng: random.Random) -> World:
    plans = {talk.handle: _plan(talk, clock) for talk in TALKS}
    organizations = _build_organizations(user, clock)
    targets = _build_targets(user, organizations, clock)
    tags = _build_tags(user, clock)
    contacts, everyone = _build_contacts(user, organizations, tags, plans, rng, clock)
    conversations = _build_conversations(user, plans, contacts, targets, rng, str(clock.tz))
    return World(
        plans=plans,
        organizations=organizations,
        targets=targets,
        contacts=contacts,
        everyone=everyone,
        conversations=conversations,
        notes=_build_notes(user, plans, contacts, conversations, clock),
        learnings=_build_learnings(user, plans, conversations),
        followups=_build_followups(user, plans, contacts, conversations, clock),
    )
