"""Marking a week's review done or not done, and starting a suggested request."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import Conversation, Status
from coffeechat.conversations.services import conversation_create
from coffeechat.core.queries import lock_rows
from coffeechat.review.models import WeeklyReview
from coffeechat.targets.models import Target


@transaction.atomic
def review_mark_done(*, owner: User, week: date, reflection: str) -> WeeklyReview:
    """Idempotent: a second click keeps the first time it was done (and the newer
    reflection). The row is locked, so two clicks at once make one row."""
    review, _ = WeeklyReview.objects.select_for_update().get_or_create(owner=owner, week=week)
    if review.done_at is None:
        review.done_at = timezone.now()
    review.reflection = reflection
    review.full_clean()
    review.save()
    return review


@transaction.atomic
def review_mark_undone(*, owner: User, week: date) -> None:
    """The review is open again; its reflection stays."""
    WeeklyReview.objects.filter(owner=owner, week=week).update(
        done_at=None, updated_at=timezone.now()
    )


@transaction.atomic
def review_request_start(*, owner: User, contact: Contact, target: Target | None) -> Conversation:
    """The contact's open conversation idea, or a new one for the target: a second click,
    or a second visit, drafts in the same conversation instead of adding another. The contact
    is locked first: two clicks at once (a double-click, two tabs) would otherwise both find no
    idea on PostgreSQL and make one each; the second now waits for the first and finds its
    idea. (SQLite's IMMEDIATE transactions already queue them.)"""
    lock_rows(Contact.objects.filter(owner=owner, pk=contact.pk))
    idea = (
        Conversation.objects.filter(owner=owner, contact=contact, status=Status.IDEA)
        .order_by("-updated_at", "-id")
        .first()
    )
    if idea is not None:
        if target is not None:
            idea.targets.add(target)
        return idea
    return conversation_create(owner=owner, contact=contact, targets=[target] if target else [])
