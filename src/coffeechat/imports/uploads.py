"""An upload handler that stops reading at the import size limit.

Django streams a file to disk past FILE_UPLOAD_MAX_MEMORY_SIZE but would still read all of a
100 MB post. This handler gives up at the limit: the rest of the body is drained in small
chunks without being kept, so memory stays flat and the app thread is free again soon.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload


class LimitedUploadHandler(FileUploadHandler):
    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.received = 0
        self.declared_too_large = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):  # type: ignore[no-untyped-def]
        # A declared length over the limit is refused at its first chunk, and the rest of the
        # body is not even read (the connection is closed after the answer).
        if content_length and content_length > settings.IMPORT_MAX_BYTES + 65536:
            self.declared_too_large = True
        return None

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if self.declared_too_large:
            self._flag()
            raise StopUpload(connection_reset=True)
        self.received += len(raw_data)
        if self.received > settings.IMPORT_MAX_BYTES:
            self._flag()
            raise StopUpload(connection_reset=False)
        return raw_data

    def _flag(self) -> None:
        # The view reads this flag: the file never reaches request.FILES.
        setattr(self.request, "upload_too_large", True)  # noqa: B010

    def file_complete(self, file_size: int) -> None:
        return None
