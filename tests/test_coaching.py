"""Coaches, with consent: the student invites, chooses, revokes and reads; the coach reads
what was shared, comments, and leaves a trace of every page they open."""

from __future__ import annotations

import datetime as dt
import io
import sys

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coffeechat.accounts.models import Profile
from coffeechat.accounts.services import account_data_erase, account_delete, user_create
from coffeechat.coaching.models import AccessLog, Comment, Page, Scope, Share
from coffeechat.coaching.services import (
    comment_create,
    invite_accept,
    invite_create,
    share_revoke,
)
from coffeechat.coaching.views import SESSION_KEY
from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import Conversation, Status
from coffeechat.fit.models import Choice, Verdict
from coffeechat.notes.models import Note
from coffeechat.outreach.models import DraftKind, Outreach
from coffeechat.portability.selectors import account_export
from coffeechat.portability.services import account_restore
from tests.conftest import PASSWORD, World, share_with

pytestmark = pytest.mark.django_db


def _invite(client: Client, scope: str = Scope.NOTES) -> tuple[Share, str, str]:
    """The student makes an invitation through the page; returns it with its link and code as
    the page shows them."""
    response = client.post(reverse("coaching:invite"), {"scope": scope})
    share = Share.objects.latest("pk")
    assert response.status_code == 302 and response.url == reverse(
        "coaching:share", args=[share.pk]
    )
    page = client.get(response.url).content.decode()
    link = page.split('id="invite-link" value="')[1].split('"')[0]
    code = page.split('id="invite-code" class="feed-url">')[1].split("<")[0]
    return share, link, code


# --- Accounts --------------------------------------------------------------------------------


def test_createuser_coach_makes_a_coach_account(monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("a long enough secret\n"))
    out = io.StringIO()
    call_command("createuser", "cora", "--coach", "--password-stdin", stdout=out)
    assert "Created coach cora." in out.getvalue()
    assert Profile.objects.get(user__username="cora").is_coach
    monkeypatch.setattr(sys, "stdin", io.StringIO("a long enough secret\n"))
    call_command("createuser", "sam", "--password-stdin", stdout=io.StringIO())
    assert not Profile.objects.get(user__username="sam").is_coach


# --- Invitation ------------------------------------------------------------------------------


def test_the_link_and_code_show_once_and_only_their_hashes_are_kept(
    owner_client: Client,
) -> None:
    share, link, code = _invite(owner_client)
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert len(token) >= 40 and len(code) == 9 and code[4] == "-"
    stored = Share.objects.filter(pk=share.pk).values().get()
    assert token not in str(stored) and code.replace("-", "") not in str(stored)
    assert share.expires_at - timezone.now() > dt.timedelta(days=6, hours=23)
    again = owner_client.get(reverse("coaching:share", args=[share.pk])).content.decode()
    assert token not in again and code not in again


def test_a_coach_accepts_by_link_and_sees_the_progress(
    owner_client: Client, coach_client: Client, coach: User, owner: User
) -> None:
    share, link, _ = _invite(owner_client)
    page = coach_client.get(link).content.decode()
    assert "Olivia Owner invites you" in page
    response = coach_client.post(link)
    assert response.url == reverse("coach:student", args=[share.pk])
    share.refresh_from_db()
    assert share.coach == coach and share.accepted_at is not None
    assert "Olivia Owner" in coach_client.get(reverse("coach:home")).content.decode()


def test_a_coach_accepts_by_code_typed_loosely(
    owner_client: Client, coach_client: Client, coach: User
) -> None:
    share, _, code = _invite(owner_client)
    loose = f" {code.lower().replace('-', ' ')} "
    response = coach_client.post(reverse("coach:join"), {"code": loose})
    assert response.url == reverse("coach:student", args=[share.pk])
    assert Share.objects.get(pk=share.pk).coach == coach


def test_a_student_account_cannot_accept_and_is_told_why(
    owner_client: Client, outsider_client: Client
) -> None:
    share, link, code = _invite(owner_client)
    page = outsider_client.get(link).content.decode()
    assert "This account is not a coach&#x27;s" in page
    outsider_client.post(link)
    outsider_client.post(reverse("coach:join"), {"code": code})
    assert "not a coach" in outsider_client.get(reverse("coach:join")).content.decode()
    assert Share.objects.get(pk=share.pk).accepted_at is None


def test_an_invitation_is_good_once(
    owner_client: Client, coach_client: Client, other_coach_client: Client, coach: User
) -> None:
    share, link, code = _invite(owner_client)
    coach_client.post(link)
    page = other_coach_client.post(reverse("coach:join"), {"code": code}, follow=True)
    assert "already used" in page.content.decode()
    assert "already used" in other_coach_client.get(link).content.decode()
    assert Share.objects.get(pk=share.pk).coach == coach


def test_an_expired_or_withdrawn_invitation_says_so(
    owner_client: Client, coach_client: Client
) -> None:
    share, link, code = _invite(owner_client)
    Share.objects.filter(pk=share.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert "expired on" in coach_client.get(link).content.decode()
    page = coach_client.post(reverse("coach:join"), {"code": code}, follow=True).content.decode()
    assert "expired on" in page
    withdrawn, link, _ = _invite(owner_client)
    owner_client.post(reverse("coaching:revoke", args=[withdrawn.pk]))
    assert "withdrew this invitation" in coach_client.get(link).content.decode()
    assert not Share.objects.filter(accepted_at__isnull=False).exists()
    unknown = coach_client.get(reverse("coach:join_link", args=["nonsense"])).content.decode()
    assert "No invitation has this code or link" in unknown


# --- What is shared --------------------------------------------------------------------------


def test_the_student_chooses_notes_one_by_one(
    world: World, owner: User, owner_client: Client, coach: User, coach_client: Client
) -> None:
    other = Note.objects.create(owner=owner, contact=world.contact, text="Salary worries.")
    share, link, _ = _invite(owner_client)
    coach_client.post(link)
    url = reverse("coaching:share", args=[share.pk])
    owner_client.post(url, {"notes": [world.note.pk]})
    assert list(Share.objects.get(pk=share.pk).notes.all()) == [world.note]
    page = coach_client.get(reverse("coach:student", args=[share.pk])).content.decode()
    assert reverse("coach:note", args=[share.pk, world.note.pk]) in page
    assert "Salary worries" not in page
    assert coach_client.get(reverse("coach:note", args=[share.pk, other.pk])).status_code == 404
    note_page = coach_client.get(reverse("coach:note", args=[share.pk, world.note.pk]))
    assert "Prefers mornings." in note_page.content.decode()


def test_a_progress_only_share_takes_no_notes(
    world: World, owner_client: Client, coach_client: Client
) -> None:
    share, link, _ = _invite(owner_client, scope=Scope.PROGRESS)
    coach_client.post(link)
    response = owner_client.post(
        reverse("coaching:share", args=[share.pk]), {"notes": [world.note.pk]}, follow=True
    )
    assert "progress only" in response.content.decode()
    assert not Share.objects.get(pk=share.pk).notes.exists()
    page = coach_client.get(reverse("coach:student", args=[share.pk])).content.decode()
    assert "Shared with you" not in page


def test_the_coach_page_shows_the_progress(
    world: World, owner: User, coach_share: Share, coach_client: Client
) -> None:
    Conversation.objects.filter(pk=world.conversation.pk).update(
        status=Status.SCHEDULED, scheduled_at=timezone.now()
    )
    Verdict.objects.create(
        owner=owner,
        target=world.target,
        verdict=Choice.PURSUE,
        proposed=Choice.PURSUE,
        decided_on=timezone.localdate(),
    )
    page = coach_client.get(reverse("coach:student", args=[coach_share.pk])).content.decode()
    assert "1 of 1</strong> new conversation scheduled (weekly goal, met)" in page
    assert "Requests sent" in page and "Offers" in page  # the funnel's stages
    assert "Scheduled: 1" in page and "Priya Raman" in page
    assert "Halvorsen Biologics" in page and "Pursue" in page
    assert "Prep plan for Priya Raman" in page  # shared


def test_the_student_revokes_after_being_asked_and_the_coach_gets_404(
    owner_client: Client, coach_share: Share, coach_client: Client
) -> None:
    url = reverse("coaching:revoke", args=[coach_share.pk])
    assert "Stop sharing with Cora Coach?" in owner_client.get(url).content.decode()
    assert Share.objects.get(pk=coach_share.pk).revoked_at is None  # asking is not revoking
    owner_client.post(url)
    assert Share.objects.get(pk=coach_share.pk).revoked_at is not None
    assert coach_client.get(reverse("coach:student", args=[coach_share.pk])).status_code == 404
    assert "Olivia Owner" not in coach_client.get(reverse("coach:home")).content.decode()


def test_a_coach_who_is_a_coach_no_more_sees_nothing(
    coach: User, coach_share: Share, coach_client: Client
) -> None:
    Profile.objects.filter(user=coach).update(is_coach=False)
    assert coach_client.get(reverse("coach:student", args=[coach_share.pk])).status_code == 404


# --- Comments and the access log -------------------------------------------------------------


def test_the_coach_comments_and_the_student_reads_and_marks_read(
    world: World, owner: User, owner_client: Client, coach_share: Share, coach_client: Client
) -> None:
    coach_client.post(reverse("coach:comment", args=[coach_share.pk]), {"text": "Nice week!"})
    coach_client.post(
        reverse("coach:note", args=[coach_share.pk, world.note.pk]), {"text": "Ask her why."}
    )
    refused = coach_client.post(reverse("coach:comment", args=[coach_share.pk]), {"text": "  "})
    assert refused.status_code == 200 and "This field is required." in refused.content.decode()
    assert Comment.objects.filter(owner=owner).count() == 2
    page = owner_client.get(reverse("coaching:home")).content.decode()
    assert "Nice week!" in page and "Ask her why." in page and "2 new" in page
    owner_client.post(reverse("coaching:comments_read"))
    assert not Comment.objects.filter(owner=owner, read_at__isnull=True).exists()
    assert "2 new" not in owner_client.get(reverse("coaching:home")).content.decode()


def test_every_coach_page_view_is_logged_once_and_the_student_reads_it(
    world: World, owner: User, owner_client: Client, coach_share: Share, coach_client: Client
) -> None:
    coach_client.get(reverse("coach:student", args=[coach_share.pk]))
    coach_client.get(reverse("coach:note", args=[coach_share.pk, world.note.pk]))
    coach_client.get(reverse("coach:prep", args=[coach_share.pk, world.conversation.pk]))
    coach_client.get(reverse("coach:home"))  # the list shows no student's data: not logged
    assert list(
        AccessLog.objects.filter(owner=owner)
        .order_by("pk")
        .values_list("share__coach__username", "page", "object_id")
    ) == [
        ("coach", Page.PROGRESS, None),
        ("coach", Page.NOTE, world.note.pk),
        ("coach", Page.PREP, world.conversation.pk),
    ]
    page = owner_client.get(reverse("coaching:home")).content.decode()
    assert "Cora Coach viewed your progress" in page
    assert "Cora Coach viewed a shared note" in page
    assert "Cora Coach viewed a shared prep plan" in page


def test_a_page_view_costs_one_insert(
    coach_share: Share, coach_client: Client, django_assert_num_queries
) -> None:
    url = reverse("coach:student", args=[coach_share.pk])
    coach_client.get(url)
    with CaptureQueriesContext(connection) as queries:
        coach_client.get(url)
    writes = [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith(("INSERT", "UPDATE"))
    ]
    assert len(writes) == 1 and "coaching_accesslog" in writes[0]


# --- The coach's list ------------------------------------------------------------------------


def _student(number: int, coach: User, *, quiet: bool, overdue: bool) -> Share:
    student = user_create(username=f"student{number}", password=PASSWORD)
    share = invite_accept(
        share=invite_create(owner=student, scope=Scope.PROGRESS).share, coach=coach
    )
    contact = Contact.objects.create(owner=student, first_name="Ana", last_name=f"N{number}")
    scheduled = Conversation.objects.create(
        owner=student, contact=contact, status=Status.SCHEDULED, scheduled_at=timezone.now()
    )
    if not quiet:
        Outreach.objects.create(
            owner=student,
            conversation=scheduled,
            contact=contact,
            kind=DraftKind.REQUEST_EMAIL,
            sent_on=timezone.localdate() - dt.timedelta(days=3),
            body="Hello?",
        )
    if overdue:
        Conversation.objects.create(
            owner=student,
            contact=contact,
            status=Status.HELD,
            held_at=timezone.now() - dt.timedelta(hours=30),
        )
    return share


def test_the_list_puts_students_who_need_a_nudge_first(coach: User, coach_client: Client) -> None:
    _student(1, coach, quiet=False, overdue=False)
    _student(2, coach, quiet=True, overdue=False)
    _student(3, coach, quiet=False, overdue=True)
    page = coach_client.get(reverse("coach:home")).content.decode()
    assert page.index("student2") < page.index("student1")
    assert page.index("student3") < page.index("student1")
    assert "no request in 14 days" in page and "1 thank-you overdue" in page
    assert "on track" in page
    assert page.count("This week: 1 of 1 scheduled") == 3


def test_the_lists_queries_do_not_grow_with_the_students(coach: User, coach_client: Client) -> None:
    url = reverse("coach:home")

    def count() -> int:
        coach_client.get(url)  # the session's first reads are not the list's
        with CaptureQueriesContext(connection) as queries:
            assert coach_client.get(url).status_code == 200
        return len(queries.captured_queries)

    for number in range(3):
        _student(number, coach, quiet=number % 2 == 0, overdue=number % 3 == 0)
    three = count()
    for number in range(3, 10):
        _student(number, coach, quiet=number % 2 == 0, overdue=number % 3 == 0)
    assert count() == three


def test_the_student_page_queries_do_not_grow_with_the_shared_items(
    world: World, owner: User, coach_share: Share, coach_client: Client
) -> None:
    url = reverse("coach:student", args=[coach_share.pk])
    coach_client.get(url)
    with CaptureQueriesContext(connection) as queries:
        coach_client.get(url)
    before = len(queries.captured_queries)
    notes = [
        Note.objects.create(owner=owner, contact=world.contact, text=f"n{i}") for i in range(8)
    ]
    coach_share.notes.add(*notes)
    with CaptureQueriesContext(connection) as queries:
        coach_client.get(url)
    assert len(queries.captured_queries) == before


# --- Erase, export, restore ------------------------------------------------------------------


def test_deleting_the_student_removes_every_coaching_row(
    world: World, owner: User, coach: User, coach_share: Share, coach_client: Client
) -> None:
    comment_create(share=coach_share, text="Keep going")
    coach_client.get(reverse("coach:student", args=[coach_share.pk]))
    account_delete(user=owner)
    assert not Share.objects.exists() and not Comment.objects.exists()
    assert not AccessLog.objects.exists()
    assert User.objects.filter(pk=coach.pk).exists()


def test_erasing_the_students_data_ends_the_sharing(
    world: World, owner: User, coach_share: Share, coach_client: Client
) -> None:
    account_data_erase(user=owner)
    assert not Share.objects.filter(owner=owner).exists()
    assert coach_client.get(reverse("coach:student", args=[coach_share.pk])).status_code == 404


def test_deleting_the_coach_removes_their_shares_and_comments(
    world: World, owner: User, coach: User, coach_share: Share, other_coach: User
) -> None:
    kept = share_with(world, other_coach)
    comment_create(share=coach_share, text="Mine")
    comment_create(share=kept, text="Theirs")
    account_delete(user=coach)
    assert list(Share.objects.filter(owner=owner, coach__isnull=False)) == [kept]
    assert list(Comment.objects.values_list("text", flat=True)) == ["Theirs"]
    assert Note.objects.filter(pk=world.note.pk).exists()  # the student's own rows stay


def test_the_export_leaves_coaching_out_and_restores_without_it(
    world: World, owner: User, coach_share: Share
) -> None:
    comment_create(share=coach_share, text="Keep going")
    export = account_export(user=owner)
    assert not [label for label in export["models"] if label.startswith("coaching.")]
    copy = user_create(username="copy", password=PASSWORD)
    account_restore(user=copy, data=export)
    assert not Share.objects.filter(owner=copy).exists()
    assert Note.objects.filter(owner=copy).count() == Note.objects.filter(owner=owner).count()


def test_a_restore_never_makes_a_coach(owner: User) -> None:
    export = account_export(user=owner)
    export["profile"]["is_coach"] = True
    copy = user_create(username="copy", password=PASSWORD)
    account_restore(user=copy, data=export)
    assert not Profile.objects.get(user=copy).is_coach


def test_a_coach_cannot_accept_their_own_invitation(coach: User) -> None:
    invitation = invite_create(owner=coach, scope=Scope.PROGRESS)
    with pytest.raises(Exception, match="your own invitation"):
        invite_accept(share=invitation.share, coach=coach)
    share_revoke(share=invitation.share)


def test_the_session_forgets_the_secret_once_shown(owner_client: Client) -> None:
    share, _, _ = _invite(owner_client)
    assert SESSION_KEY not in owner_client.session
