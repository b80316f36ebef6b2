"""The weekly review: once a week, a look back at what was learned, which fit assessments and
leads moved, and the requests to send next week. The page is worked out from the other apps'
rows each time; this model keeps only what the user adds: that the review is done, and a few
words of reflection."""

from __future__ import annotations

from django.db import models

from coffeechat.core.models import OwnedModel
from coffeechat.core.validators import validate_date_range


class WeeklyReview(OwnedModel):
    # The Monday of the week reviewed, in the user's time zone: weeks run Monday to Sunday,
    # as the weekly goal counts them (the dashboard's chart and streak use the same weeks).
    week = models.DateField("week of", validators=[validate_date_range])
    # When the user marked it done; None when not done, or undone.
    done_at = models.DateTimeField(null=True, blank=True, validators=[validate_date_range])
    reflection = models.TextField(
        "your reflection",
        blank=True,
        max_length=2000,
        help_text="A few words for yourself: what worked this week, what to change next week.",
    )

    class Meta:
        ordering = ["-week"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "week"], name="review_owner_week_unique")
        ]

    def __str__(self) -> str:
        return f"Review of the week of {self.week:%Y-%m-%d}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
