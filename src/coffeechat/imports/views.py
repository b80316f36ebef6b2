from __future__ import annotations

from typing import Any, BinaryIO

from django.conf import settings
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.db import OperationalError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from coffeechat.core.access import get_owned_or_404, owned
from coffeechat.core.text import plural
from coffeechat.core.types import AuthedRequest
from coffeechat.imports import parsers
from coffeechat.imports.models import ImportBatch
from coffeechat.imports.services import ImportBusy, import_confirm, import_preview
from coffeechat.imports.uploads import LimitedUploadHandler


def _binary(upload: UploadedFile) -> BinaryIO:
    """The uploaded file's own binary stream: a temporary file's, not its wrapper's."""
    stream: Any = upload.file
    return getattr(stream, "file", stream)


def _max_mb() -> int:
    return settings.IMPORT_MAX_BYTES // (1024 * 1024)


@csrf_exempt  # the handler must be in place before the CSRF check reads the body...
def upload(request: AuthedRequest) -> HttpResponse:
    request.upload_handlers.insert(0, LimitedUploadHandler(request))
    return _upload(request)


@csrf_protect  # ...and the check still runs, right after.
def _upload(request: AuthedRequest) -> HttpResponse:
    """Step 1: choose a file. The file is read (not imported) and the preview shown."""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if getattr(request, "upload_too_large", False):
            messages.error(
                request, f"The file is larger than {_max_mb()} MB. Nothing was imported."
            )
            return redirect("imports:upload")
        if upload is None:
            messages.error(request, "Choose a file to import.")
            return redirect("imports:upload")
        try:
            batch = import_preview(
                owner=request.user,
                # The file itself (on disk past a few MB), read row by row, never whole.
                upload=_binary(upload),
                filename=upload.name or "upload",
                family=request.POST.get("format", "auto"),
            )
        except ImportBusy as busy:
            messages.info(request, str(busy))
            return redirect("imports:upload")
        except parsers.ImportError_ as error:
            messages.error(request, f"{upload.name}: {error} Nothing was imported.")
            return redirect("imports:upload")
        except OperationalError as error:
            # SQLite: other people's imports held the database past its busy timeout.
            if "locked" not in str(error):
                raise
            messages.info(
                request,
                f"{upload.name}: coffeechat is busy writing other imports. Upload the file "
                "again in a moment; nothing was imported.",
            )
            return redirect("imports:upload")
        return redirect("imports:preview", batch_id=batch.pk)
    recent = owned(ImportBatch, request.user).defer("data")[:10]
    return render(
        request,
        "imports/upload.html",
        {"families": parsers.FAMILY_NAMES.items(), "max_mb": _max_mb(), "recent": recent},
    )


def preview(request: AuthedRequest, batch_id: int) -> HttpResponse:
    """Step 2: what the import will do (or, once confirmed, what it did)."""
    batch = get_owned_or_404(ImportBatch.objects.defer("data"), request.user, pk=batch_id)
    return render(
        request,
        "imports/preview.html",
        {"batch": batch, "summary": batch.summary, "label": parsers.LABELS.get(batch.format, "")},
    )


@require_POST
def confirm(request: AuthedRequest, batch_id: int) -> HttpResponse:
    """Step 3: import for real, in one transaction, from the bytes kept since the preview."""
    batch = get_owned_or_404(ImportBatch, request.user, pk=batch_id)
    try:
        plan = import_confirm(owner=request.user, batch=batch)
    except parsers.ImportError_ as error:
        messages.error(request, f"{error} Nothing was imported.")
        return redirect("imports:upload")
    except OperationalError as error:
        # SQLite: another import held the database for longer than its busy timeout.
        if "locked" not in str(error):
            raise
        messages.info(request, "Another import is being written. Confirm again in a moment.")
        return redirect("imports:preview", batch_id=batch.pk)
    if plan is None:
        messages.info(request, "This file was imported already.")
        return redirect("imports:preview", batch_id=batch.pk)
    summary = plan.summary()
    messages.success(
        request,
        f"Imported {plural(summary['created'], 'new contact')} and updated "
        f"{plural(summary['updated'], 'contact')}.",
    )
    return redirect("imports:preview", batch_id=batch.pk)
