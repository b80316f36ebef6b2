"""An import's plan, read before anything is written: who in the file is new, who is already a
contact (by LinkedIn profile, then email address, then exact name at the same organization) and
what changes for them, who may be a duplicate, and what the LinkedIn archive says happened.

Reads only, so a preview and a dry run write nothing; services.py applies a plan.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from django.contrib.auth.models import User
from django.utils import timezone

from coffeechat.contacts.identity import linkedin_key, name_key
from coffeechat.contacts.models import Contact, JobHistory
from coffeechat.imports import parsers
from coffeechat.imports.parsers import Person
from coffeechat.organizations.models import Organization, organization_key

Progress = Callable[[int, int], None]

SOURCE = {
    "linkedin": JobHistory.Source.LINKEDIN,
    "google": JobHistory.Source.GOOGLE,
    "outlook": JobHistory.Source.OUTLOOK,
    "vcard": JobHistory.Source.VCARD,
}
BOOK_NAME = {
    "google": "Google contacts",
    "outlook": "Outlook contacts",
    "vcard": "address book (vCard)",
}
_FIELDS = (
    "id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "linkedin_url",
    "organization_id",
    "title",
    "how_connected",
    "connection_detail",
    "last_interaction",
)


@dataclass
class Update:
    contact_id: int
    name: str
    values: dict[str, Any]
    changes: list[str]
    old_job: tuple[int | None, str] | None = None  # (organization id, title) that ended


@dataclass
class Duplicate:
    row: int
    name: str
    contact_id: int


# What a preview keeps of each list: the page shows this many, and the counts.
SAMPLE = {"new": 50, "updates": 100, "duplicates": 100}


@dataclass
class Plan:
    """What an import will do. With ``keep`` (an import), ``new`` and ``updates`` hold every
    row to write; without it (a preview), only the first few, for the page to show: the
    counts say how many there are."""

    format: str
    today: date
    keep: bool = True
    # An import's new people go to the writer as they are found (NewRows): ``new`` keeps the
    # first few, for the summary, as a preview's does.
    streamed: bool = False
    new: list[Person] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    duplicate_count: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)
    unchanged: int = 0
    # Organizations to create: key -> the name as first spelled in the file.
    new_organizations: dict[str, str] = field(default_factory=dict)
    organization_ids: dict[str, int] = field(default_factory=dict)
    # Contacts the archive's messages and invitations touch (contact id or new-row index).
    touched: int = 0
    # From a LinkedIn archive: the latest message per profile key, and who invited whom.
    latest: dict[str, date] = field(default_factory=dict)
    invited: dict[str, tuple[str, date]] = field(default_factory=dict)
    # Hashes of the profile keys of new people in an archive, which its messages may touch.
    new_profiles: set[int] = field(default_factory=set)

    @property
    def family(self) -> str:
        return parsers.FAMILY_OF[self.format]

    def add_new(self, person: Person) -> None:
        self.created += 1
        if (self.keep and not self.streamed) or len(self.new) < SAMPLE["new"]:
            self.new.append(person)

    def add_update(self, update: Update) -> None:
        self.updated += 1
        if self.keep or len(self.updates) < SAMPLE["updates"]:
            self.updates.append(update)

    def add_duplicate(self, duplicate: Duplicate) -> None:
        self.duplicate_count += 1
        if len(self.duplicates) < SAMPLE["duplicates"]:
            self.duplicates.append(duplicate)

    def summary(self) -> dict[str, Any]:
        """What the preview page and ``--json`` show; also kept on the ImportBatch."""
        return {
            "format": self.format,
            "created": self.created,
            "updated": self.updated,
            "duplicates": self.duplicate_count,
            "unchanged": self.unchanged,
            "interactions": self.touched,
            "organizations": len(self.new_organizations),
            "skipped": [{"row": row, "reason": reason} for row, reason in self.skipped],
            "new_sample": [p.full_name for p in self.new[: SAMPLE["new"]]],
            "updated_sample": [
                {"contact_id": u.contact_id, "name": u.name, "changes": u.changes}
                for u in self.updates[: SAMPLE["updates"]]
            ],
            "duplicate_sample": [
                {"row": d.row, "name": d.name, "contact_id": d.contact_id}
                for d in self.duplicates[: SAMPLE["duplicates"]]
            ],
        }


# Where each of _FIELDS is in an existing contact's row.
_AT = {name: i for i, name in enumerate(_FIELDS)}
_ID, _FIRST, _LAST, _EMAIL, _URL, _ORGANIZATION, _TITLE = (
    _AT[name]
    for name in ("id", "first_name", "last_name", "email", "linkedin_url", "organization_id")
    + ("title",)
)


class _Existing:
    """The account's contacts, indexed the three ways a row can match them. Each is kept as
    its tuple of _FIELDS (a dict per row took twice the memory at 300,000 contacts). The name
    index is built on first use: a file whose every row matches by profile or address (a
    re-import) never needs it, and it is the costliest of the three."""

    def __init__(self, owner: User) -> None:
        self.rows: dict[int, tuple[Any, ...]] = {}
        self.by_profile: dict[str, int] = {}
        self.by_email: dict[str, int] = {}
        self._by_name: dict[str, list[int]] | None = None
        for row in Contact.objects.filter(owner=owner).values_list(*_FIELDS).iterator(2000):
            pk = row[_ID]
            self.rows[pk] = row
            if key := linkedin_key(row[_URL]):
                self.by_profile.setdefault(key, pk)
            if row[_EMAIL]:
                self.by_email.setdefault(row[_EMAIL].lower(), pk)

    def same_name(self, first: str, last: str) -> list[int]:
        if not self.rows:
            return []
        if self._by_name is None:
            self._by_name = {}
            for pk, row in self.rows.items():
                self._by_name.setdefault(name_key(row[_FIRST], row[_LAST]), []).append(pk)
        return self._by_name.get(name_key(first, last), [])


def _job_text(title: str, organization: str) -> str:
    return " at ".join(part for part in (title, organization) if part) or "no job"


class _Seen:
    """The file's earlier rows, by the hash of a profile key or of an address: a preview of
    a large file keeps one number per row, not its strings. An import keeps each row's number
    for the message; a preview keeps the hashes alone (a set holds them in half the memory of
    a dict of numbers: 757,000 LinkedIn rows in 40 MB instead of 80). Two of a million 64-bit
    hashes agree by chance about once in 10^7 files; a row would be reported as a repeat."""

    def __init__(self, *, rows: bool) -> None:
        self.rows: dict[int, int] | None = {} if rows else None
        self.hashes: set[int] = set()

    def get(self, key: int) -> str | None:
        if self.rows is not None:
            row = self.rows.get(key)
            return f"row {row}" if row is not None else None
        return "an earlier row" if key in self.hashes else None

    def add(self, key: int, row: int) -> None:
        if self.rows is not None:
            self.rows.setdefault(key, row)
        else:
            self.hashes.add(key)


class NewRows(Protocol):
    """Where an import's new people go as the plan finds them (imports.writing)."""

    def start(self, plan: Plan) -> None: ...

    def add(self, person: Person, company_key: str) -> None: ...


def import_plan(
    *,
    owner: User,
    parsed: parsers.Parsed,
    today: date | None = None,
    progress: Progress | None = None,
    keep: bool = True,
    write: NewRows | None = None,
) -> Plan:
    """What importing ``parsed`` would do to ``owner``'s contacts. Reads only, except that
    each new person is handed to ``write`` (an import) as soon as it is known. Without
    ``keep`` (a preview), keeps counts and samples."""
    plan = Plan(
        format=parsed.format,
        today=today or timezone.localdate(),
        keep=keep,
        streamed=write is not None,
    )
    existing = _Existing(owner)
    organizations = dict(
        Organization.objects.filter(owner=owner).values_list("key", "id").iterator(2000)
    )
    plan.organization_ids = organizations
    organization_names = {pk: key for key, pk in organizations.items()}
    if write is not None:
        write.start(plan)
    keys: dict[str, str] = {}  # raw company name -> key; exports repeat employers a lot
    seen_profiles, seen_emails = _Seen(rows=keep), _Seen(rows=keep)
    archive = parsed.format == "linkedin-archive"
    people = parsed.people
    total = len(people) if isinstance(people, list) else parsed.expected
    index = -1
    for index, person in enumerate(people):  # counted after the loop too
        if progress and index % 2000 == 0:
            progress(index, total)
        profile = person.profile_key
        emails = person.emails
        profile_hash = hash(profile) if profile else 0
        earlier = seen_profiles.get(profile_hash) if profile else None
        if not earlier and emails:
            earlier = next((seen for e in emails if (seen := seen_emails.get(hash(e)))), None)
        if earlier:
            parsed.skipped.append((person.row, f"the same person as {earlier}"))
            continue
        if profile:
            seen_profiles.add(profile_hash, person.row)
        for email in emails:
            seen_emails.add(hash(email), person.row)

        company_key = keys.get(person.organization)
        if company_key is None:
            company_key = keys[person.organization] = organization_key(person.organization)
        if company_key and company_key not in organizations:
            plan.new_organizations.setdefault(company_key, person.organization)

        match = existing.by_profile.get(profile) if profile else None
        if match is None and emails:
            match = next((existing.by_email[e] for e in emails if e in existing.by_email), None)
        same_name: list[int] = []
        if match is None:
            # name_key is the costliest step per row: only for rows nothing else matched.
            same_name = existing.same_name(person.first_name, person.last_name)
            for pk in same_name:
                row = existing.rows[pk]
                other_key = organization_names.get(row[_ORGANIZATION], "")
                # The same name at the same employer, with nothing that says otherwise, is the
                # same person; an older export without profile links depends on this.
                if other_key == company_key and not (
                    profile and linkedin_key(row[_URL]) not in ("", profile)
                ):
                    match = pk
                    break
        if match is None:
            plan.add_new(person)
            if write is not None:
                write.add(person, company_key)
            if archive and profile:
                plan.new_profiles.add(profile_hash)
            if same_name:
                plan.add_duplicate(Duplicate(person.row, person.full_name, same_name[0]))
            continue
        update = _update_for(existing.rows[match], person, company_key, organization_names)
        if update:
            plan.add_update(update)
        else:
            plan.unchanged += 1
    parsed.found = index + 1
    parsed.check_found()
    # Rows skipped while reading and while planning, in the file's order.
    plan.skipped = parsed.skipped
    _plan_interactions(plan, parsed, existing)
    if progress:
        progress(parsed.found, max(total, parsed.found))
    return plan


def _update_for(
    row: tuple[Any, ...], person: Person, company_key: str, organization_names: dict[int, str]
) -> Update | None:
    """Fills blanks, and follows a job change; never overwrites what the user typed
    elsewhere (names, notes, how they are connected)."""
    values: dict[str, Any] = {}
    changes: list[str] = []
    for name, new in (
        ("email", person.email),
        ("phone", person.phone),
        ("linkedin_url", person.linkedin_url),
    ):
        if new and not row[_AT[name]]:
            values[name] = new
            changes.append(f"{name.replace('_', ' ')} added")
    old_key = organization_names.get(row[_ORGANIZATION], "")
    moved = bool(company_key) and company_key != old_key
    retitled = bool(person.title) and person.title != row[_TITLE]
    old_job = None
    if moved or retitled:
        old_job = (row[_ORGANIZATION], row[_TITLE])
        values["title"] = person.title or row[_TITLE]
        values["organization_key"] = company_key if moved else old_key
        values["organization_name"] = person.organization
        changes.append(f"now {_job_text(person.title, person.organization)}")
    if not values:
        return None
    return Update(
        contact_id=row[_ID],
        name=f"{row[_FIRST]} {row[_LAST]}".strip(),
        values=values,
        changes=changes,
        old_job=old_job if (old_job and (old_job[0] or old_job[1])) else None,
    )


def _plan_interactions(plan: Plan, parsed: parsers.Parsed, existing: _Existing) -> None:
    """Messages and invitations of a LinkedIn archive: the latest date per profile, and how
    the connection began. Applied to contacts that exist or that this import creates."""
    latest: dict[str, date] = {}
    invited: dict[str, tuple[str, date]] = {}
    for interaction in parsed.interactions:
        key = linkedin_key(interaction.profile_url)
        if interaction.on > latest.get(key, date.min):
            latest[key] = interaction.on
        if interaction.invitation:
            invited[key] = (interaction.invitation, interaction.on)
    plan.latest, plan.invited = latest, invited
    plan.touched = sum(
        1
        for key in set(latest) | set(invited)
        if key in existing.by_profile or hash(key) in plan.new_profiles
    )


def invitation_detail(direction: str, on: date) -> str:
    day = f"{on.day} {on:%b %Y}"
    return (
        f"LinkedIn: you invited them on {day}"
        if direction == "outgoing"
        else (f"LinkedIn: they invited you on {day}")
    )
