"""The ``coffeechat`` command: one entry point for everything a user runs.

Each subcommand is a Django management command; this module only chooses the settings,
takes ``--data-dir`` wherever it appears, and keeps Django's other commands out of sight.
"""

from __future__ import annotations

import os
import sys

# subcommand -> (Django command, extra arguments, one-line summary)
COMMANDS: dict[str, tuple[str, list[str], str]] = {
    "serve": ("serve", [], "Serve the web app (applies migrations first)."),
    "demo": ("demo", [], "Create or reset the demo account (user demo, password demo)."),
    "createuser": (
        "createuser",
        [],
        "Create a job seeker's account (--coach: a career coach's).",
    ),
    "migrate": ("migrate", [], "Create or update the database tables."),
    "check": ("check", ["--deploy"], "Run Django's deployment checks on this configuration."),
    "check-message": ("check_message", [], "Check a request or follow-up before you send it."),
    "ics": ("ics", [], "Print a conversation's calendar file (.ics)."),
    "worker": ("worker", [], "Run the background worker (daily digest emails)."),
    "digest": ("digest", [], "Send the daily digest email now."),
    "prep": ("prep", [], "Print a conversation's prep sheet (Markdown, JSON or PDF)."),
    "plan": ("plan", [], "Print a plan for a job title alone; nothing is saved."),
    "funnel": ("funnel", [], "Print the funnel: from requests sent to offers (Markdown or JSON)."),
    "questions": ("questions", [], "List the question bank, filtered by phase, topic, audience."),
    "import": ("import", [], "Import contacts from LinkedIn, Google, Outlook or vCard files."),
    "export": ("export", [], "Export the account as JSON, CSV, vCard or Markdown."),
    "restore": ("restore", [], "Restore a JSON export into an empty account."),
    "token": ("token", [], "Create, list or revoke personal access tokens for the JSON API."),
}


def _take_data_dir(argv: list[str]) -> tuple[list[str], str | None]:
    rest: list[str] = []
    data_dir = None
    args = iter(argv)
    for arg in args:
        if arg == "--data-dir":
            data_dir = next(args, None)
            if data_dir is None:
                raise SystemExit("coffeechat: --data-dir needs a folder")
        elif arg.startswith("--data-dir="):
            data_dir = arg.split("=", 1)[1]
        else:
            rest.append(arg)
    return rest, data_dir


def usage() -> str:
    width = max(len(name) for name in COMMANDS)
    lines = [
        "usage: coffeechat [--data-dir DIR] COMMAND [options]",
        "",
        "Run informational interviews as a weekly system.",
        "",
        "commands:",
        *(f"  {name.ljust(width)}  {summary}" for name, (_, _, summary) in COMMANDS.items()),
        "",
        "options for every command:",
        "  --data-dir DIR  folder of the SQLite database (default: $COFFEECHAT_DATA_DIR, else the",
        "                  platform's user data folder); DATABASE_URL selects PostgreSQL instead",
        "",
        "Run 'coffeechat COMMAND --help' for a command's options.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args, data_dir = _take_data_dir(list(sys.argv[1:] if argv is None else argv))
    if data_dir:
        os.environ["COFFEECHAT_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coffeechat.settings")
    if not args or args[0] in ("-h", "--help", "help"):
        print(usage())
        return 0
    if args[0] == "--version":
        from importlib.metadata import version

        print(f"coffeechat {version('coffeechat')}")
        return 0
    name, *rest = args
    if name not in COMMANDS:
        print(f"coffeechat: unknown command {name!r}\n\n{usage()}", file=sys.stderr)
        return 2
    django_name, extra, _ = COMMANDS[name]
    from django.core.management import execute_from_command_line

    execute_from_command_line(["coffeechat", django_name, *extra, *rest])
    return 0


if __name__ == "__main__":
    sys.exit(main())
