from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from coffeechat.core.commands import CoffeechatCommand, user_for_command
from coffeechat.questions.models import Audience, Phase, Topic, family_choices
from coffeechat.questions.selectors import BankFilters, bank_browse
from coffeechat.questions.services import bank_sync


class Command(CoffeechatCommand):
    help = (
        "List the question bank in TIARA order: the shipped questions and, with a user, their "
        "own (their hidden ones left out). --sync loads the bank file again (idempotent; your "
        "own questions and edits are never touched)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--phase", choices=Phase.values)
        parser.add_argument("--topic", choices=Topic.values)
        parser.add_argument("--audience", choices=Audience.values)
        parser.add_argument(
            "--family",
            "--tag",
            dest="tag",
            choices=[key for key, _ in family_choices()],
            metavar="FAMILY",
            help="Questions written for this occupational family (a key such as ux_design or "
            "clinical_research; --tag is its old name).",
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--sync", action="store_true", help="Load the shipped bank file, then list."
        )
        self.add_user_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["sync"]:
            self.stderr.write(str(bank_sync()))
        user = user_for_command(options["user"])
        questions = bank_browse(
            user=user,
            filters=BankFilters(
                phase=options["phase"] or "",
                topic=options["topic"] or "",
                audience=options["audience"] or "",
                tag=options["tag"] or "",
            ),
        )
        if options["format"] == "json":
            rows = [
                {
                    "id": q.pk,
                    "text": q.text,
                    "phase": q.phase,
                    "topic": q.topic,
                    "audience": q.audience,
                    "tags": q.tag_list,
                    "minutes": q.minutes,
                    "research_first": q.research_first,
                    "own": q.owner_id is not None,
                    "starred": q.is_starred,  # type: ignore[attr-defined]
                }
                for q in questions
            ]
            self.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False))
            return
        for q in questions:
            extra = ", ".join(
                filter(
                    None,
                    [q.get_audience_display() if q.audience != "anyone" else "", *q.tag_labels],
                )
            )
            self.stdout.write(
                f"{q.pk:>6}  {q.phase:<11} {q.minutes}m  {q.text}"
                + (f"  [{extra}]" if extra else "")
            )
