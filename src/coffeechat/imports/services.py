"""From parsed rows to contacts: match, plan, then write everything in one transaction.

The plan is computed with reads only (so a preview and a dry run write nothing), and the write
applies it with set-based statements: a 30,000-row export is a handful of INSERTs, not 30,000
saves. Matching is by LinkedIn profile, then email address, then exact name at the same
organization; a same-name row elsewhere is imported and flagged as a possible duplicate.
"""

from __future__ import annotations

import gc
import gzip
import io
import shutil
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any, BinaryIO

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, connection, transaction
from django.db.models import Model
from django.utils import timezone

from coffeechat.contacts.identity import linkedin_key
from coffeechat.contacts.models import Contact, JobHistory, Tag
from coffeechat.core.bulk import rows_insert, statistics_refresh
from coffeechat.imports import parsers
from coffeechat.imports.models import ImportBatch
from coffeechat.imports.parsers import Person
from coffeechat.imports.plan import (
    BOOK_NAME,
    SOURCE,
    Plan,
    Progress,
    import_plan,
    invitation_detail,
)
from coffeechat.organizations.models import Organization, organization_key
from coffeechat.search.services import search_bulk


@transaction.atomic
def import_apply(*, owner: User, plan: Plan, progress: Progress | None = None) -> None:
    """Writes the plan. One transaction: an error or an interruption part-way leaves the
    account exactly as it was."""
    assert plan.keep, "a preview's plan holds samples, not every row"
    now = timezone.now()
    total = plan.created + plan.updated + 1
    if progress:
        progress(0, total)

    with search_bulk(owner_id=owner.pk, since=now):
        _apply(owner=owner, plan=plan, now=now, total=total, progress=progress)
    # The import matched its rows against the contacts and organizations: SQLite now knows the
    # planner wanted their statistics, and gathers them if they are missing or out of scale.
    statistics_refresh()
    if progress:
        progress(total, total)


def _apply(*, owner: User, plan: Plan, now: Any, total: int, progress: Progress | None) -> None:
    source = SOURCE[plan.family]
    known = set(Organization.objects.filter(owner=owner).values_list("key", flat=True))
    # Another import, or the organization form, may have added one of these since the plan
    # was made, and may not have committed yet: ON CONFLICT DO NOTHING waits for it and
    # skips the row instead of failing on the unique key; the ids are read afterwards.
    Organization.objects.bulk_create(
        [
            Organization(owner=owner, name=name, key=key, created_at=now, updated_at=now)
            for key, name in plan.new_organizations.items()
            if key not in known
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )
    organization_ids = dict(
        Organization.objects.filter(owner=owner).values_list("key", "id").iterator(2000)
    )
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
    book_detail = "" if linkedin else f"In your {BOOK_NAME[plan.family]}"
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
                detail = invitation_detail(*invited[profile])
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
    known = set(Tag.objects.filter(owner=owner, name__in=names).values_list("name", flat=True))
    # As for organizations: a tag added meanwhile is skipped, not a failure.
    Tag.objects.bulk_create(
        [Tag(owner=owner, name=name) for name in sorted(names - known)], ignore_conflicts=True
    )
    tags = dict(Tag.objects.filter(owner=owner, name__in=names).values_list("name", "id"))
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
    data: bytes | BinaryIO,
    family: str = "auto",
    dry_run: bool = False,
    filename: str = "",
    progress: Progress | None = None,
) -> Plan:
    """Parse, plan and (unless ``dry_run``) write, recording the import on a new ImportBatch.
    ``data`` is the file's bytes or a seekable binary file, read row by row. Raises
    parsers.ImportError_ for a file that cannot be imported, before anything is written."""
    with _cyclic_gc_paused():
        parsed = parsers.parse(data, family=family, keep=not dry_run)
        plan = import_plan(owner=owner, parsed=parsed, progress=progress, keep=not dry_run)
        if not dry_run:
            with transaction.atomic():
                import_apply(owner=owner, plan=plan, progress=progress)
                ImportBatch.objects.create(
                    owner=owner,
                    filename=filename[:255],
                    format=plan.format,
                    status=ImportBatch.Status.DONE,
                    summary=plan.summary(),
                )
    return plan


# ---------------------------------------------------------------------------------------------
# The web import: a preview kept between two requests, confirmed once
# ---------------------------------------------------------------------------------------------

# A read that has not finished after this long died with its process: its claim is lifted.
PARSING_STALE = timedelta(minutes=10)
# Previews never confirmed are deleted, with the file they hold, after this long.
PREVIEW_KEPT = timedelta(days=1)


class ImportBusy(Exception):
    """Another file of the same user is being read; the sentence says to wait."""


def _claim(owner: User, filename: str) -> ImportBatch:
    """The row that says "a file of this user is being read": one at a time per user (a
    unique constraint on the owner's reading rows), so that six large uploads at once cannot
    take the server's memory. A claim left by a process that died expires."""
    ImportBatch.objects.filter(
        owner=owner,
        status=ImportBatch.Status.PARSING,
        created_at__lt=timezone.now() - PARSING_STALE,
    ).delete()
    try:
        with transaction.atomic():
            return ImportBatch.objects.create(
                owner=owner, filename=filename[:255], status=ImportBatch.Status.PARSING
            )
    except IntegrityError:
        raise ImportBusy(
            "Another file of yours is being read. Wait until its preview shows, then upload "
            "this one."
        ) from None


def _pack(source: BinaryIO) -> bytes:
    """The uploaded file, gzipped, as the preview keeps it until the confirmation (CSV and
    vCard shrink four to eight times; the row stays small for the database to carry)."""
    source.seek(0)
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=1, mtime=0) as packed:
        shutil.copyfileobj(source, packed, 1 << 20)
    return out.getvalue()


def _unpacked(data: bytes) -> BinaryIO:
    """A preview's file again, on disk past a few MB, never larger than an upload may be (a
    restored preview could hold anything)."""
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    limit = settings.IMPORT_MAX_BYTES
    written = 0
    if data[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as packed:
                while chunk := packed.read(1 << 20):
                    written += len(chunk)
                    if written > limit:
                        raise parsers.ImportError_(
                            "The previewed file unpacks to more than an upload may hold."
                        )
                    spool.write(chunk)
        except (OSError, EOFError, zlib.error):
            raise parsers.ImportError_("The previewed file is damaged. Upload it again.") from None
    else:  # kept as it came (previews made before files were packed)
        spool.write(data)
    spool.seek(0)
    return spool  # type: ignore[return-value]


def import_preview(
    *, owner: User, upload: BinaryIO, filename: str, family: str = "auto"
) -> ImportBatch:
    """Step 1 of the web import: read the uploaded file (import nothing) and keep it, packed,
    with what importing it would do. The file is read row by row and only counts and samples
    are kept, so memory stays flat whatever its size. Raises ImportBusy while another file of
    the user is being read, and parsers.ImportError_ for a file that cannot be imported."""
    batch = _claim(owner, filename)
    try:
        with _cyclic_gc_paused():
            parsed = parsers.parse(upload, family=family, keep=False)
            plan = import_plan(owner=owner, parsed=parsed, keep=False)
        batch.data = _pack(upload)
    except BaseException:
        ImportBatch.objects.filter(pk=batch.pk).delete()
        raise
    batch.format = plan.format
    batch.summary = plan.summary()
    batch.status = ImportBatch.Status.PREVIEW
    batch.save(update_fields=["data", "format", "summary", "status", "updated_at"])
    return batch


def import_confirm(*, owner: User, batch: ImportBatch) -> Plan | None:
    """Step 3: import a previewed file, once. Returns None when it is imported already: a
    second click on Confirm, or another tab. The preview's row is locked (SELECT ... FOR
    UPDATE; on SQLite the write transaction itself) while the import is written, so a second
    confirm waits for the first, then finds it done."""
    if batch.status != ImportBatch.Status.PREVIEW:
        return None
    # Read before the lock, which then lasts only as long as the writing.
    with _unpacked(bytes(batch.data)) as source, _cyclic_gc_paused():
        parsed = parsers.parse(source)
        with transaction.atomic():
            status = (
                ImportBatch.objects.select_for_update()
                .filter(pk=batch.pk, owner=owner)
                .values_list("status", flat=True)
                .first()
            )
            if status != ImportBatch.Status.PREVIEW:
                return None
            plan = import_plan(owner=owner, parsed=parsed)
            import_apply(owner=owner, plan=plan)
            ImportBatch.objects.filter(pk=batch.pk).update(
                format=plan.format,
                status=ImportBatch.Status.DONE,
                summary=plan.summary(),
                data=b"",
                updated_at=timezone.now(),
            )
    return plan


def import_previews_purge(*, now: datetime | None = None) -> int:
    """Deletes the previews never confirmed (and reads that never finished) older than a
    day, with the files they hold; returns how many. One DELETE: the worker runs it on
    every round."""
    cutoff = (now or timezone.now()) - PREVIEW_KEPT
    deleted, _ = ImportBatch.objects.filter(
        status__in=[ImportBatch.Status.PREVIEW, ImportBatch.Status.PARSING],
        created_at__lt=cutoff,
    ).delete()
    return deleted
