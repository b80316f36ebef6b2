"""Readers for the address books people already have: pure functions from bytes to rows.

Every format is recognised from its content (the header line, the vCard marker, the ZIP
signature), never from the file name, and columns are found by name, not by position, because
exporters add, drop and reorder columns between generations. Nothing here touches the database.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from coffeechat.core.text import plural

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

# Field lengths of contacts.Contact: longer values are cut, not refused.
MAX = {"name": 100, "title": 200, "organization": 200, "email": 254, "phone": 40, "url": 300}


class ImportError_(Exception):
    """A file that cannot be imported, with a sentence the user can act on."""


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
    format: str
    people: list[Person] = field(default_factory=list)
    interactions: list[Interaction] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    # Rows seen in the file, data rows only: the denominator of a progress bar.
    rows: int = 0


Progress = Callable[[int], None]


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------

_LINKEDIN_PATH = re.compile(r"linkedin\.com/(in|pub)/([^/?#\s]+)", re.IGNORECASE)


def linkedin_key(url: str) -> str:
    """'https://www.linkedin.com/in/Ana-Ruiz/?trk=x' -> 'in/ana-ruiz': one key per profile,
    whatever the scheme, host prefix, case, trailing slash or tracking query."""
    if not url:
        return ""
    match = _LINKEDIN_PATH.search(url)
    return f"{match.group(1)}/{match.group(2)}".lower() if match else ""


# The usual shape of a profile address, accepted without the URL validator's cost (30,000 rows).
_PROFILE_URL = re.compile(r"https?://(?:www\.|[a-z]{2}\.)?linkedin\.com/\S*\Z", re.IGNORECASE)


def profile_url(raw: str) -> str:
    """A LinkedIn address as coffeechat keeps it: http(s) only, with https:// added where the
    file wrote none (as the contact form does), within the field's length; "" for anything
    else. What is kept passes the model's own URL validator, so an export of it restores, and
    a javascript: address is never stored."""
    url = raw.strip()
    if "://" not in url:
        url = f"https://{url}"
    url = url[: MAX["url"]]
    if _PROFILE_URL.match(url):
        return url
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator

    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return ""
    return url


_NOT_IN_ADDRESS = re.compile(r"[\s<>,;:\x00]")


def address_ok(value: str) -> bool:
    """An email address as the importer keeps one: one address (no spaces), a dot in its
    domain, within the field's length. Looser than Django's validator on purpose: address
    books hold internationalized addresses (josé@example.com) that people do write to."""
    return (
        "@" in value
        and "." in value.rsplit("@", 1)[-1]
        and len(value) <= MAX["email"]
        and not _NOT_IN_ADDRESS.search(value)
    )


def name_key(first: str, last: str) -> str:
    """A comparison key for a person's name: case, accents and punctuation removed."""
    import unicodedata

    text = unicodedata.normalize("NFKD", f"{first} {last}").encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


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


def decode(data: bytes) -> str:
    """UTF-8 text, with or without a byte-order mark; anything else is refused clearly."""
    if not data.strip():
        raise ImportError_("The file is empty: there is nothing to import.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportError_(
            "The file is UTF-16 text. Save or export it again as UTF-8 (CSV UTF-8) and retry."
        )
    if b"\x00" in data[:4096]:
        raise ImportError_(
            "This is not a text file (it holds binary data). Upload the CSV or vCard file "
            "itself, or the LinkedIn archive as a .zip."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportError_(
            f"The file is not UTF-8 text (unexpected byte 0x{data[error.start]:02x} at position "
            f"{error.start}). Export it again as UTF-8 (in Excel: 'CSV UTF-8') and retry."
        ) from None


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


def _find_header(text: str) -> tuple[str, int, list[str]]:
    """The CSV kind, the line index of its header and the header itself. LinkedIn puts a
    'Notes:' paragraph before the header of Connections.csv, so the first lines are tried."""
    # split("\n") and not splitlines(): the line count must agree with the csv reader's.
    lines = text.split("\n", 12)
    first: list[str] = []
    for index in range(min(len(lines), 12)):
        try:
            header = next(csv.reader([lines[index]]))
        except (csv.Error, StopIteration):
            continue
        if not first and header:
            first = header
        kind = _csv_kind(_columns(header))
        if kind:
            return kind, index, header
    shown = ", ".join(cell.strip() for cell in first[:6] if cell.strip()) or "(nothing)"
    raise ImportError_(
        "This CSV is not a contacts export coffeechat knows (LinkedIn Connections.csv, "
        "messages.csv or Invitations.csv, Google Contacts or Outlook). Its first line has: "
        f"{shown}."
    )


def detect(data: bytes) -> str:
    """The format of the file, from its content alone."""
    if data[:4] == b"PK\x03\x04":
        return "linkedin-archive"
    text = decode(data)
    if text.lstrip()[:11].upper() == "BEGIN:VCARD":
        return "vcard"
    return _find_header(text)[0]


# ---------------------------------------------------------------------------------------------
# CSV readers
# ---------------------------------------------------------------------------------------------


def _table(text: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The lower-cased column names, and (line number, cells) for each non-blank data row."""
    _, index, header = _find_header(text)
    names = [cell.strip().lower() for cell in header]
    stream = io.StringIO(text)
    for _ in range(index + 1):
        stream.readline()
    reader = csv.reader(stream)

    def rows() -> Iterator[tuple[int, list[str]]]:
        for cells in reader:
            # join and strip run in C; a generator over the cells cost a tenth of the parse.
            if not "".join(cells).strip():
                continue
            yield index + reader.line_num + 1, cells

    return names, rows()


def _rows(text: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, {lower-cased column: value}) for each data row after the header."""
    names, rows = _table(text)
    for row, cells in rows:
        yield row, dict(zip(names, cells, strict=False))


def _linkedin_connections(text: str, parsed: Parsed) -> None:
    # The largest file people bring (up to 30,000 rows), so cells are read by position
    # rather than through a dict per row; a missing column reads as "".
    names, rows = _table(text)
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
    people, skipped = parsed.people, parsed.skipped
    for row, cells in rows:
        parsed.rows += 1
        if len(cells) != width + 1:
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
        people.append(
            Person(
                row=row,
                first_name=first,
                last_name=last,
                emails=_emails(cells[email_at]),
                organization=_clip(cells[company_at], "organization"),
                title=_clip(cells[title_at], "title"),
                linkedin_url=profile_url(url) if "linkedin.com/" in url.lower() else "",
                connected_on=_date(cells[on_at]),
            )
        )


def _linkedin_messages(text: str, parsed: Parsed) -> None:
    for row, cells in _rows(text):
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
                parsed.interactions.append(Interaction(profile_url=url.strip(), on=on))


def _linkedin_invitations(text: str, parsed: Parsed) -> None:
    for row, cells in _rows(text):
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
            Interaction(profile_url=url, on=on, invitation=direction)  # type: ignore[arg-type]
        )


def _tags_from_groups(raw: str) -> list[str]:
    # '* myContacts' and '* Starred' are Google's own system groups, not the user's labels.
    return [_tag(label) for label in _multi(raw) if not label.startswith("*")]


def _linkedin_from(values: list[str]) -> str:
    return next(
        (url for value in values if linkedin_key(value) and (url := profile_url(value))), ""
    )


def _google(text: str, parsed: Parsed, *, legacy: bool) -> None:
    for row, cells in _rows(text):
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
        _keep_or_skip(person, parsed)


def _keep_or_skip(person: Person, parsed: Parsed) -> None:
    if not person.first_name and not person.last_name:
        if person.emails:
            # An address-book entry with only an address: its local part is the best name.
            person.first_name = _clip(person.email.split("@")[0], "name")
        elif person.organization:
            parsed.skipped.append((person.row, "an organization without a person's name"))
            return
        else:
            parsed.skipped.append((person.row, "no name and no email address"))
            return
    parsed.people.append(person)


def _outlook(text: str, parsed: Parsed) -> None:
    for row, cells in _rows(text):
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
        _keep_or_skip(person, parsed)


# ---------------------------------------------------------------------------------------------
# vCard 3.0 and 4.0
# ---------------------------------------------------------------------------------------------


def _unescape(value: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value).strip()


def _split_unescaped(value: str, sep: str) -> list[str]:
    return [_unescape(part) for part in re.split(rf"(?<!\\){re.escape(sep)}", value)]


def _vcard(text: str, parsed: Parsed) -> None:
    # Folded lines (RFC 6350 3.2): a line break followed by one space or tab continues a line.
    unfolded = re.sub(r"\r?\n[ \t]", "", text)
    card: dict[str, list[tuple[str, str]]] | None = None
    number = 0
    for line in unfolded.splitlines():
        if not line.strip():
            continue
        name_part, _, value = line.partition(":")
        name, *params = name_part.split(";")
        name = name.split(".")[-1].upper()  # drop Apple's "item1." groups
        if name == "BEGIN" and value.strip().upper() == "VCARD":
            number += 1
            card = {}
        elif name == "END" and card is not None:
            parsed.rows += 1
            _vcard_person(number, card, parsed)
            card = None
        elif card is not None:
            card.setdefault(name, []).append((";".join(params).lower(), value))


def _vcard_person(number: int, card: dict[str, list[tuple[str, str]]], parsed: Parsed) -> None:
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
    _keep_or_skip(person, parsed)


# ---------------------------------------------------------------------------------------------
# The LinkedIn archive
# ---------------------------------------------------------------------------------------------

_ARCHIVE_FILES = {
    "connections.csv": "linkedin-connections",
    "messages.csv": "linkedin-messages",
    "invitations.csv": "linkedin-invitations",
}


def _archive(data: bytes, parsed: Parsed) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError):
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
    # Connections first: messages and invitations only annotate people already known.
    for kind in ("linkedin-connections", "linkedin-messages", "linkedin-invitations"):
        if kind not in wanted:
            continue
        member = wanted[kind]
        with archive.open(member) as handle:
            # Read no more than the header promised, in case the header lies.
            raw = handle.read(member.file_size + 1)
        if len(raw) > member.file_size:
            raise ImportError_("The ZIP file's contents do not match its index: refused.")
        text = decode(raw)
        if _find_header(text)[0] != kind:
            raise ImportError_(f"{member.filename} in the ZIP is not what LinkedIn writes there.")
        READERS[kind](text, parsed)


READERS: dict[str, Callable[[str, Parsed], None]] = {
    "linkedin-connections": _linkedin_connections,
    "linkedin-messages": _linkedin_messages,
    "linkedin-invitations": _linkedin_invitations,
    "google": lambda text, parsed: _google(text, parsed, legacy=False),
    "google-legacy": lambda text, parsed: _google(text, parsed, legacy=True),
    "outlook": _outlook,
    "vcard": _vcard,
}


def parse(data: bytes, *, family: str = "auto") -> Parsed:
    """Reads a file of any supported format. ``family`` ('linkedin', 'google', 'outlook',
    'vcard') checks the detected format instead of trusting the name the user gave it."""
    kind = detect(data)
    if family not in ("auto", "", FAMILY_OF[kind]):
        chosen = FAMILY_NAMES.get(family, family)
        raise ImportError_(
            f"You chose {chosen}, but this file is {LABELS[kind]}. Choose 'Detect it' (auto) "
            "or the matching format."
        )
    parsed = Parsed(format=kind)
    if kind == "linkedin-archive":
        _archive(data, parsed)
    else:
        text = decode(data)
        try:
            READERS[kind](text, parsed)
        except csv.Error as error:
            raise ImportError_(f"The CSV is malformed: {error}.") from None
    if not parsed.people and not parsed.interactions:
        raise ImportError_(
            f"This file, {LABELS[kind]}, has no contacts in it"
            + (f" ({plural(len(parsed.skipped), 'row')} skipped)." if parsed.skipped else ".")
        )
    return parsed
