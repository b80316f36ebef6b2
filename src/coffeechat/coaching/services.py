"""Writes of the coaching app: invite, accept, choose what is shown, revoke, comment, log."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from coffeechat.coaching.models import AccessLog, Comment, Scope, Share
from coffeechat.notes.models import Note
from coffeechat.prep.models import PrepPlan

INVITE_DAYS = 7
# Codes are read aloud or typed from a message: no 0/O, 1/I/L. Eight of 32 letters are 40 bits;
# with the 7-day life, the single use and the login throttle that is plenty.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


class InviteError(Exception):
    """An invitation that cannot be accepted, with the sentence that says why."""


@dataclass(frozen=True)
class Invitation:
    """A new invitation: the link's token and the code exist only here, never in the database."""

    share: Share
    token: str
    code: str


def _digest(kind: str, secret: str) -> str:
    """A keyed hash (the server's SECRET_KEY): a leaked table gives no code to try."""
    key = f"coffeechat.coaching.{kind}:{settings.SECRET_KEY}".encode()
    # surrogatepass: whatever a form or a URL carried hashes (to nothing that matches), never
    # raises.
    return hmac.new(key, secret.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


def code_normalize(code: str) -> str:
    """What the coach typed, as it was made: upper case, without spaces or dashes."""
    return "".join(code.split()).replace("-", "").upper()


def token_digest(token: str) -> str:
    return _digest("token", token)


def code_digest(code: str) -> str:
    return _digest("code", code_normalize(code))


@transaction.atomic
def invite_create(*, owner: User, scope: str, now: datetime | None = None) -> Invitation:
    """A new invitation of ``owner`` (the student) with the scope they chose."""
    if scope not in Scope.values:
        raise ValueError(f"Unknown scope {scope!r}.")
    now = now or timezone.now()
    token = secrets.token_urlsafe(32)
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    code = f"{raw[:4]}-{raw[4:]}"
    share = Share.objects.create(
        owner=owner,
        scope=scope,
        token_hash=token_digest(token),
        code_hash=code_digest(code),
        expires_at=now + timedelta(days=INVITE_DAYS),
    )
    return Invitation(share=share, token=token, code=code)


def invite_find(*, token: str = "", code: str = "") -> Share | None:
    """The invitation a link's token or a code names, whatever its state (None if none)."""
    if token:
        wanted = Share.objects.filter(token_hash=token_digest(token))
    elif code_normalize(code):
        wanted = Share.objects.filter(code_hash=code_digest(code))
    else:
        return None
    return wanted.select_related("owner", "owner__profile").order_by("-created_at").first()


def invite_problem(*, share: Share | None, coach: User, now: datetime | None = None) -> str:
    """Why ``coach`` cannot accept ``share``, as a sentence; empty when they can."""
    now = now or timezone.now()
    profile = getattr(coach, "profile", None)
    if profile is None or not profile.is_coach:
        return (
            "This account is not a coach's, so it cannot accept a student's invitation. Log in "
            "with your coach account, or ask the server's administrator for one."
        )
    if share is None:
        return "No invitation has this code or link. Check it with the student."
    if share.revoked_at is not None:
        return "The student withdrew this invitation. Ask them for a new one if needed."
    if share.accepted_at is not None:
        return "This invitation was already used. Each one is good once: ask for a new one."
    if share.expires_at <= now:
        return (
            f"This invitation expired on {share.expires_at:%B %-d}: each one is good for "
            f"{INVITE_DAYS} days. Ask the student for a new one."
        )
    if share.owner_id == coach.pk:
        return "This is your own invitation: a coach accepts it, not its author."
    return ""


@transaction.atomic
def invite_accept(*, share: Share, coach: User, now: datetime | None = None) -> Share:
    """``coach`` accepts ``share``; InviteError with the sentence if they cannot. Two coaches
    accepting at once: one wins, the other is told it was used."""
    now = now or timezone.now()
    problem = invite_problem(share=share, coach=coach, now=now)
    if problem:
        raise InviteError(problem)
    taken = Share.objects.filter(
        pk=share.pk, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
    ).update(coach=coach, accepted_at=now, updated_at=now)
    if not taken:
        raise InviteError(
            "This invitation was already used. Each one is good once: ask for a new one."
        )
    share.coach, share.accepted_at = coach, now
    return share


@transaction.atomic
def share_items_set(
    *, share: Share, notes: Iterable[Note], prep_plans: Iterable[PrepPlan]
) -> Share:
    """What the student shows on ``share``: exactly these notes and prep plans (their own)."""
    notes, prep_plans = list(notes), list(prep_plans)
    if any(item.owner_id != share.owner_id for item in [*notes, *prep_plans]):
        raise ValueError("Only the student's own notes and prep plans can be shared.")
    share.notes.set(notes)
    share.prep_plans.set(prep_plans)
    share.save(update_fields=["updated_at"])
    return share


@transaction.atomic
def share_revoke(*, share: Share, now: datetime | None = None) -> Share:
    """Ends the share (or withdraws the invitation) for good; the coach's pages answer 404
    from now on. The comments and the access log stay for the student to read."""
    if share.revoked_at is None:
        share.revoked_at = now or timezone.now()
        share.save(update_fields=["revoked_at", "updated_at"])
    return share


@transaction.atomic
def comment_create(*, share: Share, text: str, note: Note | None = None) -> Comment:
    if note is not None and note.owner_id != share.owner_id:
        raise ValueError("A comment on a note is on one of the student's own notes.")
    return Comment.objects.create(owner_id=share.owner_id, share=share, note=note, text=text)


def comments_mark_read(*, owner: User, now: datetime | None = None) -> int:
    """Every unread comment of ``owner``'s marked read; returns how many."""
    return Comment.objects.filter(owner=owner, read_at__isnull=True).update(
        read_at=now or timezone.now()
    )


def access_record(*, share: Share, page: str, object_id: int | None = None) -> None:
    """One insert per coach page view: the student reads these on their coaching page."""
    AccessLog.objects.create(owner_id=share.owner_id, share=share, page=page, object_id=object_id)
