from __future__ import annotations

import re
import unicodedata

from django.db import models

from coffeechat.core.models import OwnedModel
from coffeechat.core.validators import validate_web_url

# Legal-form suffixes that make "Pfizer", "Pfizer Inc." and "PFIZER INC" look different.
_SUFFIXES = {
    "inc",
    "incorporated",
    "llc",
    "ltd",
    "limited",
    "gmbh",
    "ag",
    "sa",
    "plc",
    "co",
    "corp",
    "corporation",
    "company",
    "lp",
    "llp",
    "bv",
    "nv",
    "srl",
    "spa",
    "pty",
    "oy",
    "ab",
    "as",
    # More legal forms seen in exports: French, Spanish, Nordic, Asian and Indian registries.
    "sas",
    "sarl",
    "sl",
    "se",
    "kg",
    "kgaa",
    "aps",
    "asa",
    "oyj",
    "ltda",
    "pte",
    "pvt",
    "kk",
    "bhd",
    "sdn",
}


def organization_key(name: str) -> str:
    """A comparison key for an organization's name: case, accents, punctuation and legal
    suffixes removed. Two names with one key are one organization."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = text.replace("&", " and ")
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    while len(words) > 1 and words[-1] in _SUFFIXES:
        words.pop()
    if words[:1] == ["the"] and len(words) > 1:
        words = words[1:]
    return " ".join(words)


class Organization(OwnedModel):
    name = models.CharField(max_length=200)
    key = models.CharField(max_length=200, editable=False)
    industry = models.CharField(max_length=120, blank=True)
    website = models.URLField(max_length=300, blank=True, validators=[validate_web_url])
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="organization_unique_key"),
        ]
        indexes = [
            # The organizations list and the network page's picker, in name order, a page
            # at a time.
            models.Index(fields=["owner", "name", "id"], name="organization_owner_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.key = organization_key(self.name)
        super().save(*args, **kwargs)
