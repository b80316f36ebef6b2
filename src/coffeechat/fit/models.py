"""Whether a target fits: five dimensions rated 1-5, strengths and weaknesses, each line
backed by what was heard (learnings) and written down (notes); and the open questions still
to answer, which the prep planner brings to the next conversation about the target."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from coffeechat.core.models import OwnedModel
from coffeechat.core.validators import validate_date_range


class LineKind(models.TextChoices):
    MOTIVATION = "motivation", "Motivation"
    SKILLS = "skills", "Skills"
    INTERESTS = "interests", "Interests"
    LIFESTYLE = "lifestyle", "Lifestyle"
    GOALS = "goals", "Goals"
    STRENGTH = "strength", "Strength"
    WEAKNESS = "weakness", "Weakness"


# The rated dimensions, one line each per target; strengths and weaknesses are lists.
DIMENSIONS: tuple[str, ...] = (
    LineKind.MOTIVATION,
    LineKind.SKILLS,
    LineKind.INTERESTS,
    LineKind.LIFESTYLE,
    LineKind.GOALS,
)


class FitLine(OwnedModel):
    target = models.ForeignKey("targets.Target", on_delete=models.CASCADE, related_name="fit_lines")
    kind = models.CharField(max_length=20, choices=LineKind.choices)
    rating = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="1 = poor fit, 5 = strong fit.",
    )
    text = models.TextField(blank=True)
    learnings = models.ManyToManyField(
        "conversations.Learning", blank=True, related_name="fit_lines"
    )
    notes = models.ManyToManyField("notes.Note", blank=True, related_name="fit_lines")

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["owner", "target", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:40]}"

    @property
    def is_dimension(self) -> bool:
        return self.kind in DIMENSIONS

    @property
    def evidence_count(self) -> int:
        return len(self.learnings.all()) + len(self.notes.all())


class OpenQuestion(OwnedModel):
    """What the user still needs to learn about a target; the question itself lives in the
    user's own bank so that the planner can bring it."""

    target = models.ForeignKey(
        "targets.Target", on_delete=models.CASCADE, related_name="open_questions"
    )
    question = models.ForeignKey("questions.Question", on_delete=models.CASCADE, related_name="+")
    resolved = models.BooleanField(default=False)

    class Meta:
        ordering = ["resolved", "id"]

    def __str__(self) -> str:
        return f"Open question {self.question_id} on {self.target_id}"


class Choice(models.TextChoices):
    """What to do about a target, as the product brief names the verdicts."""

    KEEP_EXPLORING = "keep_exploring", "Keep exploring"
    TRY_IT = "try_it", "Try it"
    PURSUE = "pursue", "Pursue"
    SET_ASIDE = "set_aside", "Set aside"


class Verdict(OwnedModel):
    """The user's decision on a target: the app's proposal confirmed, or overridden. One row per
    decision, so the latest is the verdict and the earlier ones its history; ``proposed`` is what
    the app proposed when the user decided, so a later change of proposal never rewrites it."""

    target = models.ForeignKey("targets.Target", on_delete=models.CASCADE, related_name="verdicts")
    verdict = models.CharField(max_length=20, choices=Choice.choices)
    proposed = models.CharField(max_length=20, choices=Choice.choices)
    note = models.TextField(blank=True, max_length=2000)
    decided_on = models.DateField(validators=[validate_date_range])

    class Meta:
        ordering = ["-decided_on", "-id"]
        indexes = [models.Index(fields=["owner", "target", "-decided_on"])]

    def __str__(self) -> str:
        return f"{self.get_verdict_display()} on {self.target_id}"

    @property
    def confirmed(self) -> bool:
        """The user took the app's proposal (an override otherwise)."""
        return self.verdict == self.proposed
