"""Sentences about counts, written once: "1 note", "3 notes", never "note(s)"."""

from __future__ import annotations

# Words whose plural is not the singular plus "s".
_IRREGULAR = {"person": "people", "is": "are", "was": "were", "it": "they"}


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``count`` with its noun: ``plural(1, "note")`` is "1 note", ``plural(2, "note")`` "2
    notes", and thousands get separators ("29,690 contacts")."""
    if count == 1:
        return f"1 {singular}"
    word = plural_form or _IRREGULAR.get(singular) or f"{singular}s"
    return f"{count:,} {word}"
