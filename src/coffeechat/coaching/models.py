"""A student's consent to show a coach their progress, and what came of it.

Every row here belongs to the student (``owner``), who can see, narrow and end it; the coach
only reads through coaching/access.py. The rows name another account (the coach), so they stay
out of the export and the restore (``exported = False``, see core/owned.py): a file restored
on another server, or written by hand, must never let anyone in nor speak in a coach's name.
They go with the student's account (and with "delete my data"), and with the coach's account
(a coach's erasure removes their shares and, with them, their comments and the access log of
those shares).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from coffeechat.core.models import OwnedModel


class Scope(models.TextChoices):
    PROGRESS = "progress", "Progress only"
    NOTES = "progress_notes", "Progress and chosen notes and prep plans"


class Share(OwnedModel):
    """One invitation and, once a coach accepts it, that coach's read access.

    The link's token and the short code are kept only as keyed hashes: the student sees them
    once, a copy of the database lets nobody in. An invitation is good for INVITE_DAYS and one
    acceptance; revoking (at any time, before or after) ends it for good."""

    exported = False

    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="coaching_shares",
    )
    scope = models.CharField(max_length=20, choices=Scope.choices, default=Scope.PROGRESS)
    # What the student chose to show, item by item; read only with scope NOTES.
    notes = models.ManyToManyField("notes.Note", blank=True, related_name="+")
    prep_plans = models.ManyToManyField("prep.PrepPlan", blank=True, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    code_hash = models.CharField(max_length=64, db_index=True, editable=False)
    expires_at = models.DateTimeField(editable=False)
    accepted_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The coach's list: their shares in force.
            models.Index(fields=["coach", "revoked_at"], name="share_coach_active_idx"),
            models.Index(fields=["owner", "-created_at"], name="share_owner_newest_idx"),
        ]

    def __str__(self) -> str:
        return f"Share {self.pk} of {self.owner_id}"

    @property
    def active(self) -> bool:
        return self.accepted_at is not None and self.revoked_at is None

    @property
    def pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None

    @property
    def with_notes(self) -> bool:
        return self.scope == Scope.NOTES


class Comment(OwnedModel):
    """A coach's comment to the student (on their progress, or on one shared note)."""

    exported = False

    share = models.ForeignKey(Share, on_delete=models.CASCADE, related_name="comments")
    note = models.ForeignKey(
        "notes.Note", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(max_length=2000)
    read_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "coach's comment"
        indexes = [models.Index(fields=["owner", "-created_at"], name="comment_owner_newest_idx")]

    def __str__(self) -> str:
        return self.text[:60]


class Page(models.TextChoices):
    PROGRESS = "progress", "Progress"
    NOTE = "note", "Note"
    PREP = "prep", "Prep plan"


class AccessLog(OwnedModel):
    """One coach page view of the student's data: who (the share's coach), when, what."""

    exported = False

    share = models.ForeignKey(Share, on_delete=models.CASCADE, related_name="+")
    page = models.CharField(max_length=10, choices=Page.choices)
    # The note's or the conversation's id for those pages.
    object_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "coach's page view"
        indexes = [models.Index(fields=["owner", "-created_at"], name="accesslog_owner_newest_idx")]

    def __str__(self) -> str:
        return f"{self.page} {self.object_id or ''}".strip()
