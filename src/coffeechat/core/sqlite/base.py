"""Django's SQLite backend, with files only their user can read.

SQLite creates the database file, and its -wal and -shm files beside it, with the process's
umask: 0644 on most systems, so every account on the machine could read the data (which are
mostly about other people). The umask is narrowed to 0077 while a connection opens, which is
when SQLite creates those files (the WAL pragma runs in the same step). settings.py also makes
files that already exist 0600 at start.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from django.db.backends.sqlite3 import base

# The umask is the process's, not the thread's: two threads opening connections at once must
# not restore each other's value (one would leave 0077 in place for good).
_UMASK_LOCK = threading.Lock()


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params: Any) -> Any:
        with _UMASK_LOCK:
            previous = os.umask(0o077)
            try:
                return super().get_new_connection(conn_params)
            finally:
                os.umask(previous)
