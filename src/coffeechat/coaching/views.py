"""The student's side: invite a coach, choose what they see, revoke, read comments and the log.

Every share is reached through core.access (the student owns it); the coach's pages are in
views_coach.py and go through coaching/access.py instead.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from coffeechat.coaching import selectors, services
from coffeechat.coaching.access import is_coach
from coffeechat.coaching.forms import InviteForm, ShareItemsForm
from coffeechat.coaching.models import Share
from coffeechat.core.access import get_owned_or_404, owned
from coffeechat.core.types import AuthedRequest
from coffeechat.notes.models import Note

# The link and the code exist only until the student has seen them once: kept in the session
# between the POST that makes them and the page that shows them, never in the database.
SESSION_KEY = "coaching_invitation"
# The newest notes offered for sharing, beside those shared already (an account may hold
# thousands; older ones are found by sharing from a newer list later, if ever needed).
NOTES_OFFERED = 100


def home(request: AuthedRequest, form: InviteForm | None = None) -> HttpResponse:
    page = selectors.student_coaching(owner=request.user)
    return render(
        request,
        "coaching/home.html",
        {
            "page": page,
            "form": form or InviteForm(),
            "is_coach": is_coach(request.user),
            "section": "coaching",
        },
    )


@require_POST
def invite(request: AuthedRequest) -> HttpResponse:
    form = InviteForm(request.POST)
    if not form.is_valid():
        return home(request, form=form)
    invitation = services.invite_create(owner=request.user, scope=form.cleaned_data["scope"])
    request.session[SESSION_KEY] = {
        "share": invitation.share.pk,
        "token": invitation.token,
        "code": invitation.code,
    }
    messages.success(request, "Invitation made. Send the link or the code to your coach.")
    return redirect("coaching:share", share_id=invitation.share.pk)


def share_detail(request: AuthedRequest, share_id: int) -> HttpResponse:
    share = get_owned_or_404(
        Share.objects.select_related("coach__profile"), request.user, pk=share_id
    )
    form = ShareItemsForm(
        request.POST or None,
        owner=request.user,
        initial={"notes": list(share.notes.all()), "prep_plans": list(share.prep_plans.all())},
    )
    if request.method == "POST":
        if not share.with_notes or share.revoked_at is not None:
            messages.error(
                request,
                "This share shows progress only, or has ended: nothing more can be chosen for "
                "it. Make a new invitation with notes and prep plans instead.",
            )
            return redirect("coaching:share", share_id=share.pk)
        if form.is_valid():
            services.share_items_set(
                share=share,
                notes=form.cleaned_data["notes"],
                prep_plans=form.cleaned_data["prep_plans"],
            )
            shown = len(form.cleaned_data["notes"]) + len(form.cleaned_data["prep_plans"])
            messages.success(request, f"Saved: this coach sees {shown} chosen item(s).")
            return redirect("coaching:share", share_id=share.pk)
    secret = request.session.get(SESSION_KEY)
    invitation = None
    if isinstance(secret, dict) and secret.get("share") == share.pk:
        del request.session[SESSION_KEY]
        invitation = {
            "link": request.build_absolute_uri(
                reverse("coach:join_link", kwargs={"token": secret["token"]})
            ),
            "code": secret["code"],
            "join_url": request.build_absolute_uri(reverse("coach:join")),
        }
    shared_notes = set(share.notes.values_list("pk", flat=True))
    offered = list(
        owned(Note, request.user)
        .select_related("contact", "conversation__contact")
        .order_by("-created_at", "-id")[:NOTES_OFFERED]
    )
    offered_ids = {note.pk for note in offered}
    offered += list(
        share.notes.exclude(pk__in=offered_ids).select_related("contact", "conversation__contact")
    )
    return render(
        request,
        "coaching/share.html",
        {
            "share": share,
            "form": form,
            "invitation": invitation,
            "notes_offered": offered,
            "shared_notes": shared_notes,
            "shared_plans": set(share.prep_plans.values_list("pk", flat=True)),
            "plans_offered": form.fields["prep_plans"].queryset,  # type: ignore[attr-defined]
            "section": "coaching",
        },
    )


def revoke(request: AuthedRequest, share_id: int) -> HttpResponse:
    """GET asks first; POST ends the share for good."""
    share = get_owned_or_404(
        Share.objects.select_related("coach__profile"), request.user, pk=share_id
    )
    if request.method == "POST":
        services.share_revoke(share=share)
        messages.success(
            request,
            "Ended. The coach can no longer see anything of yours through this share."
            if share.accepted_at
            else "Invitation withdrawn: its link and code no longer work.",
        )
        return redirect("coaching:home")
    return render(request, "coaching/revoke.html", {"share": share, "section": "coaching"})


@require_POST
def comments_read(request: AuthedRequest) -> HttpResponse:
    count = services.comments_mark_read(owner=request.user)
    messages.success(request, f"Marked {count} comment{'s' if count != 1 else ''} read.")
    return redirect("coaching:home")
