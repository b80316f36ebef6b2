from __future__ import annotations

from django.db import models

from coffeechat.core.models import OwnedModel


class ImportBatch(OwnedModel):
    """One uploaded file between its preview and its confirmation, then the record of what the
    import did. The bytes live in the database (not on one app server's disk) so that the
    confirming request may reach another app process; they are dropped once imported."""

    class Status(models.TextChoices):
        PREVIEW = "preview", "Waiting for confirmation"
        DONE = "done", "Imported"

    filename = models.CharField(max_length=255)
    format = models.CharField(max_length=40, blank=True)
    data = models.BinaryField(blank=True, default=b"")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PREVIEW)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.filename
