from __future__ import annotations

from django.conf import settings
from django.db import models


class OwnedModel(models.Model):
    """A row that belongs to one user; reached only through ``coffeechat.core.access``."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
