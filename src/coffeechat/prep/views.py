from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from coffeechat.accounts.services import profile_for
from coffeechat.conversations.models import Conversation
from coffeechat.conversations.selectors import conversation_detail_queryset
from coffeechat.core.access import get_owned_or_404
from coffeechat.core.types import AuthedRequest
from coffeechat.core.validators import is_id
from coffeechat.leads.models import FormalInterview
from coffeechat.prep import documents, rounds, services
from coffeechat.prep.forms import (
    GenerateForm,
    OwnQuestionForm,
    ResearchItemForm,
    TargetResearchForm,
    TryPlanForm,
)
from coffeechat.prep.models import PrepItem, PrepPlan, ResearchItem
from coffeechat.prep.selectors import default_research, plan_try, prep_sheet
from coffeechat.targets.models import Target


def _conversation(request: AuthedRequest, conversation_id: int) -> Conversation:
    return get_owned_or_404(
        conversation_detail_queryset(user=request.user), request.user, pk=conversation_id
    )


def _page_context(conversation: Conversation, **extra: object) -> dict[str, object]:
    plan = PrepPlan.objects.filter(conversation=conversation).first()
    sheet = prep_sheet(conversation=conversation) if plan else None
    # Before the first tick the checklist is the defaults, shown but not yet written.
    research = list(conversation.research_items.all()) or [
        ResearchItem(kind=kind, text=text, position=index)
        for index, (kind, text) in enumerate(default_research(conversation))
    ]
    return {
        "conversation": conversation,
        "plan": plan,
        "sheet": sheet,
        "research": research,
        "targets": prep_sheet_targets(conversation),
        "generate_form": GenerateForm(
            initial={"minutes": plan.minutes if plan else conversation.planned_minutes}
        ),
        "own_form": OwnQuestionForm(),
        "research_form": ResearchItemForm(),
        **extra,
    }


def prep_sheet_targets(conversation: Conversation) -> list[tuple[Target, TargetResearchForm]]:
    targets = list(conversation.targets.all().select_related("research"))
    pairs = []
    for target in targets:
        notes = getattr(target, "research", None)
        pairs.append(
            (
                target,
                TargetResearchForm(
                    initial={"notes": notes.notes if notes else ""}, prefix=f"target-{target.pk}"
                ),
            )
        )
    return pairs


def prep_page(request: AuthedRequest, conversation_id: int) -> HttpResponse:
    conversation = _conversation(request, conversation_id)
    return render(request, "prep/page.html", _page_context(conversation))


def _plan_response(
    request: AuthedRequest, conversation: Conversation, partial: str = "plan"
) -> HttpResponse:
    """htmx gets the changed part of the prep page; a plain form post goes back to it."""
    if request.htmx:
        return render(request, f"prep/page.html#{partial}", _page_context(conversation))
    return redirect("prep:page", conversation_id=conversation.pk)


@require_POST
def prep_generate(request: AuthedRequest, conversation_id: int) -> HttpResponse:
    conversation = _conversation(request, conversation_id)
    form = GenerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the slot in minutes, 20 to 60. Nothing changed.")
        return redirect("prep:page", conversation_id=conversation.pk)
    minutes = form.cleaned_data["minutes"]
    try:
        services.prep_plan_generate(
            conversation=conversation,
            minutes=minutes,
            discard_edits=request.POST.get("discard_edits") == "1",
        )
    except services.PlanHasEdits:
        # Ask first: the user's reordering, pins, removals and own questions would go.
        return render(
            request,
            "prep/confirm_regenerate.html",
            {"conversation": conversation, "minutes": minutes},
        )
    messages.success(request, f"Plan ready for {minutes} minutes.")
    return redirect("prep:page", conversation_id=conversation.pk)


def prep_print(request: AuthedRequest, conversation_id: int) -> HttpResponse:
    conversation = _conversation(request, conversation_id)
    sheet = prep_sheet(conversation=conversation)
    return render(request, "prep/print.html", {"sheet": sheet, "conversation": conversation})


def _filename(conversation: Conversation, extension: str) -> str:
    name = "".join(c if c.isalnum() else "-" for c in conversation.contact.full_name.lower())
    return f"prep-{conversation.pk}-{name.strip('-')}.{extension}"


def prep_pdf(request: AuthedRequest, conversation_id: int) -> HttpResponse:
    conversation = _conversation(request, conversation_id)
    paper = request.GET.get("paper", "a4")
    data = documents.sheet_pdf(prep_sheet(conversation=conversation), paper=paper)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(conversation, "pdf")}"'
    return response


def prep_markdown(request: AuthedRequest, conversation_id: int) -> HttpResponse:
    conversation = _conversation(request, conversation_id)
    text = documents.sheet_markdown(prep_sheet(conversation=conversation))
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(conversation, "md")}"'
    return response


@require_POST
def prep_item_add(request: AuthedRequest, conversation_id: int) -> HttpResponse:
    conversation = _conversation(request, conversation_id)
    plan = PrepPlan.objects.filter(conversation=conversation).first()
    form = OwnQuestionForm(request.POST)
    if plan is None:
        messages.error(request, "Generate the plan first, then add your own questions to it.")
    elif form.is_valid():
        services.prep_item_add_own(plan=plan, **form.cleaned_data)
    else:
        messages.error(request, "Write the question (8 characters or more) and pick its phase.")
    return _plan_response(request, conversation)


def _item(request: AuthedRequest, prep_item_id: int) -> PrepItem:
    return get_owned_or_404(
        PrepItem.objects.select_related("plan", "question"), request.user, pk=prep_item_id
    )


@require_POST
def prep_item_move(request: AuthedRequest, prep_item_id: int) -> HttpResponse:
    item = _item(request, prep_item_id)
    services.prep_item_move(item=item, offset=-1 if request.POST.get("direction") == "up" else 1)
    return _plan_response(request, _conversation(request, item.plan.conversation_id))


@require_POST
def prep_item_pin(request: AuthedRequest, prep_item_id: int) -> HttpResponse:
    item = _item(request, prep_item_id)
    services.prep_item_pin(item=item, pinned=not item.pinned)
    return _plan_response(request, _conversation(request, item.plan.conversation_id))


@require_POST
def prep_item_remove(request: AuthedRequest, prep_item_id: int) -> HttpResponse:
    item = _item(request, prep_item_id)
    conversation_id = item.plan.conversation_id
    services.prep_item_remove(item=item)
    return _plan_response(request, _conversation(request, conversation_id))


@require_POST
def research_item_add(request: AuthedRequest, conversation_id: int) -> HttpResponse:
    conversation = _conversation(request, conversation_id)
    form = ResearchItemForm(request.POST)
    if form.is_valid():
        services.research_item_add(conversation=conversation, text=form.cleaned_data["text"])
    return _plan_response(request, conversation, "research")


@require_POST
def research_default_toggle(
    request: AuthedRequest, conversation_id: int, position: int
) -> HttpResponse:
    conversation = _conversation(request, conversation_id)
    services.research_default_toggle(conversation=conversation, position=position)
    return _plan_response(request, conversation, "research")


@require_POST
def research_item_toggle(request: AuthedRequest, research_item_id: int) -> HttpResponse:
    item = get_owned_or_404(ResearchItem, request.user, pk=research_item_id)
    services.research_item_toggle(item=item)
    return _plan_response(request, _conversation(request, item.conversation_id), "research")


@require_POST
def target_research_save(request: AuthedRequest, target_id: int) -> HttpResponse:
    target = get_owned_or_404(Target, request.user, pk=target_id)
    # The page to go back to is resolved before anything is saved: someone else's
    # conversation there is a 404 with nothing written, not a 404 after the save.
    back = request.POST.get("conversation", "")
    if is_id(back):
        response = redirect("prep:page", conversation_id=_conversation(request, int(back)).pk)
    else:
        response = redirect("targets:detail", target_id=target.pk)
    form = TargetResearchForm(request.POST, prefix=f"target-{target.pk}")
    if form.is_valid():
        services.target_research_save(
            owner=request.user, target=target, notes=form.cleaned_data["notes"]
        )
        messages.success(request, f"Research notes on {target.name} saved.")
    return response


def prep_try(request: AuthedRequest) -> HttpResponse:
    """ "Try a plan": the plan for a title, from the user's bank and profile, on the same page.
    A GET that reads only: nothing is saved, so trying titles costs nothing."""
    stage = profile_for(request.user).stage
    form = TryPlanForm(request.GET or None, initial={"stage": stage, "minutes": 30})
    sheet = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        sheet = plan_try(
            user=request.user,
            title=data["title"],
            industry=data["industry"],
            stage=data["stage"] or stage,
            minutes=data["minutes"] or 30,
        )
    partial = request.htmx and not request.htmx.boosted
    template = "prep/try.html#result" if partial else "prep/try.html"
    return render(request, template, {"form": form, "sheet": sheet, "section": "questions"})


# --- A formal interview's sheet ------------------------------------------------------------------


def _round(request: AuthedRequest, round_id: int) -> FormalInterview:
    return get_owned_or_404(rounds.round_queryset(), request.user, pk=round_id)


def _round_filename(round_: FormalInterview, extension: str) -> str:
    lead = round_.lead
    words = f"{lead.organization.name if lead.organization else lead.role} {round_.kind}"
    name = "".join(c if c.isalnum() else "-" for c in words.lower())
    name = "-".join(part for part in name.split("-") if part)
    return f"interview-{round_.pk}-{name}.{extension}"


def round_sheet(request: AuthedRequest, round_id: int) -> HttpResponse:
    sheet = rounds.round_sheet(round_=_round(request, round_id))
    return render(request, "prep/round.html", {"sheet": sheet})


def round_print(request: AuthedRequest, round_id: int) -> HttpResponse:
    sheet = rounds.round_sheet(round_=_round(request, round_id))
    return render(request, "prep/round_print.html", {"sheet": sheet})


def round_pdf(request: AuthedRequest, round_id: int) -> HttpResponse:
    round_ = _round(request, round_id)
    data = documents.round_pdf(
        rounds.round_sheet(round_=round_), paper=request.GET.get("paper", "a4")
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_round_filename(round_, "pdf")}"'
    return response


def round_markdown(request: AuthedRequest, round_id: int) -> HttpResponse:
    round_ = _round(request, round_id)
    text = documents.round_markdown(rounds.round_sheet(round_=round_))
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_round_filename(round_, "md")}"'
    return response
