"""From a file to contacts: read, match, plan and write, in one transaction.

The plan (plan.py) reads only, so a preview and a dry run write nothing; an import hands each
new person to the writer (writing.py) as the plan finds it, so the file is read once, row by
row, and written with set-based statements: a 30,000-row export is a few INSERTs or COPYs,
not 30,000 saves. Matching is by LinkedIn profile, then email address, then exact name at the
same organization; a same-name row elsewhere is imported and flagged as a possible duplicate.
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
from datetime import datetime, timedelta
from typing import BinaryIO

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from coffeechat.core.bulk import statistics_refresh
from coffeechat.imports import parsers, writing
from coffeechat.imports.models import ImportBatch
from coffeechat.imports.plan import Plan, Progress, import_plan
from coffeechat.search.services import search_bulk


@transaction.atomic
def import_write(*, owner: User, parsed: parsers.Parsed, progress: Progress | None = None) -> Plan:
    """Plans and writes the import of ``parsed`` (read row by row) in one pass: each new
    contact is written when the plan finds it (imports.writing). One transaction: an error
    or an interruption part-way, or a file found bad on its last line, leaves the account
    exactly as it was."""
    now = timezone.now()
    with (
        search_bulk(owner_id=owner.pk, since=now),
        writing.NewContacts(owner=owner, now=now) as new,
    ):
        plan = import_plan(owner=owner, parsed=parsed, progress=progress, write=new)
        organizations = new.finish()
        if progress:
            progress(parsed.found, max(parsed.expected, parsed.found))
        writing.updates_apply(owner=owner, plan=plan, organizations=organizations, now=now)
        writing.interactions_apply(owner=owner, latest=plan.latest, invited=plan.invited, now=now)
    # The import matched its rows against the contacts and organizations: SQLite now knows the
    # planner wanted their statistics, and gathers them if they are missing or out of scale.
    statistics_refresh()
    return plan


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
        # Read row by row, never whole: the plan (and the import's writing) take each row
        # as it comes.
        expected = parsers.rows_estimate(data) if progress else 0  # before reading: it seeks
        parsed = parsers.parse(data, family=family, keep=False)
        parsed.expected = expected
        if dry_run:
            plan = import_plan(owner=owner, parsed=parsed, progress=progress, keep=False)
        else:
            with transaction.atomic():
                plan = import_write(owner=owner, parsed=parsed, progress=progress)
                ImportBatch.objects.create(
                    owner=owner,
                    filename=filename[:255],
                    format=plan.format,
                    status=ImportBatch.Status.DONE,
                    summary=plan.summary(),
                )
        if progress:
            total = max(parsed.expected, parsed.found)
            progress(total, total)
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
        batch.format = plan.format
        batch.summary = plan.summary()
        batch.status = ImportBatch.Status.PREVIEW
        # Inside the try: a save refused (SQLite busy past its timeout, under load) releases
        # the claim too, or each upload of this user would be told to wait for ten minutes.
        batch.save(update_fields=["data", "format", "summary", "status", "updated_at"])
    except BaseException:
        ImportBatch.objects.filter(pk=batch.pk).delete()
        raise
    return batch


def import_confirm(*, owner: User, batch: ImportBatch) -> Plan | None:
    """Step 3: import a previewed file, once. Returns None when it is imported already: a
    second click on Confirm, or another tab. The preview's row is locked (SELECT ... FOR
    UPDATE; on SQLite the write transaction itself) while the import is written, so a second
    confirm waits for the first, then finds it done. The file is read row by row as it is
    written, so memory stays flat whatever its size."""
    if batch.status != ImportBatch.Status.PREVIEW:
        return None
    with _unpacked(bytes(batch.data)) as source, _cyclic_gc_paused():
        parsed = parsers.parse(source, keep=False)
        with transaction.atomic():
            status = (
                ImportBatch.objects.select_for_update()
                .filter(pk=batch.pk, owner=owner)
                .values_list("status", flat=True)
                .first()
            )
            if status != ImportBatch.Status.PREVIEW:
                return None
            plan = import_write(owner=owner, parsed=parsed)
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
