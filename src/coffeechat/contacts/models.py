from __future__ import annotations

from django.db import models

from coffeechat.core.models import OwnedModel
from coffeechat.core.validators import validate_date_range, validate_web_url


class Tag(OwnedModel):
    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="tag_unique_name")]

    def __str__(self) -> str:
        return self.name


class Contact(OwnedModel):
    """A person the user may talk to."""

    class Connection(models.TextChoices):
        ALUMNI = "alumni", "Alumni / same school"
        AFFINITY = "affinity", "Affinity group"
        COLLEAGUE = "colleague", "Former colleague"
        FRIEND = "friend", "Friend or family"
        REFERRAL = "referral", "Referred by someone"
        EVENT = "event", "Met at an event"
        ONLINE = "online", "Online (LinkedIn, forum)"
        ADDRESS_BOOK = "address_book", "In your address book"
        COLD = "cold", "No connection yet"

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100, blank=True)
    organization = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contacts",
    )
    title = models.CharField(max_length=200, blank=True)
    email = models.EmailField(max_length=254, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    linkedin_url = models.URLField(
        "LinkedIn URL", max_length=300, blank=True, validators=[validate_web_url]
    )
    how_connected = models.CharField(
        "how you're connected", max_length=20, choices=Connection.choices, default=Connection.COLD
    )
    connection_detail = models.CharField(
        "connection detail",
        max_length=200,
        blank=True,
        help_text="What you share, in a few words: 'UNC Biology, class of 2019'.",
    )
    introduced_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="introduced",
        db_index=False,  # indexed below, where set
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="contacts")
    notes = models.TextField(blank=True)
    last_interaction = models.DateField(null=True, blank=True, validators=[validate_date_range])

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        indexes = [
            # The name order, and covering for the search box: a search reads this narrow
            # index instead of every wide contact row (30,000 contacts: 110 ms -> 25 ms). With
            # the connection at its end, the connection filter walks it in name order and
            # stops at its page, instead of sorting every alumnus (SQLite, 59,000 alumni of
            # 300,000 contacts: 64 ms -> 0.1 ms for page 1, 14 ms for page 600).
            models.Index(
                fields=[
                    "owner",
                    "last_name",
                    "first_name",
                    "id",
                    "email",
                    "title",
                    "organization",
                    "how_connected",
                ],
                name="contact_owner_name_idx",
            ),
            # The connection filter, and the weekly review's advocates (alumni, then affinity),
            # the most recent interaction first, read in this order up to the goal. On
            # PostgreSQL a migration (0009) makes it NULLS LAST, as for the "recent" sort.
            models.Index(
                fields=["owner", "how_connected", "-last_interaction", "-id"],
                name="contact_owner_how_recent_idx",
            ),
            models.Index(fields=["owner", "organization"]),
            # The "recent" sort. On PostgreSQL a migration (0007) makes it NULLS LAST, the
            # order of that sort; SQLite's DESC puts NULLs last already.
            models.Index(fields=["owner", "-last_interaction"]),
            # "Recently added" sort, read page by page.
            models.Index(fields=["owner", "-created_at", "-id"], name="contact_owner_added_idx"),
            # The referral tree: "did this contact introduce anyone?", one probe per contact
            # as the network page walks the name index.
            models.Index(fields=["owner", "introduced_by"], name="contact_owner_introducer_idx"),
            # Who a contact introduced: only the few introduced contacts are in it, so an
            # import (which introduces nobody) writes nothing here. "introduced_by = x" and
            # "IN (...)" imply NOT NULL, so both databases use it for those lookups.
            models.Index(
                fields=["introduced_by"],
                condition=models.Q(introduced_by__isnull=False),
                name="contact_introduced_by_idx",
            ),
            # The weekly review's "introduced to you", newest introductions first, read in this
            # order up to the goal; like the one above, it holds only the introduced contacts.
            # The funnel's referrals received per week or month read it too (backwards: the
            # introduced contacts by the day they were added, 24 months of a 30,000-contact
            # account 31 ms -> 1 ms), and with the id PostgreSQL tells "which contacts were
            # introduced" from it alone (the funnel's channels: 1,400 table pages -> none).
            models.Index(
                fields=["owner", "-created_at", "-id"],
                condition=models.Q(introduced_by__isnull=False),
                name="contact_introduced_recent_idx",
            ),
            # "Was this request's contact introduced?", asked of each request the funnel
            # counts by channel: one probe of this small index per request, where an IN list
            # of every introduced contact was built again for each query (twice in SQLite: in
            # the SELECT and in the GROUP BY), and the id alone would read the wide contact
            # row. The funnel's channel queries at 12 weeks: 3.4 -> 1.1 and 9.3 -> 1.5 ms.
            models.Index(
                fields=["owner", "id"],
                condition=models.Q(introduced_by__isnull=False),
                name="contact_introduced_ids_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def initials(self) -> str:
        return (self.first_name[:1] + self.last_name[:1]).upper()


class JobHistory(OwnedModel):
    """A position a contact held before their current one: the timeline of job changes that
    imports notice, and the reason "who used to work at X" can find people who left."""

    class Source(models.TextChoices):
        MANUAL = "manual", "Edited by you"
        LINKEDIN = "linkedin", "LinkedIn import"
        GOOGLE = "google", "Google Contacts import"
        OUTLOOK = "outlook", "Outlook import"
        VCARD = "vcard", "vCard import"
        MERGE = "merge", "Merged duplicate"

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="jobs")
    organization = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="former_jobs",
    )
    title = models.CharField(max_length=200, blank=True)
    started_on = models.DateField(null=True, blank=True, validators=[validate_date_range])
    ended_on = models.DateField(null=True, blank=True, validators=[validate_date_range])
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.MANUAL)

    class Meta:
        ordering = ["-ended_on", "-id"]
        indexes = [
            models.Index(fields=["owner", "organization"]),
            models.Index(fields=["contact", "-ended_on"]),
        ]

    def __str__(self) -> str:
        where = self.organization.name if self.organization else "no organization"
        return f"{self.title or 'Worked'} at {where}"


class NotDuplicate(OwnedModel):
    """Two contacts the user said are different people (two Maria Garcias at one hospital):
    the duplicates page no longer suggests merging them. ``first`` has the lower id."""

    first = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="not_duplicate_unique"),
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")), name="not_duplicate_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first} is not {self.second}"
