from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

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
        "first, a clear ask, about you or about them, attachments. Exit status 1 when an "
        "error is found, else 0."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "file", nargs="?", default="-", metavar="FILE", help="The message; - or none: stdin."
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

    def handle(self, *args: Any, file: str, kind: str, json: bool, **options: Any) -> None:
        if file == "-":
            text = sys.stdin.read()
        else:
            try:
                text = Path(file).read_text(encoding="utf-8")
            except OSError as error:
                raise CommandError(f"Cannot read {file}: {error.strerror}") from None
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


def _dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False)
