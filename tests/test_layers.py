"""The house in floors: no app imports from an app on its own floor or above.

The floors come from the README's layout table, so the documented order and the enforced one
cannot drift. Every import is read, at the top of a module and inside functions (an import
hidden in a function is how a circle hides), relative imports included.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "coffeechat"
# Modules of the project itself (settings, URLs, the command line): the roof, above every app.
PROJECT_MODULES = {"cli", "settings", "urls", "wsgi", "__main__", "__init__"}


def floors() -> dict[str, int]:
    table = re.findall(r"^\| (\d+) \| `(\w+)` \|", (ROOT / "README.md").read_text(), re.M)
    return {app: int(floor) for floor, app in table}


def _imported_apps(source: str, module: str) -> list[tuple[int, str]]:
    """(line, app) for every coffeechat app that ``source`` (the module ``module``) imports."""
    found = []
    package = module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(source)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the module's package
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                names = [".".join([*base, node.module] if node.module else base)]
            elif node.module:
                names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "coffeechat" and len(parts) > 1:
                found.append((node.lineno, parts[1]))
    return found


def upward_imports(path: Path, source: str, floor_of: dict[str, int]) -> list[str]:
    relative = path.relative_to(PACKAGE)
    app = relative.parts[0] if len(relative.parts) > 1 else relative.stem
    if app in PROJECT_MODULES:
        return []
    module = "coffeechat." + ".".join(relative.with_suffix("").parts)
    return [
        f"{relative}:{line} ({app}, floor {floor_of[app]}) imports {target} "
        f"(floor {floor_of[target]})"
        for line, target in _imported_apps(source, module)
        if target != app and floor_of[target] >= floor_of[app]
    ]


def test_every_app_has_a_floor_in_the_readme() -> None:
    apps = {p.name for p in PACKAGE.iterdir() if (p / "apps.py").exists()} | {"core"}
    assert apps == set(floors()), "add the app to README's layout table"


def test_no_app_imports_from_its_floor_or_above() -> None:
    floor_of = floors()
    problems = [
        problem
        for path in sorted(PACKAGE.rglob("*.py"))
        for problem in upward_imports(path, path.read_text(), floor_of)
    ]
    assert not problems, "\n".join(problems)


# The ten upward imports the code had before it was put in floors (issue 16): the check must
# catch each of them, wherever in the module it sits.
BEFORE = [
    ("contacts/selectors.py", "from coffeechat.conversations.models import Conversation"),
    ("contacts/selectors.py", "from coffeechat.notes.models import Note"),
    ("contacts/selectors.py", "from coffeechat.followups.models import FollowUp"),
    (
        "contacts/selectors.py",
        "def keys():\n    from coffeechat.imports.parsers import linkedin_key, name_key\n",
    ),
    ("contacts/services.py", "def merge():\n    from coffeechat.network.models import Knows\n"),
    ("contacts/views.py", "from coffeechat.notes.forms import NoteForm"),
    ("prep/selectors.py", "from coffeechat.interview.models import QuestionNote"),
    ("fit/insights.py", "from coffeechat.interview.models import QuestionNote"),
    ("accounts/views.py", "from coffeechat.portability.services import account_delete"),
    ("conversations/views.py", "from ..notes.forms import NoteForm"),
]


@pytest.mark.parametrize(("where", "source"), BEFORE, ids=[s.split()[1] for _, s in BEFORE])
def test_the_check_catches_an_upward_import(where: str, source: str) -> None:
    assert upward_imports(PACKAGE / where, source, floors())


def test_the_check_allows_imports_downward_and_within_an_app() -> None:
    source = (
        "from coffeechat.core.access import owned\n"
        "from coffeechat.contacts.models import Contact\n"
        "from .models import Note\n"
    )
    assert upward_imports(PACKAGE / "notes" / "views.py", source, floors()) == []


# Past this a module holds more than one idea; split it along the line the reader would draw.
# Data (the question bank, the demo's people, the checker's weights) lives in .toml and .json.
MAX_LINES = 600


def test_no_source_file_is_over_600_lines() -> None:
    long = [
        f"{path.relative_to(ROOT)}: {lines} lines"
        for path in sorted(PACKAGE.rglob("*.py"))
        if "migrations" not in path.parts
        and (lines := len(path.read_text().splitlines())) > MAX_LINES
    ]
    assert not long, "\n".join(long)
