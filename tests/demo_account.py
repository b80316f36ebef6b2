"""What the demo's tests share: Maya's account and the fixed day the demo is built on."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zoneinfo
from typing import Any

from django.apps import apps
from django.contrib.auth.models import User

from coffeechat.accounts.models import Profile
from coffeechat.accounts.services import user_create
from coffeechat.portability.selectors import account_export, to_json
from coffeechat.questions.models import Question

NY = zoneinfo.ZoneInfo("America/New_York")
TODAY = dt.date(2026, 3, 11)  # a Wednesday, just after the switch to daylight saving time
NOON = dt.datetime.combine(TODAY, dt.time(12, 0), NY)
INDUSTRIES = {"Pharmaceuticals", "Medical devices", "Biotechnology"}


def maya_account(username: str = "demo") -> User:
    return user_create(
        username=username,
        password="demo",
        display_name="Maya Chen",
        stage=Profile.Stage.RECENT_GRADUATE,
        time_zone="America/New_York",
    )


def local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(NY)


# The two tables whose rows follow the planner's tie-breaks, which hash each conversation's
# database id: the same demo built twice holds other (equally good) questions there.
BY_DATABASE_ID = ("prep.prepitem", "interview.questionnote")


def demo_export(user: User, *, keep: tuple[str, ...] = ()) -> dict[str, list[dict[str, Any]]]:
    """The account's JSON export as data that two builds of the demo share: ids replaced by
    the row's position in its table, shipped bank questions by their key, fields left at
    their default out (so that a column added later with a default changes nothing), empty
    tables out, and the tables of BY_DATABASE_ID out unless kept."""
    data = account_export(user=user)
    positions = {
        label: {row["id"]: index for index, row in enumerate(rows)}
        for label, rows in data["models"].items()
    }
    bank = dict(Question.objects.filter(owner=None).values_list("pk", "key"))
    models = {m._meta.label_lower: m for m in apps.get_models()}
    out: dict[str, list[dict[str, Any]]] = {}
    for label, rows in data["models"].items():
        if not rows or (label in BY_DATABASE_ID and label not in keep):
            continue
        links = data["relations"][label]
        defaults = {
            f.name: to_json(f.get_default())
            for f in models[label]._meta.concrete_fields
            if f.has_default() or f.null
        }
        converted = []
        for row in rows:
            new: dict[str, Any] = {}
            for key, value in row.items():
                target = links.get(key)
                if key == "id" or (key in defaults and value == defaults[key] and not target):
                    continue
                if target and isinstance(value, list):
                    value = sorted(positions[target][v] for v in value)
                elif target and value is not None:
                    value = positions[target].get(value, f"bank:{bank.get(value)}")
                new[key] = value
            converted.append(new)
        out[label] = converted
    return out


def export_digest(export: dict[str, list[dict[str, Any]]]) -> str:
    text = json.dumps(export, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()
