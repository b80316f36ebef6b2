"""What conversations led to: openings heard of (leads), the applications made for them and
the formal interviews that followed, up to an offer. A lead credits the conversation or the
contact it came from; the app never suggests asking a contact for a job, so a lead is always
something the user pursues through the normal channel (the posting, the recruiter)."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, timedelta

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from coffeechat.core.models import OwnedModel
from coffeechat.core.validators import (
    EARLIEST,
    LATEST,
    validate_date_range,
    validate_time_zone,
    validate_web_url,
    zone_or_utc,
)


class LeadStatus(models.TextChoices):
    HEARD = "heard", "Heard of"
    APPLIED = "applied", "Applied"
    INTERVIEWING = "interviewing", "Interviewing"
    OFFER = "offer", "Offer"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Offer declined"
    CLOSED = "closed", "Closed"


# Which status may follow which. The path runs heard → applied → interviewing → offer →
# accepted or declined; "closed" (no answer, filled, not moved forward, lost interest) ends any
# open step and can be reopened, because postings come back and recruiters write late.
LEAD_TRANSITIONS: dict[str, tuple[str, ...]] = {
    LeadStatus.HEARD: (LeadStatus.APPLIED, LeadStatus.INTERVIEWING, LeadStatus.CLOSED),
    LeadStatus.APPLIED: (LeadStatus.INTERVIEWING, LeadStatus.OFFER, LeadStatus.CLOSED),
    LeadStatus.INTERVIEWING: (LeadStatus.OFFER, LeadStatus.CLOSED),
    LeadStatus.OFFER: (LeadStatus.ACCEPTED, LeadStatus.DECLINED, LeadStatus.CLOSED),
    LeadStatus.ACCEPTED: (),
    LeadStatus.DECLINED: (),
    LeadStatus.CLOSED: (LeadStatus.HEARD, LeadStatus.APPLIED, LeadStatus.INTERVIEWING),
}

OPEN_LEAD_STATUSES = (
    LeadStatus.HEARD,
    LeadStatus.APPLIED,
    LeadStatus.INTERVIEWING,
    LeadStatus.OFFER,
)


class Lead(OwnedModel):
    """An opening or opportunity the user heard of, and how far they took it."""

    role = models.CharField("role", max_length=200)
    organization = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
    )
    # The conversation that led to it, credited in the funnel; or the contact, when it came
    # from an exchange that was not a conversation (a message, an event).
    source_conversation = models.ForeignKey(
        "conversations.Conversation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
        verbose_name="heard in the conversation",
    )
    source_contact = models.ForeignKey(
        "contacts.Contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
        verbose_name="heard from",
    )
    # The target it serves, for the funnel per target; taken from the source conversation
    # when there is one and the user did not choose.
    target = models.ForeignKey(
        "targets.Target",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
    )
    link = models.URLField(
        "link to the posting", max_length=500, blank=True, validators=[validate_web_url]
    )
    status = models.CharField(max_length=20, choices=LeadStatus.choices, default=LeadStatus.HEARD)
    # The day each step was reached; set by services.lead_transition only.
    heard_on = models.DateField("heard of on", validators=[validate_date_range])
    applied_on = models.DateField(null=True, blank=True, validators=[validate_date_range])
    interviewing_on = models.DateField(null=True, blank=True, validators=[validate_date_range])
    offer_on = models.DateField(null=True, blank=True, validators=[validate_date_range])
    accepted_on = models.DateField(null=True, blank=True, validators=[validate_date_range])
    declined_on = models.DateField(null=True, blank=True, validators=[validate_date_range])
    closed_on = models.DateField(null=True, blank=True, validators=[validate_date_range])
    notes = models.TextField(blank=True, max_length=20_000)

    class Meta:
        ordering = ["-heard_on", "-id"]
        indexes = [
            models.Index(fields=["owner", "status", "-updated_at"], name="lead_owner_status_idx"),
            models.Index(fields=["owner", "heard_on"], name="lead_owner_heard_idx"),
            models.Index(fields=["owner", "-updated_at", "-id"], name="lead_owner_moved_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.role} at {self.organization}" if self.organization_id else self.role

    @property
    def status_label(self) -> str:
        return LeadStatus(self.status).label

    @property
    def allowed_next(self) -> list[LeadStatus]:
        return [LeadStatus(s) for s in LEAD_TRANSITIONS[self.status]]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_LEAD_STATUSES

    def stamp_for(self, status: str) -> date | None:
        return getattr(self, f"{status}_on")

    @property
    def timeline(self) -> list[tuple[str, date]]:
        steps = [(LeadStatus(s).label, self.stamp_for(s)) for s in LeadStatus]
        return sorted(((label, on) for label, on in steps if on), key=lambda step: step[1])


class RoundKind(models.TextChoices):
    PHONE_SCREEN = "phone_screen", "Phone screen"
    VIDEO = "video", "Video interview"
    PANEL = "panel", "Panel"
    ON_SITE = "on_site", "On-site"
    CASE = "case", "Case interview"
    RECRUITER = "recruiter", "With a recruiter"
    HEADHUNTER = "headhunter", "With a headhunter"


class RoundOutcome(models.TextChoices):
    PENDING = "pending", "Waiting to hear"
    NEXT_ROUND = "next_round", "Moved to the next round"
    OFFER = "offer", "Led to an offer"
    NOT_MOVED_FORWARD = "not_moved_forward", "Not moved forward"
    WITHDREW = "withdrew", "Withdrew"


class FormalInterview(OwnedModel):
    """One round of a formal interview for a lead: a phone screen, a panel, a case..."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="rounds")
    kind = models.CharField(
        "round", max_length=20, choices=RoundKind.choices, default=RoundKind.PHONE_SCREEN
    )
    starts_at = models.DateTimeField(
        "starts", null=True, blank=True, validators=[validate_date_range]
    )
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    minutes = models.PositiveSmallIntegerField(
        "length in minutes",
        default=45,
        validators=[MinValueValidator(5), MaxValueValidator(600)],
    )
    place = models.CharField("place or link", max_length=300, blank=True)
    interviewers = models.ManyToManyField(
        "contacts.Contact", blank=True, related_name="formal_interviews"
    )
    notes = models.TextField(blank=True, max_length=20_000)
    outcome = models.CharField(
        max_length=20, choices=RoundOutcome.choices, default=RoundOutcome.PENDING
    )
    # The .ics SEQUENCE, raised when time, place or outcome changes (as for conversations).
    sequence = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["owner", "starts_at"], name="round_owner_starts_idx"),
        ]
        constraints = [
            # As for conversations: a start typed in a far zone must stay readable in UTC.
            models.CheckConstraint(
                condition=models.Q(starts_at__isnull=True)
                | models.Q(starts_at__gte=EARLIEST, starts_at__lte=LATEST),
                name="round_starts_at_in_range",
                violation_error_message=validate_date_range.message,
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.lead}"

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zone_or_utc(self.time_zone)

    @property
    def local_start(self) -> datetime | None:
        return self.starts_at.astimezone(self.tz).replace(tzinfo=None) if self.starts_at else None

    @property
    def ends_at(self) -> datetime | None:
        return self.starts_at + timedelta(minutes=self.minutes) if self.starts_at else None
