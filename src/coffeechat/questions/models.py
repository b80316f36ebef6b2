"""The question bank: the shipped questions, shared by every user, and each user's own.

A shipped question has no owner and is read-only for everyone; it comes from
``questions/data/bank.toml`` and is matched on its ``key`` when the file is loaded again. A
user's own question has an owner and is reached only by that user. Editing a shipped question
makes an owned copy (``based_on`` points at the original), so the shared row never changes and
a later bank update cannot overwrite the user's wording.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from coffeechat.core.models import OwnedModel
from coffeechat.questions import families


class Phase(models.TextChoices):
    """The meeting's arc: small talk, then TIARA in its order, then next steps."""

    OPENING = "opening", "Opening"
    TRENDS = "trends", "Trends"
    INSIGHTS = "insights", "Insights"
    ADVICE = "advice", "Advice"
    RESOURCES = "resources", "Resources"
    ASSIGNMENTS = "assignments", "Assignments"
    CLOSING = "closing", "Closing"


PHASE_ORDER: tuple[str, ...] = tuple(Phase.values)


class Topic(models.TextChoices):
    RAPPORT = "rapport", "Small talk"
    CAREER_PATH = "career_path", "Career path"
    DAY_TO_DAY = "day_to_day", "Day-to-day realities"
    POSITIVES = "positives", "Positives"
    CHALLENGES = "challenges", "Negatives and challenges"
    CULTURE = "culture", "Culture"
    SKILLS = "skills", "Skills"
    INDUSTRY_TRENDS = "industry_trends", "Industry trends"
    HIRING_PATH = "hiring_path", "Entry and hiring path"
    LIFESTYLE = "lifestyle", "Lifestyle and workload"
    PAY = "pay", "Pay norms"
    ORGANIZATION = "organization", "Organization-specific"
    RESOURCES = "resources", "Resources"
    SHADOWING = "shadowing", "Shadowing"
    REFERRALS = "referrals", "Referrals"
    FOLLOW_UP = "follow_up", "Staying in touch"


class Audience(models.TextChoices):
    ANYONE = "anyone", "Anyone"
    STUDENT = "student", "Student"
    # Students see these too: anyone starting out.
    RECENT_GRADUATE = "recent_graduate", "Starting out"
    CAREER_CHANGER = "career_changer", "Career changer"


def family_choices() -> list[tuple[str, str]]:
    """The occupational families a question can be written for (questions/data/families.toml)."""
    return families.family_choices()


def tags_to_column(tags: list[str] | tuple[str, ...] | set[str]) -> str:
    """A question's families are stored as ``,sales,medical_sales,`` so that one ``contains``
    lookup filters by a family the same way on SQLite and PostgreSQL. The column is still
    called ``tags``: it held 13 keyword tags before the families."""
    return f",{','.join(sorted(set(tags)))}," if tags else ""


class Question(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Empty for the shipped bank, shared read-only by every user.",
    )
    key = models.CharField(max_length=40, blank=True, editable=False)
    based_on = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The shipped question this one is the user's edited version of.",
    )
    text = models.CharField(max_length=400)
    phase = models.CharField(max_length=20, choices=Phase.choices, default=Phase.INSIGHTS)
    topic = models.CharField(max_length=20, choices=Topic.choices, default=Topic.DAY_TO_DAY)
    audience = models.CharField(max_length=20, choices=Audience.choices, default=Audience.ANYONE)
    tags = models.CharField(
        "fields", max_length=200, blank=True, help_text="The occupational families it is for."
    )
    minutes = models.PositiveSmallIntegerField(
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="To ask it and hear the answer, 1 to 5.",
    )
    core = models.BooleanField(
        default=False, help_text="Belongs in almost any conversation; plans favour it."
    )
    research_first = models.BooleanField(
        "research first",
        default=False,
        help_text="A search would answer it: the plan lists it as research to do instead.",
    )
    # In plain words, why the question is worth asking: the plan says it next to the question.
    why = models.CharField(max_length=300, blank=True, default="", editable=False)
    # A shipped question dropped from the bank file: kept for the plans that used it.
    retired = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(owner__isnull=True),
                name="question_unique_shipped_key",
            ),
        ]
        indexes = [models.Index(fields=["owner", "phase"])]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def shipped(self) -> bool:
        return self.owner_id is None

    @property
    def tag_list(self) -> list[str]:
        return [tag for tag in self.tags.split(",") if tag]

    @property
    def tag_labels(self) -> list[str]:
        labels = dict(family_choices())
        return [labels.get(tag, tag) for tag in self.tag_list]


class QuestionMark(OwnedModel):
    """A user's star or hide on a question; kept apart so shipped rows stay shared."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="marks")
    starred = models.BooleanField(default=False)
    hidden = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "question"], name="question_mark_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.owner_id}: {self.question_id}"


class BankStamp(models.Model):
    """One row whose ``stamp`` changes whenever the shipped bank does (``bank.sync_rows``, run
    by ``coffeechat questions --sync`` and by the data migrations).

    Each server process keeps the shipped bank in memory (``questions.selectors``) and reads
    this row, by primary key, before every plan: while the stamp is the one the copy was read
    under, the copy is good, whichever process ran the sync. Random rather than a counter, so
    that a change rolled back can never come back under a stamp a process has already seen."""

    stamp = models.CharField(max_length=32, editable=False)
    changed_at = models.DateTimeField(editable=False)

    def __str__(self) -> str:
        return f"{self.stamp} ({self.changed_at:%Y-%m-%d %H:%M})"
