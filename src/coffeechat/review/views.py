from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from coffeechat.accounts.services import profile_for
from coffeechat.core.types import AuthedRequest
from coffeechat.core.validators import YEAR_MAX, YEAR_MIN
from coffeechat.review import selectors, services
from coffeechat.review.forms import DraftRequestForm, ReviewDoneForm


def _monday(week: date | None) -> date | None:
    """The Monday of a week named by any of its days; None for a day out of the years the app
    keeps (its neighbours' links would leave them too)."""
    if week is None:
        return None
    if not YEAR_MIN <= week.year <= YEAR_MAX:
        raise Http404("No such week.")
    return selectors.week_start(week)


def review_week(request: AuthedRequest, week: date | None = None) -> HttpResponse:
    profile = profile_for(request.user)
    today = timezone.localdate(timezone.now(), profile.tz)
    monday = _monday(week) or selectors.week_start(today)
    if week is not None and week != monday:
        return redirect("review:week", week=monday)
    review = selectors.week_review(user=request.user, profile=profile, week=monday, today=today)
    form = ReviewDoneForm(instance=review.review)
    due = selectors.reviewed_week(day=today, review_weekday=profile.review_weekday)
    context = {
        "review": review,
        "form": form,
        "profile": profile,
        "review_day": profile.get_review_weekday_display(),
        "due_week": due,
        "has_previous": review.previous_week.year >= YEAR_MIN,
        "has_next": review.next_week.year <= YEAR_MAX,
    }
    return render(request, "review/week.html", context)


@require_POST
def review_done(request: AuthedRequest, week: date) -> HttpResponse:
    monday = _monday(week)
    assert monday is not None
    form = ReviewDoneForm(request.POST)
    if not form.is_valid():
        problems = " ".join(str(m) for errors in form.errors.values() for m in errors)
        messages.error(request, f"{problems} The review is not marked done.")
        return redirect("review:week", week=monday)
    services.review_mark_done(
        owner=request.user, week=monday, reflection=form.cleaned_data["reflection"]
    )
    messages.success(request, f"Review of the week of {monday:%b %-d} done.")
    return redirect("review:week", week=monday)


@require_POST
def review_undo(request: AuthedRequest, week: date) -> HttpResponse:
    monday = _monday(week)
    assert monday is not None
    services.review_mark_undone(owner=request.user, week=monday)
    messages.success(request, "The review is open again.")
    return redirect("review:week", week=monday)


@require_POST
def draft_request(request: AuthedRequest) -> HttpResponse:
    """A suggested person: their conversation idea (made if need be), then its request."""
    form = DraftRequestForm(request.POST, owner=request.user)
    if not form.is_valid():
        messages.error(request, "That person is not among your contacts. Nothing changed.")
        return redirect("review:current")
    conversation = services.review_request_start(
        owner=request.user, contact=form.cleaned_data["contact"], target=form.cleaned_data["target"]
    )
    url = reverse("outreach:draft", kwargs={"conversation_id": conversation.pk})
    return redirect(f"{url}?kind=request_email")
