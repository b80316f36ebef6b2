from __future__ import annotations

from django.http import HttpResponse
from django.views.decorators.http import require_GET

from coffeechat.core.types import AuthedRequest
from coffeechat.portability.selectors import FORMATS, export_as


@require_GET
def export(request: AuthedRequest) -> HttpResponse:
    """The settings page's Export: the same files as `coffeechat export`, as a download."""
    fmt = request.GET.get("format", "json")
    if fmt not in FORMATS:
        fmt = "json"
    content, media_type, filename = export_as(user=request.user, format=fmt)
    response = HttpResponse(content, content_type=f"{media_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # The file is about other people: no cache keeps a copy.
    response["Cache-Control"] = "no-store"
    return response
