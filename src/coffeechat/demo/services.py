"""The demo account's data: Maya Chen, a recent biology graduate, a few months into exploring
pharmaceutical sales, medical devices and biotech research.

Everything is fictional (people, employers, the university) and deterministic: one seeded
random generator and dates relative to ``today``, so a demo built on any day looks lived-in
on that day (a call tomorrow, a thank-you owed, follow-ups overdue and due this week).
``world`` writes the people, conversations and notes in bulk, ``loop`` the rest of the loop,
``funnel`` what it led to.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from coffeechat.accounts.models import Profile
from coffeechat.accounts.services import account_data_erase, profile_for
from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import Conversation
from coffeechat.core.bulk import statistics_refresh
from coffeechat.demo.clock import Clock
from coffeechat.demo.funnel import leads_build
from coffeechat.demo.loop import loop_build
from coffeechat.demo.world import world_build
from coffeechat.followups.models import FollowUp
from coffeechat.organizations.models import Organization
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
    leads: int

    def __str__(self) -> str:
        return (
            f"{self.organizations} organizations, {self.targets} targets, "
            f"{self.contacts} contacts, {self.conversations} conversations, "
            f"{self.notes} notes, {self.learnings} learnings, {self.followups} follow-ups, "
            f"{self.messages} messages, {self.prep_plans} prep plans, "
            f"{self.fit_assessments} fit assessments, {self.leads} leads"
        )


BACKGROUND = "Biology graduate, two summers in a cell-biology lab"


@transaction.atomic
def demo_build(*, user: User, today: date | None = None) -> DemoSummary:
    """Fills the account with Maya Chen's exploration so far; see the module docstring."""
    profile = profile_for(user)
    tz = profile.tz
    # She set her stage and weekly goal on day one: with that, the data below completes every
    # first step (targets, contacts, a request sent), so the dashboard shows no checklist. Her
    # background words the 30-second introduction of every prep plan.
    Profile.objects.filter(pk=profile.pk).update(settings_saved=True, background=BACKGROUND)
    clock = Clock.for_day(today or timezone.localdate(timezone=tz), tz)
    world = world_build(user=user, clock=clock, rng=random.Random(SEED))
    stamped = dict(Contact.objects.filter(owner=user).values_list("pk", "updated_at"))
    loop = loop_build(user=user, world=world, clock=clock)
    leads = leads_build(user=user, world=world, clock=clock)
    _story_stamps(user=user, clock=clock, contacts=stamped)
    # Hundreds of rows in one go, on what is often a fresh database: statistics for the
    # tables the build queried (core/bulk.py).
    statistics_refresh()
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
        leads=leads,
    )


def _story_stamps(*, user: User, clock: Clock, contacts: dict[int, datetime]) -> None:
    """Where services change rows with update() they stamp ``updated_at`` with the real clock
    (for API syncs): a contact's last interaction, 3B7 follow-ups closed by a reply. In the
    demo those rows go back to the story's moment: the contact's own, the follow-up's close."""
    late = Contact.objects.filter(owner=user, updated_at__gt=clock.now).only("pk")
    moved = [contact for contact in late if contact.pk in contacts]
    for contact in moved:
        contact.updated_at = contacts[contact.pk]
    Contact.objects.bulk_update(moved, ["updated_at"])
    FollowUp.objects.filter(owner=user, updated_at__gt=clock.now, done_at__isnull=False).update(
        updated_at=F("done_at")
    )


def demo_clear(*, user: User) -> None:
    """Deletes every row the user owns; the account and its profile stay."""
    account_data_erase(user=user)


def demo_has_data(*, user: User) -> bool:
    return any(
        model._default_manager.filter(owner=user).exists()
        for model in (Organization, Target, Contact, Conversation)
    )
