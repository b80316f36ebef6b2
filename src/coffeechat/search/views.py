from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from coffeechat.core.types import AuthedRequest
from coffeechat.core.views import query_text
from coffeechat.search.selectors import search


def search_page(request: AuthedRequest) -> HttpResponse:
    q = query_text(request, "q")
    hits = search(user=request.user, q=q, limit=50) if q else []
    return render(request, "search/results.html", {"q": q, "hits": hits})
