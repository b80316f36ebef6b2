"""From parsed rows to contacts: match, plan, then write everything in one transaction.

The plan is computed with reads only (so a preview and a dry run write nothing), and the write
applies it with set-based statements: a 30,000-row export is a handful of INSERTs, not 30,000
saves. Matching is by LinkedIn profile, then email address, then exact name at the same
organization; a same-name row elsewhere is imported and flagged as a possible duplicate.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from coffeechat.contacts.models import Contact, JobHistory, Tag
from coffeechat.core.bulk import rows_insert
from coffeechat.imports import parsers
from coffeechat.imports.models import ImportBatch
from coffeechat.imports.parsers import Person, linkedin_key, name_key
from coffeechat.organizations.models import Organization, organization_key
from coffeechat.search.services import search_bulk

Progress = Callable[[int, int], None]

_SOURCE = {
    "linkedin": JobHistory.Source.LINKEDIN,
    "google": JobHistory.Source.GOOGLE,
    "outlook": JobHistory.Source.OUTLOOK,
    "vcard": JobHistory.Source.VCARD,
}
_BOOK_NAME = {
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


@dataclass
class Plan:
    format: str
    today: date
    new: list[Person] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
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

    @property
    def family(self) -> str:
        return parsers.FAMILY_OF[self.format]

    def summary(self) -> dict[str, Any]:
        """What the preview page and ``--json`` show; also kept on the ImportBatch."""
        return {
            "format": self.format,
            "created": len(self.new),
            "updated": len(self.updates),
            "duplicates": len(self.duplicates),
            "unchanged": self.unchanged,
            "interactions": self.touched,
            "organizations": len(self.new_organizations),
            "skipped": [{"row": row, "reason": reason} for row, reason in self.skipped],
            "new_sample": [p.full_name for p in self.new[:50]],
            "updated_sample": [
                {"contact_id": u.contact_id, "name": u.name, "changes": u.changes}
                for u in self.updates[:100]
            ],
            "duplicate_sample": [
                {"row": d.row, "name": d.name, "contact_id": d.contact_id}
                for d in self.duplicates[:100]
            ],
        }


class _Existing:
    """The account's contacts, indexed the three ways a row can match them."""

    def __init__(self, owner: User) -> None:
        self.rows: dict[int, dict[str, Any]] = {}
        self.by_profile: dict[str, int] = {}
        self.by_email: dict[str, int] = {}
        self.by_name: dict[str, list[int]] = {}
        for values in Contact.objects.filter(owner=owner).values_list(*_FIELDS).iterator(2000):
            row = dict(zip(_FIELDS, values, strict=True))
            pk = row["id"]
            self.rows[pk] = row
            if key := linkedin_key(row["linkedin_url"]):
                self.by_profile.setdefault(key, pk)
            if row["email"]:
                self.by_email.setdefault(row["email"].lower(), pk)
            self.by_name.setdefault(name_key(row["first_name"], row["last_name"]), []).append(pk)


def _job_text(title: str, organization: str) -> str:
    return " at ".join(part for part in (title, organization) if part) or "no job"


def import_plan(
    *,
    owner: User,
    parsed: parsers.Parsed,
    today: date | None = None,
    progress: Progress | None = None,
) -> Plan:
    """What importing ``parsed`` would do to ``owner``'s contacts. Reads only."""
    plan = Plan(
        format=parsed.format, today=today or timezone.localdate(), skipped=list(parsed.skipped)
    )
    existing = _Existing(owner)
    organizations = dict(
        Organization.objects.filter(owner=owner).values_list("key", "id").iterator(2000)
    )
    organization_names = {pk: key for key, pk in organizations.items()}
    keys: dict[str, str] = {}  # raw company name -> key; exports repeat employers a lot
    seen_profiles: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    total = len(parsed.people)
    for index, person in enumerate(parsed.people):
        if progress and index % 2000 == 0:
            progress(index, total)
        profile = person.profile_key
        earlier = seen_profiles.get(profile) if profile else None
        earlier = earlier or next((seen_emails[e] for e in person.emails if e in seen_emails), None)
        if earlier:
            plan.skipped.append((person.row, f"the same person as row {earlier}"))
            continue
        if profile:
            seen_profiles[profile] = person.row
        for email in person.emails:
            seen_emails.setdefault(email, person.row)

        company_key = keys.get(person.organization)
        if company_key is None:
            company_key = keys[person.organization] = organization_key(person.organization)
        if company_key and company_key not in organizations:
            plan.new_organizations.setdefault(company_key, person.organization)

        match = existing.by_profile.get(profile) if profile else None
        match = match or next(
            (existing.by_email[e] for e in person.emails if e in existing.by_email), None
        )
        # name_key is the costliest step per row; an empty account has nothing to compare.
        same_name = (
            existing.by_name.get(name_key(person.first_name, person.last_name), [])
            if existing.by_name
            else []
        )
        if match is None:
            for pk in same_name:
                row = existing.rows[pk]
                other_key = organization_names.get(row["organization_id"], "")
                # The same name at the same employer, with nothing that says otherwise, is the
                # same person; an older export without profile links depends on this.
                if other_key == company_key and not (
                    profile and linkedin_key(row["linkedin_url"]) not in ("", profile)
                ):
                    match = pk
                    break
        if match is None:
            plan.new.append(person)
            if same_name:
                plan.duplicates.append(Duplicate(person.row, person.full_name, same_name[0]))
            continue
        update = _update_for(existing.rows[match], person, company_key, organization_names)
        if update:
            plan.updates.append(update)
        else:
            plan.unchanged += 1
    _plan_interactions(plan, parsed, existing)
    if progress:
        progress(total, total)
    return plan


def _update_for(
    row: dict[str, Any], person: Person, company_key: str, organization_names: dict[int, str]
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
        if new and not row[name]:
            values[name] = new
            changes.append(f"{name.replace('_', ' ')} added")
    old_key = organization_names.get(row["organization_id"], "")
    moved = bool(company_key) and company_key != old_key
    retitled = bool(person.title) and person.title != row["title"]
    old_job = None
    if moved or retitled:
        old_job = (row["organization_id"], row["title"])
        values["title"] = person.title or row["title"]
        values["organization_key"] = company_key if moved else old_key
        values["organization_name"] = person.organization
        changes.append(f"now {_job_text(person.title, person.organization)}")
    if not values:
        return None
    return Update(
        contact_id=row["id"],
        name=f"{row['first_name']} {row['last_name']}".strip(),
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
    known = set(existing.by_profile) | {p.profile_key for p in plan.new}
    plan.touched = len(known & (set(latest) | set(invited)))


def _invitation_detail(direction: str, on: date) -> str:
    day = f"{on.day} {on:%b %Y}"
    return (
        f"LinkedIn: you invited them on {day}"
        if direction == "outgoing"
        else (f"LinkedIn: they invited you on {day}")
    )


@transaction.atomic
def import_apply(*, owner: User, plan: Plan, progress: Progress | None = None) -> None:
    """Writes the plan. One transaction: an error or an interruption part-way leaves the
    account exactly as it was."""
    now = timezone.now()
    total = len(plan.new) + len(plan.updates) + 1
    if progress:
        progress(0, total)

    with search_bulk(owner_id=owner.pk, since=now):
        _apply(owner=owner, plan=plan, now=now, total=total, progress=progress)
    if progress:
        progress(total, total)


def _apply(*, owner: User, plan: Plan, now: Any, total: int, progress: Progress | None) -> None:
    source = _SOURCE[plan.family]
    organization_ids = dict(
        Organization.objects.filter(owner=owner).values_list("key", "id").iterator(2000)
    )
    created_orgs = Organization.objects.bulk_create(
        [
            Organization(owner=owner, name=name, key=key, created_at=now, updated_at=now)
            for key, name in plan.new_organizations.items()
            if key not in organization_ids
        ],
        batch_size=1000,
    )
    organization_ids.update({org.key: org.pk for org in created_orgs})
    keys: dict[str, str] = {}

    def organization_id(name: str) -> int | None:
        key = keys.get(name)
        if key is None:
            key = keys[name] = organization_key(name)
        return organization_ids.get(key)

    latest, invited = plan.latest, plan.invited
    linkedin = plan.family == "linkedin"
    columns = [
        "owner",
        "first_name",
        "last_name",
        "email",
        "phone",
        "linkedin_url",
        "organization",
        "title",
        "notes",
        "how_connected",
        "connection_detail",
        "last_interaction",
        "created_at",
        "updated_at",
    ]
    stamp = connection.ops.adapt_datetimefield_value(now)
    day = connection.ops.adapt_datefield_value
    owner_id = owner.pk
    contacts: list[tuple[Any, ...]] = []
    # Hoisted out of the loop, which runs once per new contact (30,000 for a full export).
    online, address_book = Contact.Connection.ONLINE.value, Contact.Connection.ADDRESS_BOOK.value
    book_detail = "" if linkedin else f"In your {_BOOK_NAME[plan.family]}"
    since: dict[date | None, str] = {None: "LinkedIn connection"}
    for person in plan.new:
        profile = person.profile_key
        if linkedin:
            how = online
            on = person.connected_on
            detail = since.get(on)
            if detail is None:  # many people connected on the same day: format it once
                detail = since[on] = f"LinkedIn connection since {on.day} {on:%b %Y}"  # type: ignore[union-attr]
            if profile in invited:
                detail = _invitation_detail(*invited[profile])
        else:
            how, detail = address_book, book_detail
        last = latest.get(profile) if profile else None
        contacts.append(
            (
                owner_id,
                person.first_name,
                person.last_name,
                person.email,
                person.phone,
                person.linkedin_url,
                organization_id(person.organization),
                person.title,
                person.notes,
                how,
                detail,
                day(last) if last else None,
                stamp,
                stamp,
            )
        )
    _insert_rows(Contact, columns, contacts)
    if progress:
        progress(len(contacts), total)
    if any(person.tags for person in plan.new):
        # The rows went in without RETURNING; read their ids back, in insertion order, by the
        # timestamp this import gave them.
        ids = list(
            Contact.objects.filter(owner=owner, created_at=now)
            .order_by("id")
            .values_list("id", flat=True)
        )
        _apply_tags(owner=owner, people=plan.new, ids=ids)

    jobs = []
    # Grouped by the columns that changed, so each UPDATE sets only those.
    changed: dict[tuple[str, ...], list[Contact]] = {}
    for update in plan.updates:
        values = dict(update.values)
        key = values.pop("organization_key", None)
        values.pop("organization_name", None)
        if key is not None:
            values["organization_id"] = organization_ids.get(key) if key else None
        if update.old_job:
            jobs.append(
                JobHistory(
                    owner=owner,
                    contact_id=update.contact_id,
                    organization_id=update.old_job[0],
                    title=update.old_job[1],
                    ended_on=plan.today,
                    source=source,
                    created_at=now,
                    updated_at=now,
                )
            )
        changed.setdefault(tuple(sorted(values)), []).append(
            Contact(pk=update.contact_id, updated_at=now, **values)
        )
    for names, rows in changed.items():
        Contact.objects.bulk_update(rows, [*names, "updated_at"], batch_size=500)
    JobHistory.objects.bulk_create(jobs, batch_size=2000)
    _apply_interactions(owner=owner, latest=latest, invited=invited, now=now)


def _insert_rows(model: type[Model], columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """INSERT many rows (values database-ready, for the named fields) as a bare DB-API loop
    would: see core/bulk.py."""
    if rows:
        names = [str(getattr(model._meta.get_field(c), "column", c)) for c in columns]
        rows_insert(model._meta.db_table, names, rows)


def _apply_tags(*, owner: User, people: list[Person], ids: list[int]) -> None:
    names = {tag for person in people for tag in person.tags}
    if not names:
        return
    tags = {tag.name: tag.pk for tag in Tag.objects.filter(owner=owner, name__in=names)}
    created = Tag.objects.bulk_create(
        [Tag(owner=owner, name=name) for name in sorted(names - set(tags))]
    )
    tags.update({tag.name: tag.pk for tag in created})
    Through = Contact.tags.through
    Through.objects.bulk_create(
        [
            Through(contact_id=pk, tag_id=tags[name])
            for person, pk in zip(people, ids, strict=True)
            for name in dict.fromkeys(person.tags)
        ],
        batch_size=2000,
    )


def _apply_interactions(
    *, owner: User, latest: dict[str, date], invited: dict[str, tuple[str, date]], now: Any
) -> None:
    if not latest and not invited:
        return
    changed = []
    rows = Contact.objects.filter(owner=owner).exclude(linkedin_url="")
    for contact in rows.only(
        "id", "linkedin_url", "last_interaction", "how_connected", "connection_detail"
    ):
        key = linkedin_key(contact.linkedin_url)
        dirty = False
        if key in latest and (
            contact.last_interaction is None or latest[key] > contact.last_interaction
        ):
            contact.last_interaction = latest[key]
            dirty = True
        if key in invited:
            direction, on = invited[key]
            if contact.how_connected == Contact.Connection.COLD:
                contact.how_connected = Contact.Connection.ONLINE
                dirty = True
            if not contact.connection_detail or contact.connection_detail.startswith(
                "LinkedIn connection"
            ):
                detail = _invitation_detail(direction, on)
                if detail != contact.connection_detail:
                    contact.connection_detail = detail
                    dirty = True
            if contact.last_interaction is None or on > contact.last_interaction:
                contact.last_interaction = on
                dirty = True
        if dirty:
            contact.updated_at = now
            changed.append(contact)
    Contact.objects.bulk_update(
        changed,
        ["last_interaction", "how_connected", "connection_detail", "updated_at"],
        batch_size=500,
    )


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """An import allocates a few objects per row and frees them all at the end, with no
    cycles to find; the cyclic collector would still walk the growing heap again and again
    (a third of a 30,000-row parse). Reference counting frees everything as usual. The pause
    is process-wide and lasts one import, a second or two."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def import_file(
    *,
    owner: User,
    data: bytes,
    family: str = "auto",
    dry_run: bool = False,
    filename: str = "",
    progress: Progress | None = None,
    batch: ImportBatch | None = None,
) -> Plan:
    """Parse, plan and (unless ``dry_run``) write, recording the import on ``batch`` (or a new
    ImportBatch). Raises parsers.ImportError_ for a file that cannot be imported, before
    anything is written."""
    with _cyclic_gc_paused():
        parsed = parsers.parse(data, family=family)
        plan = import_plan(owner=owner, parsed=parsed, progress=progress)
        if not dry_run:
            with transaction.atomic():
                import_apply(owner=owner, plan=plan, progress=progress)
                # The record of what was done; a previewed upload's own batch drops its bytes.
                batch = batch or ImportBatch(owner=owner, filename=filename[:255])
                batch.format = plan.format
                batch.status = ImportBatch.Status.DONE
                batch.summary = plan.summary()
                batch.data = b""
                batch.save()
    return plan
