from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from coffeechat.core.models import OwnedModel


class Target(OwnedModel):
    """An industry, organization or role the user wants to learn about, scored with LAMP."""

    class Kind(models.TextChoices):
        INDUSTRY = "industry", "Industry"
        ORGANIZATION = "organization", "Organization"
        ROLE = "role", "Role"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        PARKED = "parked", "Parked"
        DONE = "done", "Done"

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ORGANIZATION)
    name = models.CharField(max_length=200)
    organization = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="targets",
        help_text="For an organization target: which organization.",
    )
    advocacy = models.BooleanField(
        default=False, help_text="Do you have an alumni or affinity contact there?"
    )
    motivation = models.PositiveSmallIntegerField(
        default=1,
        validators=[MaxValueValidator(3)],
        help_text="0 = none, 3 = dream target. Your gut feeling, not prestige.",
    )
    posting = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
        help_text="1 = no relevant postings, 3 = postings that fit you now.",
    )
    why = models.TextField("why it interests you", blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)

    # LAMP order: motivation first, then posting, then advocacy.
    LAMP_ORDER = ("-motivation", "-posting", "-advocacy", "name")

    class Meta:
        ordering = ["-motivation", "-posting", "-advocacy", "name"]
        indexes = [models.Index(fields=["owner", "status", "-motivation", "-posting"])]

    def __str__(self) -> str:
        return self.name

    @property
    def lamp_label(self) -> str:
        return f"M{self.motivation} P{self.posting} A{'Y' if self.advocacy else 'N'}"

    @property
    def lamp_meaning(self) -> str:
        """The label in words, for whoever has not learned to read "M3 P2 AY" yet."""
        return (
            f"motivation {self.motivation} of 3, posting {self.posting} of 3, "
            f"advocacy {'yes' if self.advocacy else 'no'}"
        )
