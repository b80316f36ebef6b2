"""The demo account's data: Maya Chen, a recent biology graduate, a few months into exploring
pharmaceutical sales, medical devices and biotech research.

Everything is fictional (people, employers, the university) and deterministic: one seeded
random generator and dates relative to ``today``, so a demo built on any day looks lived-in
on that day (a call tomorrow, a thank-you owed, follow-ups overdue and due this week).
``world`` writes the people, conversations and notes in bulk.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from django.apps import apps
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from coffeechat.accounts.models import Profile
from coffeechat.accounts.services import profile_for
from coffeechat.contacts.models import Contact, Tag
from coffeechat.conversations.models import Conversation, Learning
from coffeechat.core.models import OwnedModel
from coffeechat.demo.clock import Clock
from coffeechat.demo.loop import loop_build
from coffeechat.demo.world import world_build
from coffeechat.followups.models import FollowUp
from coffeechat.notes.models import Note
from coffeechat.organizations.models import Organization
from coffeechat.questions.models import Question
from coffeechat.targets.models import Target

SEED = 2026


@dataclass(frozen=True)
class DemoSummary:
    organizations: int
    targets: int
    contacts: int
    conversations: int
    notes: int
    learnings: int
    followups: int
    prep_plans: int
    fit_assessments: int
    messages: int

    def __str__(self) -> str:
        return (
            f"{self.organizations} organizations, {self.targets} targets, "
            f"{self.contacts} contacts, {self.conversations} conversations, "
            f"{self.notes} notes, {self.learnings} learnings, {self.followups} follow-ups, "
            f"{self.messages} messages, {self.prep_plans} prep plans, "
            f"{self.fit_assessments} fit assessments"
        )


@transaction.atomic
def demo_build(*, user: User, today: date | None = None) -> DemoSummary:
    """Fills the account with Maya Chen's exploration so far; see the module docstring."""
    profile = profile_for(user)
    tz = profile.tz
    # She set her stage and weekly goal on day one: with that, the data below completes every
    # first step (targets, contacts, a request sent), so the dashboard shows no checklist.
    Profile.objects.filter(pk=profile.pk).update(settings_saved=True)
    clock = Clock.for_day(today or timezone.localdate(timezone=tz), tz)
    world = world_build(user=user, clock=clock, rng=random.Random(SEED))
    loop = loop_build(user=user, world=world, clock=clock)
    return DemoSummary(
        organizations=len(world.organizations),
        targets=len(world.targets),
        contacts=len(world.everyone),
        conversations=len(world.conversations),
        notes=len(world.notes),
        learnings=len(world.learnings),
        followups=FollowUp.objects.filter(owner=user).count(),
        prep_plans=loop.prep_plans,
        fit_assessments=loop.fit_assessments,
        messages=loop.messages,
    )


# Children before parents, so each delete finds little left to cascade.
_OWNED_IN_ORDER: tuple[type[OwnedModel], ...] = (
    FollowUp,
    Note,
    Learning,
    Conversation,
    Contact,
    Tag,
    Target,
    Organization,
)


@transaction.atomic
def demo_clear(*, user: User) -> None:
    """Deletes every row the user owns; the account and its profile stay."""
    for model in _OWNED_IN_ORDER:
        model._default_manager.filter(owner=user).delete()
    # Kinds of owned rows added to the app later are cleared too.
    for other in apps.get_models():
        if issubclass(other, OwnedModel) and other not in _OWNED_IN_ORDER:
            other._default_manager.filter(owner=user).delete()
    # The user's own questions (open questions on fit pages write them) share their table
    # with the shipped bank, so they are no OwnedModel.
    Question.objects.filter(owner=user).delete()


def demo_has_data(*, user: User) -> bool:
    return any(
        model._default_manager.filter(owner=user).exists()
        for model in (Organization, Target, Contact, Conversation)
    )
