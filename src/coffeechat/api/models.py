"""Personal access tokens for the JSON API, and the per-token request counts of the rate limit.

A token is shown once, when made: the database keeps its SHA-256 only. Its visible start
(``cc_`` and the lookup key) finds the row by a unique index, and the hash is then compared in
constant time, so that neither a timing nor a stolen database copy gives a usable token.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from coffeechat.core.models import OwnedModel


class ApiToken(OwnedModel):
    class Scope(models.TextChoices):
        READ = "read", "Read only"
        READ_WRITE = "read_write", "Read and write"

    # Never exported nor restored with the account: a hash in a file handed around would let
    # whoever made the file (and so knows the token) into the account it is restored to.
    exported = False

    name = models.CharField(max_length=100)
    # The public part of the token (after "cc_"): unique, so a request finds its row by index.
    key = models.CharField(max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    scope = models.CharField(max_length=12, choices=Scope.choices, default=Scope.READ_WRITE)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="apitoken_owner_idx")]

    def __str__(self) -> str:
        return f"{self.name} (cc_{self.key}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def can_write(self) -> bool:
        return self.scope == self.Scope.READ_WRITE


class ApiRateWindow(models.Model):
    """Requests made with one token in one minute. In the database, so that the limit holds
    whichever app process answers (Django's default cache is per process). It has an owner
    so that wiping an account (one DELETE per owned table) takes it along with the token."""

    exported = False

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    # Stamped by the rate limiter alone (the start of the minute), never typed.
    minute = models.DateTimeField(editable=False)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "minute"], name="api_rate_window_unique")
        ]

    def __str__(self) -> str:
        return f"{self.count} requests at {self.minute:%H:%M}"
