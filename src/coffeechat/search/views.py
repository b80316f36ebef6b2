from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from coffeechat.core.types import AuthedRequest
from coffeechat.search.selectors import search


def search_page(request: AuthedRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:200]
    hits = search(user=request.user, q=q, limit=50) if q else []
    return render(request, "search/results.html", {"q": q, "hits": hits})
