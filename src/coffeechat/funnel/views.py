from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from coffeechat.accounts.services import profile_for
from coffeechat.core.types import AuthedRequest
from coffeechat.funnel import charts, results, selectors


def page(request: AuthedRequest) -> HttpResponse:
    """The funnel over the last N weeks or months. ``?by=week&weeks=N`` or
    ``?by=month&months=N``; a value out of range gives the default and a sentence."""
    by, periods, problem = results.window_choice(
        request.GET.get("by"), request.GET.get("weeks"), request.GET.get("months")
    )
    profile = profile_for(request.user)
    result = selectors.funnel(user=request.user, profile=profile, by=by, periods=periods)
    context = {
        "funnel": result,
        "problem": problem,
        "by": by,
        "periods": periods,
        "stage_chart": charts.stage_chart(result),
        "period_chart": charts.period_chart(result),
        "reference": results.REFERENCE_CONVERSATIONS_PER_OFFER,
        "reference_resumes": results.REFERENCE_RESUMES_PER_OFFER,
        # A target's page, as a prefix for the id: one reverse() for a table of dozens.
        "target_url": reverse("targets:detail", args=[1]).removesuffix("1/"),
        "week_choices": (4, 12, 26, 52),
        "month_choices": (3, 6, 12, 24),
    }
    return render(request, "funnel/page.html", context)
