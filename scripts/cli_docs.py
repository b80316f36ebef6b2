"""Writes docs/cli.md from the commands' own --help, so the reference cannot drift.

python scripts/cli_docs.py --write   # regenerate
python scripts/cli_docs.py           # print; tests/test_cli.py compares it with the file
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "cli.md"


def _help(*args: str) -> str:
    env = os.environ | {
        "COLUMNS": "100",
        "COFFEECHAT_DATA_DIR": os.environ.get("COFFEECHAT_DATA_DIR", "/tmp/coffeechat-docs"),
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "coffeechat", *args, "--help"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return result.stdout.rstrip()


def render() -> str:
    from coffeechat.cli import COMMANDS

    parts = [
        "# Command-line reference",
        "",
        "Generated from the commands' own `--help` by `make docs`; a test fails when it drifts.",
        "",
        "```text",
        _help(),
        "```",
    ]
    for name in COMMANDS:
        parts += ["", f"## coffeechat {name}", "", "```text", _help(name), "```"]
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    text = render()
    if "--write" in sys.argv:
        DOC.parent.mkdir(exist_ok=True)
        DOC.write_text(text)
    else:
        sys.stdout.write(text)
