"""A conversation's prep: its question plan, its research checklist, and research notes per
target. The plan is saved so that the user's edits (order, pins, removals, own questions)
persist; regenerating asks before discarding them."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from coffeechat.core.models import OwnedModel
from coffeechat.core.validators import validate_date_range


class PrepPlan(OwnedModel):
    conversation = models.OneToOneField(
        "conversations.Conversation", on_delete=models.CASCADE, related_name="prep_plan"
    )
    minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(20), MaxValueValidator(60)]
    )
    # Set by any change the user makes after generating: regenerating would discard it.
    edited = models.BooleanField(default=False)
    generated_at = models.DateTimeField(validators=[validate_date_range])
    # The contact's occupational family the plan was tailored to (empty: general questions
    # only), and the sentence that says so, as they were when it was generated.
    family = models.CharField(max_length=40, blank=True, default="")
    tailoring = models.CharField(max_length=400, blank=True, default="")

    def __str__(self) -> str:
        return f"Prep plan for conversation {self.conversation_id}"


class PrepItem(OwnedModel):
    """One question in a plan, at its place; the minutes, and the text unless the planner
    worded it for this user, come from the question."""

    plan = models.ForeignKey(PrepPlan, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(
        "questions.Question", on_delete=models.CASCADE, related_name="prep_items"
    )
    position = models.PositiveIntegerField()
    # The question as this user asks it, when the planner worded it for them (a career
    # changer's question naming their background); empty: the question's own text.
    text = models.CharField(max_length=400, blank=True, default="")
    must_ask = models.BooleanField("must ask", default=False)
    pinned = models.BooleanField(default=False)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "question"], name="prep_item_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.position}: {self.question_id}"

    @property
    def asked_text(self) -> str:
        """The question as the user will ask it."""
        return self.text or self.question.text


class ResearchItem(OwnedModel):
    """Something to learn before the conversation, so that no question asks what a search
    would answer."""

    class Kind(models.TextChoices):
        PRODUCTS = "products", "The organization's products and news"
        COMPETITORS = "competitors", "Its competitors"
        CONTACT_PATH = "contact_path", "The contact's path"
        TRENDS = "trends", "The industry's trends"
        SEARCH = "search", "A search answers it"
        OTHER = "other", "Other"

    conversation = models.ForeignKey(
        "conversations.Conversation", on_delete=models.CASCADE, related_name="research_items"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    text = models.CharField(max_length=400)
    # For a bank question a search would answer, listed here instead of asked.
    question = models.ForeignKey(
        "questions.Question", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class TargetResearch(OwnedModel):
    """The user's research notes on a target, shown on every prep sheet that concerns it."""

    target = models.OneToOneField(
        "targets.Target", on_delete=models.CASCADE, related_name="research"
    )
    notes = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Research on {self.target_id}"


class QuestionNote(OwnedModel):
    """One planned question in the conversation itself: asked, skipped or not reached, and
    what was said. Keyed by question rather than prep item so that regenerating the plan
    afterwards keeps what was heard."""

    class State(models.TextChoices):
        NOT_REACHED = "", "Not reached"
        ASKED = "asked", "Asked"
        SKIPPED = "skipped", "Skipped"

    conversation = models.ForeignKey(
        "conversations.Conversation", on_delete=models.CASCADE, related_name="question_notes"
    )
    question = models.ForeignKey("questions.Question", on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, blank=True, default="")
    note = models.TextField(blank=True)

    class Meta:
        # Interview mode writes it and its migrations create it: it stays the interview app's
        # model (table interview_questionnote, export label "interview.questionnote"). The class
        # lives here so that prep, which reads which questions were asked to plan the next
        # conversation, needs nothing from the app built on top of it.
        app_label = "interview"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "question"], name="question_note_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_state_display()}: {self.question_id}"
