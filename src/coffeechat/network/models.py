from __future__ import annotations

from django.db import models
from django.db.models.functions import Greatest, Least

from coffeechat.core.models import OwnedModel


class Knows(OwnedModel):
    """The user's record that one contact knows another: an edge an introduction can travel.
    Knowing is taken both ways when paths are searched; one row is enough."""

    contact = models.ForeignKey("contacts.Contact", on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey("contacts.Contact", on_delete=models.CASCADE, related_name="+")
    how = models.CharField(
        "how they know each other",
        max_length=200,
        blank=True,
        help_text="A few words: 'worked together at Kestrel Labs'.",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "contact", "other"], name="knows_unique"),
            models.CheckConstraint(
                condition=~models.Q(contact=models.F("other")), name="knows_not_self"
            ),
            # One row per pair, whichever way round: what knows_create assumes, now kept by
            # the database too, so a contact merge cannot leave (a, b) beside (b, a).
            models.UniqueConstraint(
                "owner",
                Least("contact", "other"),
                Greatest("contact", "other"),
                name="knows_one_per_pair",
            ),
        ]
        indexes = [
            models.Index(fields=["contact"], name="knows_contact_idx"),
            models.Index(fields=["other"], name="knows_other_idx"),
            # The network page's "latest links": read newest first through this index and
            # stopped at 50, instead of sorting every link the user has.
            models.Index(fields=["owner", "-created_at", "-id"], name="knows_owner_newest_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.contact} knows {self.other}"
