from __future__ import annotations

from django.db import models

from coffeechat.core.models import OwnedModel


class ImportBatch(OwnedModel):
    """One uploaded file between its preview and its confirmation, then the record of what the
    import did. The bytes live in the database (not on one app server's disk) so that the
    confirming request may reach another app process; they are dropped once imported."""

    class Status(models.TextChoices):
        # The file is being read for its preview; one per user at a time (see services).
        PARSING = "parsing", "Being read"
        PREVIEW = "preview", "Waiting for confirmation"
        DONE = "done", "Imported"

    filename = models.CharField(max_length=255)
    format = models.CharField(max_length=40, blank=True)
    data = models.BinaryField(blank=True, default=b"")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PREVIEW)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner"],
                condition=models.Q(status="parsing"),
                name="import_one_read_per_owner",
            )
        ]

    def __str__(self) -> str:
        return self.filename


# The shape of ImportBatch.summary (services.Plan.summary()): what the preview page reads. A
# restore checks a summary from a file against it, since the page trusts it.
_COUNTS = ("created", "updated", "duplicates", "unchanged", "interactions", "organizations")
_SAMPLES: dict[str, dict[str, type]] = {
    "skipped": {"row": int, "reason": str},
    "updated_sample": {"contact_id": int, "name": str, "changes": list},
    "duplicate_sample": {"row": int, "name": str, "contact_id": int},
}
_TEXT_MAX = 1000


def _text_ok(value: object) -> bool:
    return type(value) is str and len(value) <= _TEXT_MAX and "\x00" not in value


def summary_problem(value: object) -> str | None:
    """None when ``value`` is a summary as an import writes it; else what is wrong with it."""
    if not isinstance(value, dict):
        return "not an object"
    for key, item in value.items():
        if key == "format":
            if not _text_ok(item):
                return "format is not a short text"
        elif key in _COUNTS:
            if type(item) is not int or not 0 <= item <= 2**31:
                return f"{key} is not a count"
        elif key == "new_sample":
            if not isinstance(item, list) or not all(_text_ok(name) for name in item):
                return "new_sample is not a list of names"
        elif key in _SAMPLES:
            shape = _SAMPLES[key]
            if not isinstance(item, list):
                return f"{key} is not a list"
            for entry in item:
                if not isinstance(entry, dict) or set(entry) != set(shape):
                    return f"{key} holds an entry without exactly {', '.join(shape)}"
                for name, kind in shape.items():
                    part = entry[name]
                    if kind is int and (type(part) is not int or abs(part) > 2**63):
                        return f"{key} holds a {name} that is not a number"
                    if kind is str and not _text_ok(part):
                        return f"{key} holds a {name} that is not a short text"
                    if kind is list and not (
                        isinstance(part, list) and all(_text_ok(p) for p in part)
                    ):
                        return f"{key} holds {name} that are not short texts"
        else:
            return f"{str(key)[:40]!r} is not part of an import's summary"
    return None
