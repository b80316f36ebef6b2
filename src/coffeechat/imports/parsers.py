"""Readers for the address books people already have: pure functions from bytes to rows.

Every format is recognised from its content (the header line, the vCard marker, the ZIP
signature), never from the file name, and columns are found by name, not by position, because
exporters add, drop and reorder columns between generations. Nothing here touches the database.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import BinaryIO, Literal

from coffeechat.contacts.identity import linkedin_key, profile_url
from coffeechat.core.text import plural
from coffeechat.imports.reading import (
    FIELD_MAX,
    ImportError_,
    _check_text_head,
    _clip,
    _date,
    _datetime_date,
    _emails,
    _head,
    _Lines,
    _multi,
    _rows,
    _table,
    _tag,
    _text_kind,
)

# The families a user may force with --format; each covers one or more concrete formats.
FAMILIES = ("linkedin", "google", "outlook", "vcard")
# How each family is written for people (the brands' own spelling, not "Linkedin", "Vcard").
FAMILY_NAMES = {"linkedin": "LinkedIn", "google": "Google", "outlook": "Outlook", "vcard": "vCard"}
Format = Literal[
    "linkedin-connections",
    "linkedin-messages",
    "linkedin-invitations",
    "linkedin-archive",
    "google",
    "google-legacy",
    "outlook",
    "vcard",
]
FAMILY_OF: dict[str, str] = {
    "linkedin-connections": "linkedin",
    "linkedin-messages": "linkedin",
    "linkedin-invitations": "linkedin",
    "linkedin-archive": "linkedin",
    "google": "google",
    "google-legacy": "google",
    "outlook": "outlook",
    "vcard": "vcard",
}
# Each reads after "this file is" and "This ... has no contacts in it".
LABELS: dict[str, str] = {
    "linkedin-connections": "a LinkedIn connections file (Connections.csv)",
    "linkedin-messages": "a LinkedIn messages file (messages.csv)",
    "linkedin-invitations": "a LinkedIn invitations file (Invitations.csv)",
    "linkedin-archive": "a LinkedIn data archive (ZIP)",
    "google": "a Google Contacts CSV",
    "google-legacy": "a Google Contacts CSV (older layout)",
    "outlook": "an Outlook CSV",
    "vcard": "a vCard file",
}

# ZIP limits: a LinkedIn archive is mostly small CSV files. Anything that inflates past these
# is refused before it is read, so a ZIP bomb costs nothing.
ZIP_MAX_TOTAL = 200 * 1024 * 1024
ZIP_MAX_RATIO = 100
ZIP_MAX_MEMBERS = 500


@dataclass(slots=True)
class Person:
    """One contact as a file describes it, before it meets the database."""

    row: int
    first_name: str = ""
    last_name: str = ""
    emails: list[str] = field(default_factory=list)
    phone: str = ""
    organization: str = ""
    title: str = ""
    linkedin_url: str = ""
    connected_on: date | None = None
    notes: str = ""
    tags: list[str] = field(default_factory=list)
    profile_key: str = ""  # linkedin_key(linkedin_url), computed once

    def __post_init__(self) -> None:
        self.profile_key = linkedin_key(self.linkedin_url)

    @property
    def email(self) -> str:
        return self.emails[0] if self.emails else ""

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True)
class Interaction:
    """Something a LinkedIn archive says happened with a profile: a message or an invitation."""

    profile_url: str
    on: date
    invitation: Literal["", "incoming", "outgoing"] = ""


@dataclass
class Parsed:
    """A file being read. ``people`` is a list when the caller keeps every row (an import
    writes them all), or an iterator read once, row by row (a preview keeps only counts and
    samples, so that a 100 MB file never sits in memory). ``interactions`` and ``skipped``
    are complete once ``people`` is exhausted."""

    format: str
    people: list[Person] | Iterator[Person] = field(default_factory=list)
    interactions: list[Interaction] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    # Rows seen in the file, data rows only: the denominator of a progress bar.
    rows: int = 0
    # People read (set by parse() for a list, by the caller for an iterator).
    found: int = 0
    # About how many rows the file holds, for a progress bar over an iterator (rows_estimate).
    expected: int = 0

    def check_found(self) -> None:
        """Once every row is read: a file with nobody in it is refused, not imported."""
        if not self.found and not self.interactions:
            raise ImportError_(
                f"This file, {LABELS[self.format]}, has no contacts in it"
                + (f" ({plural(len(self.skipped), 'row')} skipped)." if self.skipped else ".")
            )


Progress = Callable[[int], None]


# ---------------------------------------------------------------------------------------------
# CSV readers: each reads lines and yields people, adding skipped rows and interactions to
# ``parsed`` as it goes.
# ---------------------------------------------------------------------------------------------

Reader = Callable[[Iterator[str], "Parsed"], Iterator[Person]]


def _linkedin_connections(lines: Iterator[str], parsed: Parsed) -> Iterator[Person]:
    # The largest file people bring (up to 30,000 rows), so cells are read by position
    # rather than through a dict per row; a missing column reads as "".
    names, rows = _table(lines)
    width = len(names)
    position = {name: i for i, name in reversed(list(enumerate(names)))}
    missing = width  # index of the "" appended to every row

    def at(name: str) -> int:
        return position.get(name, missing)

    first_at, last_at, url_at = at("first name"), at("last name"), at("url")
    email_at, company_at, title_at, on_at = (
        at("email address"),
        at("company"),
        at("position"),
        at("connected on"),
    )
    padding = [""] * (width + 1)
    skipped = parsed.skipped
    for row, cells in rows:
        parsed.rows += 1
        if len(cells) == width:  # the usual row: one list operation, not three
            cells.append("")
        else:
            cells = (cells + padding)[:width] + [""]
        first = _clip(cells[first_at], "name")
        last = _clip(cells[last_at], "name")
        url = cells[url_at].strip()
        if not first and not last:
            # LinkedIn exports members who hide their profile as a row with only a date.
            reason = (
                "hidden profile: LinkedIn gave only a connection date"
                if not url
                else "no name in the row"
            )
            skipped.append((row, reason))
            continue
        yield Person(
            row=row,
            first_name=first,
            last_name=last,
            emails=_emails(cells[email_at]),
            organization=_clip(cells[company_at], "organization"),
            title=_clip(cells[title_at], "title"),
            linkedin_url=(
                profile_url(url)
                if "linkedin.com/" in url or "linkedin.com/" in url.lower()
                else ""
            ),
            connected_on=_date(cells[on_at]),
        )


def _linkedin_messages(lines: Iterator[str], parsed: Parsed) -> Iterator[Person]:
    for row, cells in _rows(lines):
        parsed.rows += 1
        on = _datetime_date(cells.get("date", ""))
        if on is None:
            parsed.skipped.append((row, "no readable date"))
            continue
        urls = [cells.get("sender profile url", "")] + re.split(
            r"[,\s]+", cells.get("recipient profile urls", "")
        )
        for url in urls:
            if linkedin_key(url):
                parsed.interactions.append(Interaction(profile_url=url.strip()[:2000], on=on))
    yield from ()


def _linkedin_invitations(lines: Iterator[str], parsed: Parsed) -> Iterator[Person]:
    for row, cells in _rows(lines):
        parsed.rows += 1
        on = _datetime_date(cells.get("sent at", ""))
        direction = cells.get("direction", "").strip().lower()
        if on is None or direction not in ("incoming", "outgoing"):
            parsed.skipped.append((row, "no readable date or direction"))
            continue
        # The other person is the inviter of an incoming invitation, the invitee otherwise.
        column = "inviterprofileurl" if direction == "incoming" else "inviteeprofileurl"
        url = cells.get(column, "").strip()
        if not linkedin_key(url):
            parsed.skipped.append((row, "no LinkedIn profile address"))
            continue
        parsed.interactions.append(
            Interaction(profile_url=url[:2000], on=on, invitation=direction)  # type: ignore[arg-type]
        )
    yield from ()


def _tags_from_groups(raw: str) -> list[str]:
    # '* myContacts' and '* Starred' are Google's own system groups, not the user's labels.
    return [_tag(label) for label in _multi(raw) if not label.startswith("*")]


def _linkedin_from(values: list[str]) -> str:
    return next(
        (url for value in values if linkedin_key(value) and (url := profile_url(value))), ""
    )


def _google(lines: Iterator[str], parsed: Parsed, *, legacy: bool) -> Iterator[Person]:
    for row, cells in _rows(lines):
        parsed.rows += 1
        if legacy:
            first, last = cells.get("given name", ""), cells.get("family name", "")
            if not (first or last) and cells.get("name", "").strip():
                first, _, last = cells["name"].strip().partition(" ")
            organization = _multi(cells.get("organization 1 - name", ""))
            title = _multi(cells.get("organization 1 - title", ""))
            groups = cells.get("group membership", "")
        else:
            first, last = cells.get("first name", ""), cells.get("last name", "")
            organization = _multi(cells.get("organization name", ""))
            title = _multi(cells.get("organization title", ""))
            groups = cells.get("labels", "")
        emails: list[str] = []
        phones: list[str] = []
        websites: list[str] = []
        for column, value in cells.items():
            if re.fullmatch(r"e-mail \d+ - value", column):
                emails += _emails(value)
            elif re.fullmatch(r"phone \d+ - value", column):
                phones += _multi(value)
            elif re.fullmatch(r"website \d+ - value", column):
                websites += _multi(value)
        person = Person(
            row=row,
            first_name=_clip(first, "name"),
            last_name=_clip(last, "name"),
            emails=list(dict.fromkeys(emails)),
            phone=_clip(phones[0], "phone") if phones else "",
            organization=_clip(organization[0], "organization") if organization else "",
            title=_clip(title[0], "title") if title else "",
            linkedin_url=_linkedin_from(websites),
            notes=cells.get("notes", "").strip(),
            tags=_tags_from_groups(groups),
        )
        if _keep_or_skip(person, parsed):
            yield person


def _keep_or_skip(person: Person, parsed: Parsed) -> bool:
    if not person.first_name and not person.last_name:
        if person.emails:
            # An address-book entry with only an address: its local part is the best name.
            person.first_name = _clip(person.email.split("@")[0], "name")
        elif person.organization:
            parsed.skipped.append((person.row, "an organization without a person's name"))
            return False
        else:
            parsed.skipped.append((person.row, "no name and no email address"))
            return False
    return True


def _outlook(lines: Iterator[str], parsed: Parsed) -> Iterator[Person]:
    for row, cells in _rows(lines):
        parsed.rows += 1
        emails = []
        for column in ("e-mail address", "e-mail 2 address", "e-mail 3 address"):
            emails += _emails(cells.get(column, ""))
        phone = next(
            (
                cells[c].strip()
                for c in ("mobile phone", "business phone", "primary phone", "home phone")
                if cells.get(c, "").strip()
            ),
            "",
        )
        person = Person(
            row=row,
            first_name=_clip(cells.get("first name", ""), "name"),
            last_name=_clip(cells.get("last name", ""), "name"),
            emails=list(dict.fromkeys(emails)),
            phone=_clip(phone, "phone"),
            organization=_clip(cells.get("company", ""), "organization"),
            # Outlook's "Title" is a courtesy title (Dr., Ms.); the job is "Job Title".
            title=_clip(cells.get("job title", ""), "title"),
            linkedin_url=_linkedin_from([cells.get("web page", "")]),
            notes=cells.get("notes", "").strip(),
            tags=[_tag(t) for t in re.split(r"[;,]", cells.get("categories", "")) if t.strip()],
        )
        if _keep_or_skip(person, parsed):
            yield person


# ---------------------------------------------------------------------------------------------
# vCard 3.0 and 4.0
# ---------------------------------------------------------------------------------------------


def _unescape(value: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value).strip()


def _split_unescaped(value: str, sep: str) -> list[str]:
    return [_unescape(part) for part in re.split(rf"(?<!\\){re.escape(sep)}", value)]


# A card may hold this much text; beyond it the card is skipped (a photo or a pasted book).
CARD_MAX = 1024 * 1024


def _unfolded(lines: Iterator[str]) -> Iterator[str]:
    """Folded lines (RFC 6350 3.2): a line that begins with one space or tab continues the
    previous one. Read line by line, never the whole file at once."""
    pending: str | None = None
    for raw in lines:
        line = raw.rstrip("\r\n")
        if pending is not None and line[:1] in (" ", "\t") and line:
            if len(pending) < CARD_MAX:
                pending += line[1:]
            continue
        if pending is not None:
            yield pending
        pending = line
    if pending is not None:
        yield pending


def _vcard(lines: Iterator[str], parsed: Parsed) -> Iterator[Person]:
    card: dict[str, list[tuple[str, str]]] | None = None
    size = 0
    number = 0
    for line in _unfolded(lines):
        if not line.strip():
            continue
        name_part, _, value = line.partition(":")
        name, *params = name_part.split(";")
        name = name.split(".")[-1].upper()  # drop Apple's "item1." groups
        if name == "BEGIN" and value.strip().upper() == "VCARD":
            number += 1
            card, size = {}, 0
        elif name == "END" and card is not None:
            parsed.rows += 1
            if size > CARD_MAX:
                parsed.skipped.append((number, "the card is larger than 1 MB"))
            elif person := _vcard_person(number, card, parsed):
                yield person
            card = None
        elif card is not None:
            size += len(line)
            if size <= CARD_MAX:
                card.setdefault(name, []).append((";".join(params).lower(), value))


def _vcard_person(
    number: int, card: dict[str, list[tuple[str, str]]], parsed: Parsed
) -> Person | None:
    def first(name: str) -> str:
        return card[name][0][1] if name in card else ""

    parts = _split_unescaped(first("N"), ";") + ["", ""]
    last, given = parts[0], parts[1]
    if not (given or last) and first("FN"):
        given, _, last = _unescape(first("FN")).partition(" ")
    emails = [e for _, value in card.get("EMAIL", []) for e in _emails(_unescape(value))]
    phones = [
        re.sub(r"^tel:", "", _unescape(value), flags=re.IGNORECASE)
        for _, value in card.get("TEL", [])
    ]
    urls = [_unescape(value) for _, value in card.get("URL", []) + card.get("X-SOCIALPROFILE", [])]
    organization = _split_unescaped(first("ORG"), ";")[0]
    categories = [
        c for _, value in card.get("CATEGORIES", []) for c in _split_unescaped(value, ",")
    ]
    person = Person(
        row=number,
        first_name=_clip(given, "name"),
        last_name=_clip(last, "name"),
        emails=list(dict.fromkeys(emails)),
        phone=_clip(phones[0], "phone") if phones else "",
        organization=_clip(organization, "organization"),
        title=_clip(_unescape(first("TITLE")), "title"),
        linkedin_url=_linkedin_from(urls),
        notes=_unescape(first("NOTE")),
        tags=[_tag(c) for c in categories if c.strip()],
    )
    return person if _keep_or_skip(person, parsed) else None


# ---------------------------------------------------------------------------------------------
# The LinkedIn archive
# ---------------------------------------------------------------------------------------------

_ARCHIVE_FILES = {
    "connections.csv": "linkedin-connections",
    "messages.csv": "linkedin-messages",
    "invitations.csv": "linkedin-invitations",
}
_ZIP_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}


def _archive_members(source: BinaryIO) -> tuple[zipfile.ZipFile, dict[str, zipfile.ZipInfo]]:
    try:
        archive = zipfile.ZipFile(source)
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise ImportError_("The ZIP file is damaged or incomplete. Download it again.") from None
    if len(members) > ZIP_MAX_MEMBERS:
        raise ImportError_("The ZIP file holds too many files to be a LinkedIn archive.")
    total = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members) or 1
    if total > ZIP_MAX_TOTAL or total / packed > ZIP_MAX_RATIO:
        raise ImportError_(
            f"The ZIP file would unpack to {total // (1024 * 1024)} MB from "
            f"{packed // 1024} KB: refused, it is not a plain LinkedIn archive."
        )
    wanted = {
        kind: member
        for member in members
        if (kind := _ARCHIVE_FILES.get(member.filename.rsplit("/", 1)[-1].lower()))
    }
    if "linkedin-connections" not in wanted:
        raise ImportError_(
            "This ZIP file has no Connections.csv, so it is not a LinkedIn data archive."
        )
    for member in wanted.values():
        name = member.filename.rsplit("/", 1)[-1]
        if member.flag_bits & 0x1:
            raise ImportError_(
                f"{name} in the ZIP is encrypted (the archive has a password). Download the "
                "archive from LinkedIn again and upload it as it comes."
            )
        if member.compress_type not in _ZIP_METHODS:
            raise ImportError_(
                f"{name} in the ZIP is packed with a compression method coffeechat cannot "
                "read. Download the archive from LinkedIn again and upload it as it comes."
            )
    return archive, wanted


def _archive(source: BinaryIO, parsed: Parsed) -> Iterator[Person]:
    archive, wanted = _archive_members(source)
    # Connections first: messages and invitations only annotate people already known.
    for kind in ("linkedin-connections", "linkedin-messages", "linkedin-invitations"):
        if kind not in wanted:
            continue
        member = wanted[kind]
        name = member.filename.rsplit("/", 1)[-1]
        try:
            # A member reads no more than its index entry says (the sizes were checked above);
            # a member whose data disagree fails its CRC check, or ends early, below.
            with archive.open(member) as handle:
                lines = _Lines(handle, f"{name} in the ZIP")  # type: ignore[arg-type]
                found = _text_kind(lines)
                if found[0] != kind:
                    raise ImportError_(f"{name} in the ZIP is not what LinkedIn writes there.")
                yield from READERS[kind](found[1], parsed)
        except (zipfile.BadZipFile, EOFError, OSError, zlib.error, ValueError) as error:
            raise ImportError_(
                f"{name} in the ZIP is damaged ({str(error)[:80] or 'it ends early'}): "
                "download the archive again."
            ) from None
        except (RuntimeError, NotImplementedError):
            raise ImportError_(
                f"{name} in the ZIP cannot be unpacked: download it again."
            ) from None


def rows_estimate(data: bytes | BinaryIO) -> int:
    """About how many rows a file holds, for a progress bar: its lines (or those of the
    archive's Connections.csv), counted without decoding. 0 when that cannot be told."""
    if isinstance(data, bytes):
        source: BinaryIO = io.BytesIO(data)
    else:
        source = data
    try:
        if _head(source)[:4] == b"PK\x03\x04":
            archive, wanted = _archive_members(source)
            member = wanted["linkedin-connections"]
            with archive.open(member) as handle:
                return _lines_in(handle)  # type: ignore[arg-type]
        return _lines_in(source)
    except (ImportError_, OSError, ValueError, EOFError, zipfile.BadZipFile, zlib.error):
        return 0
    finally:
        source.seek(0)


def _lines_in(source: BinaryIO) -> int:
    lines = 0
    while chunk := source.read(1 << 20):
        lines += chunk.count(b"\n")
    return lines


READERS: dict[str, Reader] = {
    "linkedin-connections": _linkedin_connections,
    "linkedin-messages": _linkedin_messages,
    "linkedin-invitations": _linkedin_invitations,
    "google": lambda lines, parsed: _google(lines, parsed, legacy=False),
    "google-legacy": lambda lines, parsed: _google(lines, parsed, legacy=True),
    "outlook": _outlook,
    "vcard": _vcard,
}


def parse(data: bytes | BinaryIO, *, family: str = "auto", keep: bool = True) -> Parsed:
    """Reads a file of any supported format, from bytes or a seekable binary file.

    ``family`` ('linkedin', 'google', 'outlook', 'vcard') checks the detected format instead
    of trusting the name the user gave it. With ``keep`` (an import), every person is read
    now into ``parsed.people``; without it (a preview), ``parsed.people`` reads the file one
    row at a time as the caller iterates, and the caller calls ``parsed.check_found()`` at the
    end. Raises ImportError_ for a file that cannot be imported, as soon as that is known.
    """
    source = io.BytesIO(data) if isinstance(data, bytes) else data
    csv.field_size_limit(FIELD_MAX)
    head = _head(source)
    parsed = Parsed(format="linkedin-archive")
    lines = None
    if head[:4] == b"PK\x03\x04":
        people = _archive(source, parsed)
    else:
        _check_text_head(head)
        lines = _Lines(source)
        try:
            parsed.format, rest = _text_kind(lines)
        except BaseException:
            lines.detach()
            raise
        people = READERS[parsed.format](rest, parsed)
    if family not in ("auto", "", FAMILY_OF[parsed.format]):
        if lines is not None:
            lines.detach()
        chosen = FAMILY_NAMES.get(family, family)
        raise ImportError_(
            f"You chose {chosen}, but this file is {LABELS[parsed.format]}. Choose 'Detect it' "
            "(auto) or the matching format."
        )
    parsed.people = people
    if keep:
        parsed.people = list(people)
        parsed.found = len(parsed.people)
        parsed.check_found()
    return parsed
