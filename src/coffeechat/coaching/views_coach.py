"""The coach's side: join with a link or a code, the list of students, and one student's
progress, shared notes and prep plans, read-only but for comments.

Every page of a student's goes through coaching/access.py (an outsider, a coach without a
share, and any coach after the student revoked it all get 404) and is written to the
student's access log, one insert per page view.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from coffeechat.coaching import selectors, services
from coffeechat.coaching.access import (
    is_coach,
    shared_note_or_404,
    shared_prep_or_404,
    shared_student_or_404,
)
from coffeechat.coaching.forms import CodeForm, CommentForm
from coffeechat.coaching.models import Page, Share
from coffeechat.core.types import AuthedRequest
from coffeechat.prep.selectors import prep_sheet

NOT_A_COACH = (
    "This account is not a coach's. Coaches' accounts are made by the server's administrator "
    "(coffeechat createuser NAME --coach); students invite them from their Coaching page."
)


def home(request: AuthedRequest) -> HttpResponse:
    if not is_coach(request.user):
        return render(request, "coaching/not_coach.html", {"sentence": NOT_A_COACH})
    rows = selectors.coach_students(coach=request.user)
    return render(
        request,
        "coaching/coach_home.html",
        {"rows": rows, "quiet_days": selectors.QUIET_DAYS, "section": "coach"},
    )


def _accept(request: AuthedRequest, share: Share | None) -> HttpResponse:
    try:
        if share is None:
            raise services.InviteError(services.invite_problem(share=None, coach=request.user))
        services.invite_accept(share=share, coach=request.user)
    except services.InviteError as error:
        messages.error(request, str(error))
        return redirect("coach:join")
    messages.success(
        request,
        f"You now see {selectors.display_name(share.owner, share.owner.profile)}'s progress.",
    )
    return redirect("coach:student", share_id=share.pk)


def join(request: AuthedRequest) -> HttpResponse:
    """The code, typed in."""
    form = CodeForm(request.POST or None)
    problem = "" if is_coach(request.user) else NOT_A_COACH
    if request.method == "POST" and not problem and form.is_valid():
        share = services.invite_find(code=form.cleaned_data["code"])
        return _accept(request, share)
    return render(
        request, "coaching/join.html", {"form": form, "problem": problem, "section": "coach"}
    )


def join_link(request: AuthedRequest, token: str) -> HttpResponse:
    """The link: GET shows whose invitation it is and what it shows; POST accepts."""
    share = services.invite_find(token=token[:100])
    if request.method == "POST":
        return _accept(request, share)
    problem = services.invite_problem(share=share, coach=request.user)
    return render(
        request,
        "coaching/join_link.html",
        {
            "share": None if problem else share,
            "student": selectors.display_name(share.owner, share.owner.profile)
            if share and not problem
            else "",
            "problem": problem,
            "section": "coach",
        },
    )


def student(request: AuthedRequest, share_id: int, form: CommentForm | None = None) -> HttpResponse:
    share = shared_student_or_404(request.user, share_id)
    services.access_record(share=share, page=Page.PROGRESS)
    progress = selectors.student_progress(share=share)
    return render(
        request,
        "coaching/student.html",
        {
            "share": share,
            "p": progress,
            "form": form or CommentForm(),
            "now": timezone.now(),
            "section": "coach",
        },
    )


@require_POST
def comment(request: AuthedRequest, share_id: int) -> HttpResponse:
    share = shared_student_or_404(request.user, share_id)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return student(request, share_id, form=form)
    services.comment_create(share=share, text=form.cleaned_data["text"])
    messages.success(request, "Comment sent.")
    return redirect("coach:student", share_id=share.pk)


def note(request: AuthedRequest, share_id: int, note_id: int) -> HttpResponse:
    """A shared note; POST leaves a comment on it."""
    share = shared_student_or_404(request.user, share_id)
    shared = shared_note_or_404(share, note_id)
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.comment_create(share=share, text=form.cleaned_data["text"], note=shared)
        messages.success(request, "Comment sent.")
        return redirect("coach:note", share_id=share.pk, note_id=shared.pk)
    if request.method == "GET":
        services.access_record(share=share, page=Page.NOTE, object_id=shared.pk)
    return render(
        request,
        "coaching/note.html",
        {
            "share": share,
            "note": shared,
            "student": selectors.display_name(share.owner, share.owner.profile),
            "comments": share.comments.filter(note=shared),
            "form": form,
            "section": "coach",
        },
    )


def prep(request: AuthedRequest, share_id: int, conversation_id: int) -> HttpResponse:
    share = shared_student_or_404(request.user, share_id)
    plan = shared_prep_or_404(share, conversation_id)
    services.access_record(share=share, page=Page.PREP, object_id=conversation_id)
    return render(
        request,
        "coaching/prep.html",
        {
            "share": share,
            "sheet": prep_sheet(conversation=plan.conversation),
            "student": selectors.display_name(share.owner, share.owner.profile),
            "section": "coach",
        },
    )
