"""Small pieces that every capability's views share."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render


def confirm_delete(
    request: HttpRequest,
    obj: models.Model,
    *,
    what: str,
    consequences: Sequence[str],
    cancel_url: str,
    success_url: str,
    delete: Callable[[], object] | None = None,
) -> HttpResponse:
    """GET shows what will go; POST deletes it. Nothing is deleted without the POST."""
    if request.method == "POST":
        with transaction.atomic():
            (delete or obj.delete)()
        messages.success(request, f"Deleted {what}.")
        return redirect(success_url)
    return render(
        request,
        "core/confirm_delete.html",
        {"object": obj, "what": what, "consequences": consequences, "cancel_url": cancel_url},
    )


def paginate(request: HttpRequest, queryset: models.QuerySet, per_page: int = 50) -> Page:
    """A page of ``queryset``; a page number out of range gives the nearest page, not a 404."""
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))
