from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from coffeechat.core.access import get_owned_or_404
from coffeechat.core.types import AuthedRequest
from coffeechat.fit import insights as insights_module
from coffeechat.fit import selectors, services
from coffeechat.fit.forms import CiteForm, DimensionForm, LineForm, OpenQuestionForm
from coffeechat.fit.models import FitLine, OpenQuestion
from coffeechat.targets.models import Target


def _target(request: AuthedRequest, target_id: int) -> Target:
    return get_owned_or_404(
        Target.objects.select_related("organization"), request.user, pk=target_id
    )


def _back(target: Target, anchor: str = "") -> HttpResponse:
    response = redirect("fit:assessment", target_id=target.pk)
    response["Location"] += f"#{anchor}" if anchor else ""
    return response


def assessment(request: AuthedRequest, target_id: int) -> HttpResponse:
    target = _target(request, target_id)
    context = {
        "assessment": selectors.assessment_for(target=target),
        "target": target,
        "line_form": LineForm(),
        "open_form": OpenQuestionForm(),
        "ratings": range(1, 6),
        "section": "fit",
    }
    return render(request, "fit/assessment.html", context)


@require_POST
def dimension_save(request: AuthedRequest, target_id: int) -> HttpResponse:
    target = _target(request, target_id)
    form = DimensionForm(request.POST)
    if form.is_valid():
        services.fit_dimension_save(owner=request.user, target=target, **form.cleaned_data)
        messages.success(request, "Saved.")
        return _back(target, form.cleaned_data["kind"])
    messages.error(request, "Rate from 1 to 5.")
    return _back(target)


@require_POST
def line_add(request: AuthedRequest, target_id: int) -> HttpResponse:
    target = _target(request, target_id)
    form = LineForm(request.POST)
    if form.is_valid():
        line = services.fit_line_add(owner=request.user, target=target, **form.cleaned_data)
        return _back(target, f"line-{line.pk}")
    messages.error(request, "Write the strength or weakness first.")
    return _back(target)


@require_POST
def line_cite(request: AuthedRequest, fit_line_id: int) -> HttpResponse:
    line = get_owned_or_404(FitLine.objects.select_related("target"), request.user, pk=fit_line_id)
    learnings, notes = selectors.evidence_candidates(target=line.target)
    form = CiteForm(
        request.POST,
        learning_ids=[learning.pk for learning in learnings],
        note_ids=[note.pk for note in notes],
    )
    if form.is_valid():
        services.fit_line_cite(
            line=line,
            learning_ids=form.cleaned_data["learnings"],
            note_ids=form.cleaned_data["notes"],
        )
        messages.success(request, "Evidence saved.")
    else:
        messages.error(request, "Cite learnings and notes about this target only.")
    return _back(line.target, f"line-{line.pk}")


@require_POST
def line_delete(request: AuthedRequest, fit_line_id: int) -> HttpResponse:
    line = get_owned_or_404(FitLine.objects.select_related("target"), request.user, pk=fit_line_id)
    target = line.target
    line.delete()
    return _back(target)


@require_POST
def open_question_add(request: AuthedRequest, target_id: int) -> HttpResponse:
    target = _target(request, target_id)
    form = OpenQuestionForm(request.POST)
    if form.is_valid():
        services.open_question_add(
            owner=request.user, target=target, text=form.cleaned_data["text"]
        )
        messages.success(request, "Added: the next prep plan for this target brings it.")
    else:
        messages.error(request, "Write the question first.")
    return _back(target, "open-questions")


@require_POST
def open_question_toggle(request: AuthedRequest, open_question_id: int) -> HttpResponse:
    open_question = get_owned_or_404(
        OpenQuestion.objects.select_related("target"), request.user, pk=open_question_id
    )
    services.open_question_toggle(open_question=open_question)
    return _back(open_question.target, "open-questions")


def compare(request: AuthedRequest) -> HttpResponse:
    sort = request.GET.get("sort", "")
    matrix = selectors.compare_matrix(user=request.user, sort=sort)
    return render(
        request,
        "fit/compare.html",
        {"matrix": matrix, "sort": matrix.sort, "section": "fit"},
    )


def insights(request: AuthedRequest, target_id: int) -> HttpResponse:
    target = _target(request, target_id)
    return render(
        request,
        "fit/insights.html",
        {
            "target": target,
            "insights": insights_module.target_insights(target=target),
            "section": "fit",
        },
    )
