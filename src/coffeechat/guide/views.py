"""The method, taught: "How it works" and the glossary. Text only, the same for every user."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from coffeechat.core.types import AuthedRequest
from coffeechat.guide.terms import TERMS


def how_it_works(request: AuthedRequest) -> HttpResponse:
    return render(request, "guide/how_it_works.html")


def glossary(request: AuthedRequest) -> HttpResponse:
    terms = sorted(TERMS.values(), key=lambda term: term.name.lower())
    return render(request, "guide/glossary.html", {"terms": terms})
