from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from coffeechat.core.models import OwnedModel
from coffeechat.core.validators import (
    EARLIEST,
    LATEST,
    is_time_zone,
    validate_date_range,
    validate_time_zone,
    zone_or_utc,
)


class Status(models.TextChoices):
    IDEA = "idea", "Idea"
    REQUESTED = "requested", "Requested"
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    THANKED = "thanked", "Thanked"
    FOLLOWING_UP = "following_up", "Following up"
    DECLINED = "declined", "Declined"
    NO_REPLY = "no_reply", "No reply"
    CANCELLED = "cancelled", "Cancelled"


# Which status may follow which. The main path runs idea → requested → scheduled → held →
# thanked → following up; the side exits (declined, no reply, cancelled) can be reopened
# because people do answer late, and a held conversation can go back to scheduled (undo).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.IDEA: (Status.REQUESTED, Status.SCHEDULED, Status.CANCELLED),
    Status.REQUESTED: (Status.SCHEDULED, Status.DECLINED, Status.NO_REPLY, Status.CANCELLED),
    Status.SCHEDULED: (Status.HELD, Status.CANCELLED),
    # Back to scheduled: "End conversation" tapped by mistake, or marked held too early.
    Status.HELD: (Status.THANKED, Status.FOLLOWING_UP, Status.SCHEDULED),
    Status.THANKED: (Status.FOLLOWING_UP,),
    Status.FOLLOWING_UP: (),
    Status.DECLINED: (Status.IDEA,),
    Status.NO_REPLY: (Status.REQUESTED, Status.SCHEDULED, Status.CANCELLED),
    Status.CANCELLED: (Status.IDEA, Status.SCHEDULED),
}

# The board's columns, in the order of the loop.
OPEN_STATUSES = (Status.IDEA, Status.REQUESTED, Status.SCHEDULED)
AFTER_STATUSES = (Status.HELD, Status.THANKED, Status.FOLLOWING_UP)
CLOSED_STATUSES = (Status.DECLINED, Status.NO_REPLY, Status.CANCELLED)
# A thank-you goes out within 24 hours of the conversation: past that it is overdue.
THANKS_WITHIN = timedelta(hours=24)


class Conversation(OwnedModel):
    """One informational interview, from the idea of it to the follow-up."""

    class Medium(models.TextChoices):
        VIDEO = "video", "Video call"
        PHONE = "phone", "Phone"
        IN_PERSON = "in_person", "In person"

    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.CASCADE, related_name="conversations"
    )
    targets = models.ManyToManyField("targets.Target", blank=True, related_name="conversations")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IDEA)
    # The date each step was reached; set by services.conversation_transition only.
    idea_at = models.DateTimeField(null=True, blank=True, validators=[validate_date_range])
    requested_at = models.DateTimeField(null=True, blank=True, validators=[validate_date_range])
    scheduled_at = models.DateTimeField(null=True, blank=True, validators=[validate_date_range])
    held_at = models.DateTimeField(null=True, blank=True, validators=[validate_date_range])
    thanked_at = models.DateTimeField(null=True, blank=True, validators=[validate_date_range])
    following_up_at = models.DateTimeField(null=True, blank=True, validators=[validate_date_range])
    declined_at = models.DateTimeField(null=True, blank=True, validators=[validate_date_range])
    no_reply_at = models.DateTimeField(null=True, blank=True, validators=[validate_date_range])
    cancelled_at = models.DateTimeField(null=True, blank=True, validators=[validate_date_range])

    starts_at = models.DateTimeField(
        "starts", null=True, blank=True, validators=[validate_date_range]
    )
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    planned_minutes = models.PositiveSmallIntegerField(
        "planned minutes",
        default=30,
        validators=[MinValueValidator(20), MaxValueValidator(60)],
        help_text="From 20 to 60. Ask for 20 to 30: less than you hope to get.",
    )
    medium = models.CharField(max_length=20, choices=Medium.choices, default=Medium.VIDEO)
    place = models.CharField("place or link", max_length=300, blank=True)
    # Shown as "Plan": what the user wants from the conversation, written before it. What is
    # said during the conversation goes to notes (notes.Note), never here.
    notes = models.TextField(
        "plan",
        blank=True,
        help_text="What you want to learn from this conversation and anything to remember "
        "beforehand. What you hear goes into notes.",
    )
    # The .ics SEQUENCE: raised whenever time, place or status changes, so that calendar apps
    # replace the old copy of the event instead of keeping both.
    sequence = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["owner", "status", "starts_at"]),
            # The board's columns: the latest conversations of each status.
            models.Index(fields=["owner", "status", "-updated_at", "-id"], name="conv_board_idx"),
            # Thank-yous owed, oldest first.
            models.Index(fields=["owner", "status", "held_at"], name="conv_held_idx"),
            models.Index(fields=["owner", "scheduled_at"]),
            # Covering for the dashboard's keep-in-touch count, which groups the conversations
            # held by contact: the count reads this index alone (9 -> 6 ms at 5,000).
            models.Index(fields=["owner", "contact", "status", "held_at"], name="conv_contact_idx"),
        ]
        constraints = [
            # The start is the one date typed with a zone: 9999-12-31 23:59 in Etc/GMT+12 is
            # year 10000 in UTC, which PostgreSQL keeps and Python cannot read back (every page
            # listing the conversation failed). Forms refuse it; the database never holds it.
            models.CheckConstraint(
                condition=models.Q(starts_at__isnull=True)
                | models.Q(starts_at__gte=EARLIEST, starts_at__lte=LATEST),
                name="conv_starts_at_in_range",
                violation_error_message=validate_date_range.message,
            )
        ]

    def __str__(self) -> str:
        return f"Conversation with {self.contact}"

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def allowed_next(self) -> list[Status]:
        return [Status(s) for s in TRANSITIONS[self.status]]

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        # UTC for a zone stored before zones were checked: a page never fails on it.
        return zone_or_utc(self.time_zone)

    @property
    def time_zone_known(self) -> bool:
        return is_time_zone(self.time_zone)

    @property
    def local_start(self) -> datetime | None:
        """The wall-clock start in the conversation's own time zone, as a naive datetime, so
        that templates show it as agreed with the contact, not converted to the viewer's zone."""
        return self.starts_at.astimezone(self.tz).replace(tzinfo=None) if self.starts_at else None

    @property
    def ends_at(self) -> datetime | None:
        return self.starts_at + timedelta(minutes=self.planned_minutes) if self.starts_at else None

    @property
    def thanks_due_at(self) -> datetime | None:
        """A thank-you is due within 24 hours of the conversation being held."""
        return self.held_at + THANKS_WITHIN if self.held_at else None

    def stamp_for(self, status: str) -> datetime | None:
        return getattr(self, f"{status}_at")

    @property
    def timeline(self) -> list[tuple[str, datetime]]:
        steps = [(Status(s).label, self.stamp_for(s)) for s in Status]
        return sorted(((label, at) for label, at in steps if at), key=lambda step: step[1])


class Learning(OwnedModel):
    """Something the user learned in a conversation: the raw material of a fit assessment."""

    class Kind(models.TextChoices):
        REALITY = "reality", "Reality of the job"
        POSITIVE = "positive", "Positive"
        NEGATIVE = "negative", "Negative"
        ADVICE = "advice", "Advice"

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="learnings"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.REALITY)
    text = models.TextField()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # The weekly review's "learnings of the week": a week's range in this order, not
            # every learning of the user read and sorted (5,000 in the 30,000-contact bench).
            models.Index(fields=["owner", "created_at", "id"], name="learning_owner_created_idx")
        ]

    def __str__(self) -> str:
        return self.text[:60]
