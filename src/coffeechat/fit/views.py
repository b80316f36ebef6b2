from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from coffeechat.core.access import get_owned_or_404
from coffeechat.core.types import AuthedRequest
from coffeechat.fit import insights as insights_module
from coffeechat.fit import selectors, services
from coffeechat.fit.forms import CiteForm, DimensionsForm, LineForm, OpenQuestionForm, VerdictForm
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


def _page(
    request: AuthedRequest,
    target: Target,
    *,
    template: str = "fit/assessment.html",
    **extra: object,
) -> HttpResponse:
    """The fit page, or one of its sections for htmx, with the forms given (bound ones keep
    what was typed and show their errors) and fresh ones for the rest."""
    assessment = selectors.assessment_for(target=target)
    lines = {kind: line for kind, _, line in assessment.dimensions}
    context = {
        "assessment": assessment,
        "target": target,
        "dimensions_form": DimensionsForm(lines=lines),
        # Two forms with a "text" field on one page: each its own ids, so each its own label.
        "line_form": LineForm(auto_id="line_%s"),
        "open_form": OpenQuestionForm(auto_id="open_%s"),
        "section": "fit",
        **extra,
    }
    return render(request, template, context)


def assessment(request: AuthedRequest, target_id: int) -> HttpResponse:
    return _page(request, _target(request, target_id))


@require_POST
def dimensions_save(request: AuthedRequest, target_id: int) -> HttpResponse:
    target = _target(request, target_id)
    lines = {kind: line for kind, _, line in selectors.assessment_for(target=target).dimensions}
    form = DimensionsForm(request.POST, lines=lines)
    if not form.is_valid():
        # Shown again as typed, with what to fix: a redirect would lose every dimension.
        return _page(request, target, dimensions_form=form)
    services.fit_dimensions_save(owner=request.user, target=target, dimensions=form.dimensions())
    messages.success(request, "Saved.")
    return _back(target, form.cleaned_data["at"])


@require_POST
def line_add(request: AuthedRequest, target_id: int) -> HttpResponse:
    target = _target(request, target_id)
    form = LineForm(request.POST, auto_id="line_%s")
    if form.is_valid():
        line = services.fit_line_add(owner=request.user, target=target, **form.cleaned_data)
        if request.htmx:
            return _page(request, target, template="fit/assessment.html#lines")
        return _back(target, f"line-{line.pk}")
    if request.htmx:
        return _page(request, target, template="fit/assessment.html#lines", line_form=form)
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
    if request.htmx:
        # Only this line's evidence changes: the rest of the page, and what is typed there,
        # stays as it is.
        line = get_owned_or_404(
            FitLine.objects.prefetch_related(
                "learnings__conversation__contact", "notes__contact", "notes__conversation__contact"
            ),
            request.user,
            pk=line.pk,
        )
        context = {
            "line": line,
            "assessment": {"learnings": learnings, "notes": notes},
            "cited": form.is_valid(),
            "cite_error": not form.is_valid(),
        }
        return render(request, "fit/_evidence.html", context)
    if form.is_valid():
        messages.success(request, "Evidence saved.")
    else:
        messages.error(request, "Cite learnings and notes about this target only.")
    return _back(line.target, f"line-{line.pk}")


@require_POST
def line_delete(request: AuthedRequest, fit_line_id: int) -> HttpResponse:
    line = get_owned_or_404(FitLine.objects.select_related("target"), request.user, pk=fit_line_id)
    target = line.target
    services.fit_line_delete(line=line)
    if request.htmx:
        return _page(request, target, template="fit/assessment.html#lines")
    return _back(target)


@require_POST
def open_question_add(request: AuthedRequest, target_id: int) -> HttpResponse:
    target = _target(request, target_id)
    form = OpenQuestionForm(request.POST, auto_id="open_%s")
    if form.is_valid():
        services.open_question_add(
            owner=request.user, target=target, text=form.cleaned_data["text"]
        )
        if request.htmx:
            return _page(request, target, template="fit/assessment.html#open_questions", added=True)
        messages.success(request, "Added: the next prep plan for this target brings it.")
    elif request.htmx:
        return _page(request, target, template="fit/assessment.html#open_questions", open_form=form)
    else:
        messages.error(request, "Write the question first.")
    return _back(target, "open-questions")


@require_POST
def open_question_toggle(request: AuthedRequest, open_question_id: int) -> HttpResponse:
    open_question = get_owned_or_404(
        OpenQuestion.objects.select_related("target"), request.user, pk=open_question_id
    )
    services.open_question_toggle(open_question=open_question)
    if request.htmx:
        return _page(request, open_question.target, template="fit/assessment.html#open_questions")
    return _back(open_question.target, "open-questions")


@require_POST
def verdict_save(request: AuthedRequest, target_id: int) -> HttpResponse:
    target = _target(request, target_id)
    form = VerdictForm(request.POST)
    if not form.is_valid():
        # Shown again with what to fix, the note as typed.
        return _page(request, target, verdict_form=form)
    services.verdict_record(owner=request.user, target=target, **form.cleaned_data)
    messages.success(request, "Verdict saved.")
    return _back(target, "verdict")


def compare(request: AuthedRequest) -> HttpResponse:
    sort = request.GET.get("sort", "")
    # ?target=3&target=7: the targets to put on the radar; none given, the app picks.
    picks = request.GET.getlist("target") if "target" in request.GET else None
    matrix = selectors.compare_matrix(user=request.user, sort=sort, picks=picks)
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
