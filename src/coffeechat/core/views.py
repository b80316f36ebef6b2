"""Small pieces that every capability's views share."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence

from django import forms
from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db import OperationalError, models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import defaults

from coffeechat.core.deletion import delete_consequences
from coffeechat.core.queries import rows_by_ids
from coffeechat.core.services import owned_delete
from coffeechat.core.validators import is_id


def confirm_delete(
    request: HttpRequest,
    obj: models.Model,
    *,
    what: str,
    consequences: Sequence[str] = (),
    quote: str = "",
    cancel_url: str,
    success_url: str,
    delete: Callable[[], object] | None = None,
) -> HttpResponse:
    """GET shows what will go; POST deletes it (through ``delete``, the app's service, else
    core.services.owned_delete). Nothing is deleted without the POST.

    The page lists what the delete takes with it, read from the cascade rules
    (core.deletion), after the view's own ``consequences`` (what the rules cannot say) and the
    start of its text (``quote``) for a row that is mostly text, such as a note."""
    if request.method == "POST":
        if delete is not None:
            delete()
        else:
            owned_delete(obj=obj)
        messages.success(request, f"Deleted {what}.")
        return redirect(success_url)
    return render(
        request,
        "core/confirm_delete.html",
        {
            "object": obj,
            "what": what,
            "consequences": [
                *([f"“{quote[:120]}” will be gone."] if quote else []),
                *consequences,
                *delete_consequences(obj),
            ],
            "cancel_url": cancel_url,
        },
    )


# Control characters other than tab and line breaks: PostgreSQL refuses NUL in any text,
# and no search or filter means any of them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def query_int(request: HttpRequest, name: str) -> int | None:
    """A whole number from the query string (``?contact=12``), or None for anything else:
    missing, empty, text, digits int() refuses (``"²".isdigit()`` is true), or a number
    beyond any id."""
    value = request.GET.get(name, "")
    return int(value) if is_id(value) else None


def query_text(request: HttpRequest, name: str, *, max_length: int = 200) -> str:
    """Text from the query string (``?q=pfizer``), trimmed, without control characters, at
    most ``max_length`` characters: safe to hand to either database."""
    return _CONTROL.sub("", request.GET.get(name, "")).strip()[:max_length]


# A list's total is counted exactly up to this many rows; past it the pager says "Page 3 of
# many · more than 10,000 in all". Counting a user's 300,000 contacts took 12 ms on every list
# page (SQLite; 30-40 ms on a busy PostgreSQL); counting to 10,001 takes well under 1 ms.
COUNT_UP_TO = 10_000


class CountedPaginator(Paginator):
    """A paginator given its count: the exact total, or ``more_than`` (the bound it passed)
    when the total was only counted that far. Past the bound it still has a next page."""

    def __init__(self, object_list: object, per_page: int, *, count: int, more_than: int | None):
        super().__init__(object_list, per_page)  # type: ignore[arg-type]
        self._counted = count
        self.more_than = more_than

    @cached_property
    def count(self) -> int:
        return self._counted


def _page_number(value: str | None) -> int:
    """The page asked for, read as Paginator.get_page reads it (anything else is page 1)."""
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


def paginate(
    request: HttpRequest,
    queryset: models.QuerySet,
    per_page: int = 50,
    *,
    scan: bool = False,
    count: Callable[[int | None], int] | None = None,
    rows: models.QuerySet | None = None,
) -> Page:
    """A page of ``queryset``; a page number out of range gives the nearest page, not a 404.

    A deferred join: the page's ids come from the ordering index alone, then only those rows
    are read whole. With 30,000 contacts, page 600 costs 7 ms instead of 45: the database no
    longer builds (and throws away) every full row before the offset.

    The total is counted to COUNT_UP_TO only, for the pages within it ("many" past it); a
    page further on (reached by typing its number: the pager only steps) counts them all, as
    its offset reads that far anyway.

    ``scan=True`` is for filters no index can answer (a substring search): the database has
    to test every row anyway, so it does so once, for every matching id in order, and the
    count and the page's slice come from that list instead of two scans.

    ``count``: counts the same rows more cheaply than ``queryset`` can, up to the bound it is
    given (None: all of them); the contact list's search counts its matches in the trigram
    index alone. ``rows``: where the page's whole rows are read from, by id, when
    ``queryset``'s filters are not worth running again for fifty ids (the same owner's rows;
    the contact list's search would walk every match again)."""
    ids_query = queryset.values_list("pk", flat=True)
    if count is None:

        def count(up_to: int | None) -> int:
            unordered = ids_query.order_by()
            return (unordered if up_to is None else unordered[:up_to]).count()

    number = request.GET.get("page")
    paginator: Paginator
    if scan:
        paginator = Paginator(list(ids_query), per_page)
    elif _page_number(number) * per_page <= COUNT_UP_TO:
        total = count(COUNT_UP_TO + 1)
        more_than = COUNT_UP_TO if total > COUNT_UP_TO else None
        paginator = CountedPaginator(ids_query, per_page, count=total, more_than=more_than)
    else:
        paginator = CountedPaginator(ids_query, per_page, count=count(None), more_than=None)
    page = paginator.get_page(number)
    page.object_list = rows_by_ids(queryset if rows is None else rows, list(page.object_list))
    return page


def form_page_context(
    *,
    form: object,
    obj: models.Model,
    noun: str,
    list_url: str,
    detail: str = "",
    delete: str = "",
) -> dict[str, object]:
    """Context for core/_form_page.html: the same create/edit page for every kind of row.
    ``detail`` and ``delete`` name the row's URLs (taking its id); they apply when editing."""
    editing = obj.pk is not None
    return {
        "form": form,
        "heading": f"Edit {noun}" if editing else f"New {noun}",
        "cancel_url": reverse(detail, args=[obj.pk]) if editing and detail else list_url,
        "delete_url": reverse(delete, args=[obj.pk]) if editing and delete else None,
    }


def edit_page(
    request: HttpRequest,
    *,
    form: forms.BaseForm,
    heading: str,
    back: str,
    delete_url: str | None,
    save: Callable[[], object],
) -> HttpResponse:
    """An edit on the shared form page: a valid POST saves through ``save`` (a service) and
    goes ``back``; otherwise the form, with its errors."""
    if request.method == "POST" and form.is_valid():
        save()
        return redirect(back)
    context = {"form": form, "heading": heading, "cancel_url": back, "delete_url": delete_url}
    return render(request, "core/_form_page.html", context)


def redirect_next(request: HttpRequest, default: str) -> HttpResponse:
    """Back to the page the form came from (its ``next`` field), or to ``default``. Only a
    path on this site is followed: a form must not send the user elsewhere."""
    next_url = request.POST.get("next", "")
    # A path, never a bare word: redirect() would take "0" for the name of a view.
    if next_url.startswith("/") and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}
    ):
        return HttpResponseRedirect(next_url)
    return redirect(default)


# Seconds a person (or the notes' autosave, which keeps the text and sends it again) should
# wait before sending a step again after the database was busy.
BUSY_RETRY_AFTER = 5


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, except when SQLite's one writer was busy for longer than the busy timeout
    (5 s: another person's import, under load; bench/load.py at 100 students on one process).
    That step is refused whole (its transaction rolled back), so the answer is 503 with
    Retry-After and a sentence saying to send it again, not "something went wrong". Django
    calls this while handling the exception, which ``sys.exc_info`` gives; rendered without
    the request's context, as Django's own 500 page is, since the database is not usable."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError) and "database is locked" in str(error):
        response = HttpResponse(loader.get_template("503_busy.html").render(), status=503)
        response["Retry-After"] = str(BUSY_RETRY_AFTER)
        return response
    return defaults.server_error(request)
