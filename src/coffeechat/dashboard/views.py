from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from coffeechat.accounts.services import profile_first_steps_dismiss, profile_for
from coffeechat.contacts.forms import QuickContactForm
from coffeechat.contacts.models import Contact
from coffeechat.contacts.services import contact_save
from coffeechat.conversations.models import THANKS_WITHIN
from coffeechat.conversations.services import conversation_create
from coffeechat.core.types import AuthedRequest
from coffeechat.dashboard import selectors
from coffeechat.interview.selectors import shadowing_soon
from coffeechat.outreach.selectors import keep_in_touch_overdue_count
from coffeechat.review.selectors import review_due


def home(request: AuthedRequest, quick_form: QuickContactForm | None = None) -> HttpResponse:
    user = request.user
    profile = profile_for(user)
    now = timezone.now()
    today = timezone.localdate(now, profile.tz)
    history = selectors.week_history(user=user, profile=profile, now=now)
    context = {
        "profile": profile,
        "today": today,
        "now": now,
        "progress": selectors.week_progress(user=user, profile=profile),
        "history": history,
        "chart": selectors.week_chart(history),
        "streak": selectors.goal_streak(history),
        "requests_this_week": history[-1].requests,
        # Counted to one past what the card says in figures: "more than 100" needs no more.
        "keep_in_touch_overdue": keep_in_touch_overdue_count(
            user=user, today=today, up_to=selectors.KEEP_IN_TOUCH_SHOWN + 1
        ),
        "keep_in_touch_shown": selectors.KEEP_IN_TOUCH_SHOWN,
        "upcoming": selectors.upcoming_conversations(user=user),
        "followups": selectors.due_followups(user=user, today=today),
        "thanks": selectors.thanks_owed(user=user),
        "thanks_deadline": now - THANKS_WITHIN,
        "quick_form": quick_form or QuickContactForm(),
        "shadowing_soon": shadowing_soon(user=user, today=today),
        "start": selectors.account_start(user=user, profile=profile),
        # The week whose review is due today (the review day) and not done yet.
        "review_due": review_due(user=user, profile=profile, today=today),
    }
    return render(request, "dashboard/home.html", context)


@require_POST
def first_steps_dismiss(request: AuthedRequest) -> HttpResponse:
    profile_first_steps_dismiss(user=request.user)
    messages.success(
        request, "First steps hidden. Settings, targets and contacts are in the top bar."
    )
    return redirect("dashboard:home")


@require_POST
def quick_add(request: AuthedRequest) -> HttpResponse:
    """A name (and where they work) from the dashboard becomes a contact, and by default a
    conversation idea, so that nobody mentioned in passing is forgotten."""
    form = QuickContactForm(request.POST)
    if not form.is_valid():
        return home(request, quick_form=form)
    first, last = form.split_name()
    with transaction.atomic():
        contact = contact_save(
            owner=request.user,
            contact=Contact(first_name=first, last_name=last, title=form.cleaned_data["title"]),
            organization_name=form.cleaned_data["organization_name"],
        )
        if form.cleaned_data["as_idea"]:
            conversation_create(owner=request.user, contact=contact)
    messages.success(request, f"Added {contact.full_name}.")
    return redirect("dashboard:home")
