"""Reading the shipped bank file and writing it into the database, idempotently.

Kept free of the app's live models so that the data migration can pass its historical model.
"""

from __future__ import annotations

import tomllib
import uuid
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.utils import timezone

from coffeechat.questions.models import PHASE_ORDER, tags_to_column
from coffeechat.questions.planner import BankQuestion

BANK_FILE = Path(__file__).resolve().parent / "data" / "bank.toml"
_FIELDS = (
    "text",
    "phase",
    "topic",
    "audience",
    "tags",
    "minutes",
    "core",
    "research_first",
    "why",
    "retired",
)


@dataclass(frozen=True)
class BankEntry:
    key: str
    text: str
    phase: str
    topic: str
    audience: str
    tags: str
    minutes: int
    core: bool
    research_first: bool
    why: str = ""
    retired: bool = False


@dataclass(frozen=True)
class SyncResult:
    version: int
    created: int
    updated: int
    retired: int
    unchanged: int

    def __str__(self) -> str:
        return (
            f"Question bank version {self.version}: {self.created} added, {self.updated} "
            f"updated, {self.retired} retired, {self.unchanged} unchanged."
        )


@cache
def bank_file(path: Path = BANK_FILE) -> tuple[int, tuple[BankEntry, ...]]:
    """The file's version and its questions, in file order (phases in TIARA order)."""
    with path.open("rb") as handle:
        data: dict[str, Any] = tomllib.load(handle)
    entries = []
    for phase in PHASE_ORDER:
        for row in data.get(phase, []):
            entries.append(
                BankEntry(
                    key=row["key"],
                    text=row["text"],
                    phase=phase,
                    topic=row["topic"],
                    audience=row.get("aud", "anyone"),
                    # The column keeps its name: it holds the occupational families now.
                    tags=tags_to_column(row.get("fam", [])),
                    minutes=int(row["min"]),
                    core=bool(row.get("core", False)),
                    research_first=bool(row.get("research", False)),
                    why=row.get("why", ""),
                )
            )
    return int(data["version"]), tuple(entries)


def sync_rows(question_model: Any, path: Path = BANK_FILE) -> SyncResult:
    """Adds new shipped questions, updates changed ones and retires dropped ones.

    Touches only rows without an owner: users' own questions, and their edited copies of
    shipped ones, are never read or written here. Running it twice changes nothing.
    """
    version, entries = bank_file(path)
    # A data migration passes its historical model: write only the fields it has then.
    known = {field.name for field in question_model._meta.get_fields()}
    fields = tuple(name for name in _FIELDS if name in known)
    shipped = {row.key: row for row in question_model.objects.filter(owner__isnull=True)}
    created, changed = [], []
    unchanged = 0
    for entry in entries:
        row = shipped.pop(entry.key, None)
        if row is None:
            created.append(question_model(owner=None, key=entry.key, **_values(entry, fields)))
            continue
        values = _values(entry, fields)
        if all(getattr(row, name) == value for name, value in values.items()):
            unchanged += 1
            continue
        for name, value in values.items():
            setattr(row, name, value)
        changed.append(row)
    dropped = [row for row in shipped.values() if not row.retired]
    for row in dropped:
        row.retired = True
    question_model.objects.bulk_create(created, batch_size=500)
    question_model.objects.bulk_update(changed + dropped, fields, batch_size=500)
    stamp(question_model)
    return SyncResult(version, len(created), len(changed), len(dropped), unchanged)


def stamp(question_model: Any) -> None:
    """A new stamp for the shipped bank: every process's cached copy is read again at its next
    plan. Every sync stamps, even one that changed nothing: running ``questions --sync`` is
    then also the way to make every server read the bank again. The model comes from the
    same registry as ``question_model``, so that a data migration stamps once its state has
    the table (before it, there is no cache to refresh)."""
    try:
        stamp_model = question_model._meta.apps.get_model("questions", "BankStamp")
    except LookupError:
        return
    stamp_model.objects.update_or_create(
        pk=1, defaults={"stamp": uuid.uuid4().hex, "changed_at": timezone.now()}
    )


def _values(entry: BankEntry, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in fields}


def planner_questions(path: Path = BANK_FILE) -> list[Any]:
    """The bank file as the planner's inputs, numbered in file order: for tests and bench/,
    which need the real bank without a database."""
    return [
        BankQuestion(
            id=number,
            text=entry.text,
            phase=entry.phase,
            topic=entry.topic,
            minutes=entry.minutes,
            audience=entry.audience,
            families=frozenset(tag for tag in entry.tags.split(",") if tag),
            research_first=entry.research_first,
            core=entry.core,
            why=entry.why,
        )
        for number, entry in enumerate(bank_file(path)[1], start=1)
    ]
