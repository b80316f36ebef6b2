from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from coffeechat.core.access import get_owned_or_404, get_visible_or_404
from coffeechat.core.types import AuthedRequest
from coffeechat.core.views import confirm_delete, paginate, query_text, redirect_next
from coffeechat.questions import selectors, services
from coffeechat.questions.forms import QuestionForm
from coffeechat.questions.models import (
    Audience,
    Phase,
    Question,
    QuestionMark,
    Topic,
    family_choices,
)


def _choice(value: str | None, choices: list[str]) -> str:
    return value if value in choices else ""


def question_list(request: AuthedRequest) -> HttpResponse:
    get = request.GET
    filters = selectors.BankFilters(
        phase=_choice(get.get("phase"), Phase.values),
        topic=_choice(get.get("topic"), Topic.values),
        audience=_choice(get.get("audience"), Audience.values),
        tag=_choice(get.get("tag"), [key for key, _ in family_choices()]),
        search=query_text(request, "q"),
        starred=get.get("starred") == "1",
        show_hidden=get.get("hidden") == "1",
        mine=get.get("mine") == "1",
    )
    queryset = selectors.bank_browse(user=request.user, filters=filters)
    context = {
        "page": paginate(request, queryset),
        "filters": filters,
        "phases": Phase.choices,
        "topics": Topic.choices,
        "audiences": Audience.choices,
        "tags": family_choices(),
        "querystring": request.GET.copy(),
    }
    template = (
        "questions/list.html#results"
        if request.htmx and not request.htmx.boosted
        else "questions/list.html"
    )
    return render(request, template, context)


def question_form(request: AuthedRequest, question_id: int | None = None) -> HttpResponse:
    question = (
        get_visible_or_404(Question, request.user, pk=question_id)
        if question_id
        else Question(owner=request.user)
    )
    form = QuestionForm(request.POST or None, instance=question)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.EDITABLE}
        if question_id:
            saved = services.question_update(
                question=question, user=request.user, tags=form.cleaned_data["tags"], **data
            )
            shipped = question.owner_id is None
            messages.success(
                request,
                "Saved as your own version; it replaces the shipped one in your bank."
                if shipped
                else "Question saved.",
            )
        else:
            saved = services.question_create(
                owner=request.user, tags=form.cleaned_data["tags"], **data
            )
            messages.success(request, "Question added to your bank.")
        return redirect(reverse("questions:list") + f"?mine=1#question-{saved.pk}")
    return render(
        request,
        "questions/form.html",
        {
            "form": form,
            "question": question,
            "heading": "Edit question" if question_id else "New question",
            "cancel_url": reverse("questions:list"),
            "delete_url": reverse("questions:delete", args=[question.pk])
            if question.pk and question.owner_id
            else None,
            "wide_fields": ["text", "tags"],
        },
    )


@require_POST
def question_mark(request: AuthedRequest, question_id: int, what: str) -> HttpResponse:
    question = get_visible_or_404(Question, request.user, pk=question_id)
    mark = QuestionMark.objects.filter(owner=request.user, question=question).first()
    if what == "star":
        mark = services.question_mark(
            user=request.user, question=question, starred=not (mark and mark.starred)
        )
    else:
        mark = services.question_mark(
            user=request.user, question=question, hidden=not (mark and mark.hidden)
        )
    if request.htmx:
        question.is_starred = mark.starred  # type: ignore[attr-defined]
        question.is_hidden = mark.hidden  # type: ignore[attr-defined]
        return render(request, "questions/_row.html", {"question": question})
    return redirect_next(request, reverse("questions:list"))


def question_star(request: AuthedRequest, question_id: int) -> HttpResponse:
    return question_mark(request, question_id, "star")


def question_hide(request: AuthedRequest, question_id: int) -> HttpResponse:
    return question_mark(request, question_id, "hide")


def question_delete(request: AuthedRequest, question_id: int) -> HttpResponse:
    # Only one's own questions can go; the shipped bank is shared (hide those instead).
    question = get_owned_or_404(Question, request.user, pk=question_id)
    return confirm_delete(
        request,
        question,
        what="your question",
        consequences=[
            f"“{question.text[:120]}” leaves your bank and the prep plans that include it."
        ],
        cancel_url=reverse("questions:edit", args=[question.pk]),
        success_url=reverse("questions:list"),
    )
