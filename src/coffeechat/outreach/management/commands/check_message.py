from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import CommandError

from coffeechat.core.commands import CoffeechatCommand
from coffeechat.core.text import plural
from coffeechat.outreach.checker import KINDS, check


class Command(CoffeechatCommand):
    # A pure text check: no need to inspect the project (or touch the database) first.
    requires_system_checks: list[str] = []
    needs_tables = False
    help = (
        "Check a message offline before you send it: asks for a job, length, connection "
        "first, a clear ask, about you or about them, attachments. With --jsonl, check many "
        'messages at once: one JSON object a line in ({"id", "kind", "text"}; kind defaults '
        'to --kind), one line out for each ({"id", "words", "findings"}), or {"id", "line", '
        '"error"} for a line that cannot be checked. Exit status 1 when an error is found '
        "(in any message, or a line that cannot be checked), else 0."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "file", nargs="?", default=None, metavar="FILE", help="The message; - or none: stdin."
        )
        parser.add_argument(
            "--kind",
            choices=KINDS,
            default="request",
            help="What the message is (default: request).",
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help='Print {"words": N, "findings": [{"rule", "severity", "start", "end", '
            '"message"}]}.',
        )
        parser.add_argument(
            "--jsonl",
            metavar="FILE",
            help="Check every message of a JSON Lines file (- for stdin) and print one JSON "
            "line per input line.",
        )

    def handle(
        self,
        *args: Any,
        file: str | None,
        kind: str,
        json: bool,
        jsonl: str | None,
        **options: Any,
    ) -> None:
        if jsonl is not None:
            if file is not None:
                raise CommandError("Give either FILE or --jsonl FILE, not both.")
            if _check_lines(_open_lines(jsonl), kind, self.stdout):
                sys.exit(1)
            return
        text = sys.stdin.read() if file in (None, "-") else _read(file)
        report = check(text, kind)
        if json:
            self.stdout.write(_dumps(report.as_dict()))
        else:
            findings = plural(len(report.findings), "finding")
            self.stdout.write(f"{plural(report.words, 'word')}, {findings}")
            for finding in report.findings:
                line = text.count("\n", 0, finding.start) + 1
                excerpt = " ".join(text[finding.start : finding.end].split())[:70]
                self.stdout.write(
                    f"{finding.severity}: {finding.rule} (line {line}): {finding.message}"
                )
                if excerpt:
                    self.stdout.write(f"    “{excerpt}”")
        if report.has_errors:
            sys.exit(1)


def _read(file: str) -> str:
    try:
        return Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise CommandError(f"Cannot read {file}: {reason}") from None


def _open_lines(file: str) -> Iterable[str]:
    if file == "-":
        return sys.stdin
    try:
        return Path(file).open(encoding="utf-8", errors="replace")
    except OSError as error:
        raise CommandError(f"Cannot read {file}: {error.strerror}") from None


def _check_lines(lines: Iterable[str], default_kind: str, out: TextIO | Any) -> bool:
    """Checks each JSON line and writes one line for it; True when any line has an error
    (an error finding, or a line that cannot be checked). Blank lines are skipped."""
    failed = False
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        result = _check_line(line, number, default_kind)
        failed = failed or "error" in result or any(
            f["severity"] == "error" for f in result["findings"]
        )
        out.write(_dumps(result))
    return failed


def _check_line(line: str, number: int, default_kind: str) -> dict[str, Any]:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        return {"id": None, "line": number, "error": f"line {number}: not JSON ({error.msg})"}
    if not isinstance(data, dict):
        return {"id": None, "line": number, "error": f"line {number}: not a JSON object"}
    ident = data.get("id")
    text = data.get("text")
    kind = data.get("kind") or default_kind
    if not isinstance(text, str):
        what = "missing" if text is None else "not a string"
        return {"id": ident, "line": number, "error": f"line {number}: text is {what}"}
    if kind not in KINDS:
        return {
            "id": ident,
            "line": number,
            "error": f"line {number}: unknown kind {kind!r} (one of {', '.join(KINDS)})",
        }
    return {"id": ident, **check(text, kind).as_dict()}


def _dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False)
