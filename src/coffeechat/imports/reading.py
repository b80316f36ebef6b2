"""Reading an address book's text: the line reader that refuses what is not UTF-8, the
header that tells which export a CSV is, the rows, and the small cleaners every format shares.

Split from the per-format readers (parsers.py) so each stays short; nothing here touches the
database either.
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import BinaryIO

from coffeechat.contacts.identity import MAX, address_ok


class ImportError_(Exception):
    """A file that cannot be imported, with a sentence the user can act on."""


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------


def _clip(value: str, kind: str) -> str:
    value = value.strip()
    if "  " in value or "\n" in value or "\t" in value or "\r" in value:
        value = " ".join(value.split())
    return value[: MAX[kind]]


_EMAIL_SPLIT = re.compile(r"\s*:::\s*|[;,\s]+")


def _emails(raw: str) -> list[str]:
    if not raw or "@" not in raw:
        return []
    found = []
    for part in _EMAIL_SPLIT.split(raw):
        part = part.strip().strip("<>").lower()
        if address_ok(part):
            found.append(part)
    return list(dict.fromkeys(found)) if len(found) > 1 else found


def _multi(raw: str) -> list[str]:
    """Google joins several values of one cell with ' ::: '."""
    return [part.strip() for part in (raw or "").split(":::") if part.strip()]


_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}


def _tag(label: str) -> str:
    """A label, group or category as a coffeechat tag: trimmed, lower-cased, short."""
    return " ".join(label.split()).lower()[:60]


@functools.lru_cache(maxsize=4096)
def _date(raw: str) -> date | None:
    raw = (raw or "").strip()
    parts = raw.split(" ")
    # LinkedIn's "08 Feb 2026", the common case, without strptime's cost.
    if len(parts) == 3 and parts[0].isdigit() and parts[2].isdigit():
        month = _MONTHS.get(parts[1][:3].lower())
        if month:
            try:
                return date(int(parts[2]), month, int(parts[0]))
            except ValueError:
                return None
    for pattern in ("%d %b %Y", "%d %B %Y", "%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y"):
        try:
            return datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    return None


def _datetime_date(raw: str) -> date | None:
    """LinkedIn writes '2026-02-08 14:03:11 UTC' in messages and '2/8/26, 3:04 PM' in
    invitations; only the day matters here."""
    raw = (raw or "").strip()
    head = raw.split(",")[0].split(" ")[0]
    return _date(head)


# ---------------------------------------------------------------------------------------------
# Text and format detection
# ---------------------------------------------------------------------------------------------

# What is read of a file to tell what it is: the ZIP signature, a byte-order mark, binary
# data, the vCard marker and the first lines of a CSV.
HEAD_BYTES = 64 * 1024
# A CSV cell may be this long (the csv module's own default is 128 KiB): notes pasted into an
# address book run long, but a cell of megabytes is no contact.
FIELD_MAX = 1024 * 1024


def _head(source: BinaryIO) -> bytes:
    source.seek(0)
    head = source.read(HEAD_BYTES)
    source.seek(0)
    return head


def _check_text_head(head: bytes) -> None:
    """UTF-8 text, with or without a byte-order mark; anything else is refused clearly."""
    if not head.strip():
        raise ImportError_("The file is empty: there is nothing to import.")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportError_(
            "The file is UTF-16 text. Save or export it again as UTF-8 (CSV UTF-8) and retry."
        )
    if b"\x00" in head[:4096]:
        raise ImportError_(
            "This is not a text file (it holds binary data). Upload the CSV or vCard file "
            "itself, or the LinkedIn archive as a .zip."
        )


def _not_utf8(error: UnicodeDecodeError, line: int, what: str) -> ImportError_:
    byte = error.object[error.start] if error.start < len(error.object) else 0
    return ImportError_(
        f"{what} is not UTF-8 text (unexpected byte 0x{byte:02x} on line {line:,}). Export "
        "it again as UTF-8 (in Excel: 'CSV UTF-8') and retry."
    )


class _Lines:
    """The lines of a UTF-8 text stream, read one at a time, with what the readers need to
    know: the line number, and a refusal (not a traceback) for bytes that are not UTF-8 or a
    NUL, which PostgreSQL cannot store."""

    def __init__(self, binary: BinaryIO, what: str = "The file") -> None:
        self.binary = binary
        self.text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
        self.what = what
        self.detached = False

    def __iter__(self) -> Iterator[str]:
        number = 0
        try:
            for number, line in enumerate(self.text, 1):
                if "\x00" in line:
                    raise ImportError_(
                        f"Line {number:,} of {self.what.lower()} holds a NUL byte: it is not "
                        "a plain text export. Export it again and retry."
                    )
                yield line
        except UnicodeDecodeError as error:
            raise _not_utf8(error, self._bad_line() or number + 1, self.what) from None
        finally:
            self.detach()  # at the end, or when the reader stops early

    def _bad_line(self) -> int | None:
        """The number of the first line that is not UTF-8: the text reader decodes ahead of
        the line it returns, so its own count is early. Read again, on the error path only."""
        try:
            self.binary.seek(0)
            for number, line in enumerate(self.binary, 1):
                try:
                    line.decode("utf-8")
                except UnicodeDecodeError:
                    return number
        except (OSError, ValueError):
            pass
        return None

    def detach(self) -> None:
        # The wrapper would close the stream it reads when collected; the caller owns it.
        if not self.detached:
            self.detached = True
            try:
                self.text.detach()
            except ValueError:
                # The caller closed the stream first: a request that failed mid-read, whose
                # reader is collected after Django closed the upload (seen under load as
                # "Exception ignored ... I/O operation on closed file"). Nothing to hand back.
                pass


def _columns(line: list[str]) -> set[str]:
    return {cell.strip().lower() for cell in line}


def _csv_kind(columns: set[str]) -> str | None:
    if {"first name", "last name", "connected on"} <= columns:
        return "linkedin-connections"
    if {"conversation id", "from", "date"} <= columns and "sender profile url" in columns:
        return "linkedin-messages"
    if {"from", "to", "sent at", "direction"} <= columns:
        return "linkedin-invitations"
    if {"given name", "family name"} <= columns and any(
        c.startswith(("e-mail 1 -", "organization 1 -")) for c in columns
    ):
        return "google-legacy"
    if (
        "first name" in columns
        and ({"organization name", "labels"} & columns)
        and any(c.startswith("e-mail 1 -") for c in columns)
    ):
        return "google"
    if {"first name", "last name", "e-mail address"} <= columns and (
        {"job title", "company"} & columns
    ):
        return "outlook"
    return None


@dataclass
class _Header:
    kind: str
    index: int  # line index of the header (0-based)
    names: list[str]  # the column names, lower-cased
    rest: list[str]  # lines already read after the header


def _find_header(lines: Iterator[str]) -> _Header:
    """The CSV kind, the line index of its header and the header itself. LinkedIn puts a
    'Notes:' paragraph before the header of Connections.csv, so the first lines are tried."""
    head = list(itertools.islice(lines, 12))
    first: list[str] = []
    for index, line in enumerate(head):
        try:
            header = next(csv.reader([line]))
        except (csv.Error, StopIteration):
            continue
        if not first and header:
            first = header
        kind = _csv_kind(_columns(header))
        if kind:
            names = [cell.strip().lower() for cell in header]
            return _Header(kind, index, names, head[index + 1 :])
    shown = ", ".join(cell.strip()[:40] for cell in first[:6] if cell.strip()) or "(nothing)"
    raise ImportError_(
        "This CSV is not a contacts export coffeechat knows (LinkedIn Connections.csv, "
        "messages.csv or Invitations.csv, Google Contacts or Outlook). Its first line has: "
        f"{shown}."
    )


def _text_kind(lines: _Lines) -> tuple[str, Iterator[str]]:
    """The format of a text file from its first lines, and its lines from the first one on
    (those read to tell are read again by the reader)."""
    iterator = iter(lines)
    head = list(itertools.islice(iterator, 12))
    replay = itertools.chain(head, iterator)
    first = next((line for line in head if line.strip()), "")
    if first.lstrip()[:11].upper() == "BEGIN:VCARD":
        return "vcard", replay
    return _find_header(iter(head)).kind, replay


def _table(lines: Iterator[str]) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The lower-cased column names, and (line number, cells) for each non-blank data row."""
    header = _find_header(lines)
    index = header.index
    reader = csv.reader(itertools.chain(header.rest, lines))

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for cells in reader:
                # join and strip run in C; a generator over the cells cost a tenth of the parse.
                if not "".join(cells).strip():
                    continue
                yield index + reader.line_num + 1, cells
        except csv.Error as error:
            line = index + reader.line_num + 1
            if "field larger than field limit" in str(error):
                raise ImportError_(
                    f"Line {line:,} has a cell longer than {FIELD_MAX // 1024:,} KB: this is "
                    "not a contacts export coffeechat can read."
                ) from None
            raise ImportError_(f"The CSV is malformed on line {line:,}: {error}.") from None

    return header.names, rows()


def _rows(lines: Iterator[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, {lower-cased column: value}) for each data row after the header."""
    names, rows = _table(lines)
    for row, cells in rows:
        yield row, dict(zip(names, cells, strict=False))
