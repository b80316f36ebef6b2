"""The one rule of what a coach reaches: an accepted, unrevoked share of theirs, and through it
only what the student chose. Everything else is the same 404 as a row that never existed.

A coach is a user like any other to core.access: every other URL of the app is scoped to the
owner, so a coach reaches nothing of a student's there. The coach's own pages (views_coach.py)
go through these helpers only.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from coffeechat.coaching.models import Scope, Share
from coffeechat.notes.models import Note
from coffeechat.prep.models import PrepPlan


def is_coach(user: AbstractBaseUser | AnonymousUser) -> bool:
    profile = getattr(user, "profile", None) if user.is_authenticated else None
    return bool(profile is not None and profile.is_coach)


def coach_shares(coach: AbstractBaseUser | AnonymousUser) -> QuerySet[Share]:
    """The shares in force for ``coach``: accepted, not revoked, and the account still a
    coach's (one query: the flag is joined, not read first)."""
    if not coach.is_authenticated:
        return Share.objects.none()
    return Share.objects.filter(
        coach_id=coach.pk,
        coach__profile__is_coach=True,
        accepted_at__isnull=False,
        revoked_at__isnull=True,
    )


def shared_student_or_404(coach: AbstractBaseUser | AnonymousUser, share_id: int) -> Share:
    """The share, with the student and their profile, if it is in force for ``coach``."""
    return get_object_or_404(
        coach_shares(coach).select_related("owner", "owner__profile"), pk=share_id
    )


def shared_note_or_404(share: Share, note_id: int) -> Note:
    """A note the student chose to show on this share (its scope must allow notes)."""
    if share.scope != Scope.NOTES:
        raise Http404("Nothing shared here.")
    return get_object_or_404(
        share.notes.filter(owner_id=share.owner_id).select_related(
            "contact", "conversation__contact"
        ),
        pk=note_id,
    )


def shared_prep_or_404(share: Share, conversation_id: int) -> PrepPlan:
    """The prep plan of a conversation, if the student chose to show it on this share."""
    if share.scope != Scope.NOTES:
        raise Http404("Nothing shared here.")
    return get_object_or_404(
        share.prep_plans.filter(owner_id=share.owner_id).select_related("conversation__contact"),
        conversation_id=conversation_id,
    )
