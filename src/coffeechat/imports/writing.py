"""Writing an import as the plan reads it: each new contact goes to the database when the plan
finds it, so no list of the file's rows is ever held (a 300,000-row file imports in bounded
memory), and on PostgreSQL the server inserts and indexes rows while Python reads the next.

Ids are reserved ahead (core.bulk.IdBlocks), so a row is written with its own id and its
organization's id without waiting for a query: the organizations found in the file, and the
tags of the rows, follow whenever the stream pauses (every few thousand rows on SQLite, when a
block of ids runs out on PostgreSQL). Foreign keys are checked at commit on both databases, so
a contact may reach the database before its organization. Then the updates of contacts the
file matched, and what a LinkedIn archive's messages and invitations say.

Everything runs inside the import's transaction: an error or an interruption part-way leaves
the account exactly as it was.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.db import connection

from coffeechat.contacts.identity import linkedin_key
from coffeechat.contacts.models import Contact, JobHistory, Tag
from coffeechat.core.bulk import IdBlocks, RowStream
from coffeechat.imports.parsers import Person
from coffeechat.imports.plan import BOOK_NAME, SOURCE, Plan, invitation_detail
from coffeechat.organizations.models import Organization

# SQLite: rows per executemany. PostgreSQL streams; its pauses come with the blocks of ids.
BATCH = 2000

COLUMNS = [
    "id",
    "owner_id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "linkedin_url",
    "organization_id",
    "title",
    "notes",
    "how_connected",
    "connection_detail",
    "created_at",
    "updated_at",
]


class NewContacts:
    """The plan's sink for new people (plan.NewRows): one row each, written as it comes."""

    def __init__(self, *, owner: User, now: Any) -> None:
        self.owner = owner
        self.now = now
        # As text: a COPY formats a datetime object at a cost per row (a third of the client's
        # share of the COPY); str() of the adapted value is what either database reads back.
        self.stamp = str(connection.ops.adapt_datetimefield_value(now))
        self.stream = RowStream(Contact._meta.db_table, COLUMNS)
        self.contact_ids = IdBlocks(Contact._meta.db_table, block=1000)
        self.organization_ids = IdBlocks(Organization._meta.db_table, block=200)
        self.plan: Plan | None = None
        # Organization key -> id: the account's own, then those this import reserves.
        self.organizations: dict[str, int] = {}
        self.new_organizations: list[tuple[int, str]] = []  # (id, key) reserved, not written
        self.tags: list[tuple[int, list[str]]] = []  # (contact id, tags) not written
        self.since: dict[date | None, str] = {None: "LinkedIn connection"}
        self.owner_id = owner.pk
        self.until_pause = BATCH  # SQLite: rows before the next executemany

    def start(self, plan: Plan) -> None:
        self.plan = plan
        self.organizations = dict(plan.organization_ids)
        self.linkedin = plan.family == "linkedin"
        self.how = (
            Contact.Connection.ONLINE.value
            if self.linkedin
            else Contact.Connection.ADDRESS_BOOK.value
        )
        self.book_detail = "" if self.linkedin else f"In your {BOOK_NAME.get(plan.family, '')}"

    def add(self, person: Person, company_key: str) -> None:
        new_organization = bool(company_key) and company_key not in self.organizations
        # A query for more ids would wait for an open COPY: end it first. (The pause may
        # point a key at another writer's organization: the id is looked up after it.)
        if not self.contact_ids.ready() or (new_organization and not self.organization_ids.ready()):
            self.pause()
        organization_id = self.organizations.get(company_key) if company_key else None
        if company_key and organization_id is None:
            organization_id = self._reserve_organization(company_key)
        pk = self.contact_ids.take()
        if self.linkedin:
            on = person.connected_on
            detail = self.since.get(on)
            if detail is None:  # many people connected on the same day: format it once
                detail = self.since[on] = f"LinkedIn connection since {on.day} {on:%b %Y}"  # type: ignore[union-attr]
        else:
            detail = self.book_detail
        # The archive's messages and invitations come after its connections: they are applied
        # to every contact at the end (interactions_apply), new ones included.
        self.stream.write(
            (
                pk,
                self.owner_id,
                person.first_name,
                person.last_name,
                person.email,
                person.phone,
                person.linkedin_url,
                organization_id,
                person.title,
                person.notes,
                self.how,
                detail,
                self.stamp,
                self.stamp,
            )
        )
        if person.tags:
            self.tags.append((pk, person.tags))
        self.until_pause -= 1
        if not self.until_pause:
            self.until_pause = BATCH
            # SQLite; on PostgreSQL the rows are streaming, and their tags wait at most for
            # the end of a block of ids.
            if self.stream.pending():
                self.pause()

    def _reserve_organization(self, key: str) -> int:
        pk = self.organization_ids.take()
        self.organizations[key] = pk
        self.new_organizations.append((pk, key))
        return pk

    def pause(self) -> None:
        """Everything written so far reaches the database: the organizations and the
        contacts that point at them (on PostgreSQL the contacts' COPY must end first), then
        their tags."""
        if self.stream.busy():
            self.stream.pause()
        reserved = self._insert_organizations()
        self.stream.pause()
        self._check_organizations(reserved)
        self._write_tags()

    def finish(self) -> dict[str, int]:
        """Writes what is left, including the organizations that only updated contacts
        name, and returns every organization key the import knows, with its id."""
        assert self.plan is not None
        if self.stream.busy():  # reserving ids may take a query
            self.stream.pause()
        for key in self.plan.new_organizations:
            if key not in self.organizations:
                self._reserve_organization(key)
        self.pause()
        return self.organizations

    def _insert_organizations(self) -> list[tuple[int, str]]:
        if not self.new_organizations:
            return []
        assert self.plan is not None
        names = self.plan.new_organizations
        reserved, self.new_organizations = self.new_organizations, []
        # Another import, or the organization form, may have added one of these meanwhile,
        # and may not have committed yet: ON CONFLICT DO NOTHING waits for it and skips the
        # row instead of failing on the unique key (only PostgreSQL lets two writers meet).
        Organization.objects.bulk_create(
            [
                Organization(
                    pk=pk,
                    owner=self.owner,
                    name=names[key],
                    key=key,
                    created_at=self.now,
                    updated_at=self.now,
                )
                for pk, key in reserved
            ],
            batch_size=1000,
            ignore_conflicts=True,
        )
        return reserved

    def _check_organizations(self, reserved: list[tuple[int, str]]) -> None:
        """Points the contacts at the other writer's row where one won the race."""
        if not reserved:
            return
        ids = [pk for pk, _ in reserved]
        written: set[int] = set()
        for start in range(0, len(ids), 1000):
            written.update(
                Organization.objects.filter(pk__in=ids[start : start + 1000]).values_list(
                    "pk", flat=True
                )
            )
        for pk, key in reserved:
            if pk not in written:  # the other writer's row stands: point at it instead
                theirs = Organization.objects.get(owner=self.owner, key=key).pk
                self.organizations[key] = theirs
                Contact.objects.filter(owner=self.owner, organization_id=pk).update(
                    organization_id=theirs
                )

    def _write_tags(self) -> None:
        if not self.tags:
            return
        pending, self.tags = self.tags, []
        names = {tag for _, tags in pending for tag in tags}
        known = set(
            Tag.objects.filter(owner=self.owner, name__in=names).values_list("name", flat=True)
        )
        # As for organizations: a tag added meanwhile is skipped, not a failure.
        Tag.objects.bulk_create(
            [Tag(owner=self.owner, name=name) for name in sorted(names - known)],
            ignore_conflicts=True,
        )
        ids = dict(Tag.objects.filter(owner=self.owner, name__in=names).values_list("name", "id"))
        Through = Contact.tags.through
        Through.objects.bulk_create(
            [
                Through(contact_id=pk, tag_id=ids[name])
                for pk, tags in pending
                for name in dict.fromkeys(tags)
            ],
            batch_size=2000,
        )

    def __enter__(self) -> NewContacts:
        return self

    def __exit__(self, *error: Any) -> None:
        self.stream.__exit__(*error)


def updates_apply(*, owner: User, plan: Plan, organizations: dict[str, int], now: Any) -> None:
    """The contacts the file matched, where it says something new: blanks filled, a new
    job (the old one kept in their history)."""
    source = SOURCE[plan.family]
    jobs = []
    # Grouped by the columns that changed, so each UPDATE sets only those.
    changed: dict[tuple[str, ...], list[Contact]] = {}
    for update in plan.updates:
        values = dict(update.values)
        key = values.pop("organization_key", None)
        values.pop("organization_name", None)
        if key is not None:
            values["organization_id"] = organizations.get(key) if key else None
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


def interactions_apply(
    *, owner: User, latest: dict[str, date], invited: dict[str, tuple[str, date]], now: Any
) -> None:
    """What a LinkedIn archive's messages and invitations say, on every contact they name
    (those this import created included): the latest interaction, and how a connection
    began when it was an invitation."""
    if not latest and not invited:
        return
    changed = []
    rows = Contact.objects.filter(owner=owner).exclude(linkedin_url="")
    for contact in rows.only(
        "id", "linkedin_url", "last_interaction", "how_connected", "connection_detail"
    ).iterator(2000):
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
                detail = invitation_detail(direction, on)
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
