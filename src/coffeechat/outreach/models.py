from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models

from coffeechat.core.models import OwnedModel
from coffeechat.core.validators import validate_date_range


class DraftKind(models.TextChoices):
    """What a message is for; each kind has a built-in template and a checker reading."""

    REQUEST_EMAIL = "request_email", "First request by email"
    REQUEST_LINKEDIN_NOTE = "request_linkedin_note", "LinkedIn invitation note"
    REQUEST_LINKEDIN_MESSAGE = "request_linkedin_message", "LinkedIn message"
    SECOND_CONTACT = "second_contact", "Request to a second contact at the organization"
    NUDGE = "nudge", "One-time follow-up nudge"
    THANKS = "thanks", "Thank-you"
    KEEP_IN_TOUCH = "keep_in_touch", "Keep-in-touch update"
    SHADOWING = "shadowing_request", "Shadowing request"


# Kinds that ask a contact for a conversation: logging one starts the 3B7 clock.
REQUEST_KINDS = (
    DraftKind.REQUEST_EMAIL,
    DraftKind.REQUEST_LINKEDIN_NOTE,
    DraftKind.REQUEST_LINKEDIN_MESSAGE,
    DraftKind.SECOND_CONTACT,
)

# How the checker reads each kind (its rules differ for a note, a nudge or a thank-you).
CHECKER_KIND = {
    DraftKind.REQUEST_EMAIL: "request",
    DraftKind.REQUEST_LINKEDIN_NOTE: "linkedin-note",
    DraftKind.REQUEST_LINKEDIN_MESSAGE: "request",
    DraftKind.SECOND_CONTACT: "request",
    DraftKind.NUDGE: "followup",
    DraftKind.THANKS: "thanks",
    DraftKind.KEEP_IN_TOUCH: "thanks",
    # Written to someone already met, after a good conversation: no connection line or time
    # limit to check, but it must ask a question they can answer.
    DraftKind.SHADOWING: "followup",
}


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    LINKEDIN_NOTE = "linkedin_note", "LinkedIn invitation"
    LINKEDIN_MESSAGE = "linkedin_message", "LinkedIn message"
    PHONE = "phone", "Phone or text"
    OTHER = "other", "Other"


DEFAULT_CHANNEL = {
    DraftKind.REQUEST_LINKEDIN_NOTE: Channel.LINKEDIN_NOTE,
    DraftKind.REQUEST_LINKEDIN_MESSAGE: Channel.LINKEDIN_MESSAGE,
}


class MessageTemplate(OwnedModel):
    """A user's own wording for one kind of message, filled like the built-in ones."""

    kind = models.CharField(max_length=30, choices=DraftKind.choices)
    name = models.CharField(max_length=120)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()

    class Meta:
        ordering = ["kind", "name", "id"]

    def __str__(self) -> str:
        return self.name


class Outreach(OwnedModel):
    """A message the user sent (a request, a nudge, a thank-you), and whether they replied."""

    conversation = models.ForeignKey(
        "conversations.Conversation", on_delete=models.CASCADE, related_name="outreach"
    )
    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.CASCADE, related_name="outreach"
    )
    kind = models.CharField(max_length=30, choices=DraftKind.choices)
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.EMAIL)
    sent_on = models.DateField("sent on", validators=[validate_date_range])
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    replied_on = models.DateField(
        "replied on", null=True, blank=True, validators=[validate_date_range]
    )

    class Meta:
        ordering = ["-sent_on", "-id"]
        indexes = [models.Index(fields=["owner", "kind", "sent_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.contact}"

    @property
    def is_request(self) -> bool:
        return self.kind in REQUEST_KINDS


class KeepInTouch(OwnedModel):
    """How often to get back in touch with a contact after a held conversation. Without a
    row the default applies (every 4 months); 0 months means never remind."""

    DEFAULT_MONTHS = 4

    contact = models.OneToOneField(
        "contacts.Contact", on_delete=models.CASCADE, related_name="keep_in_touch"
    )
    every_months = models.PositiveSmallIntegerField(
        "every (months)", default=DEFAULT_MONTHS, validators=[MaxValueValidator(24)]
    )

    def __str__(self) -> str:
        return f"Keep in touch with {self.contact} every {self.every_months} months"
