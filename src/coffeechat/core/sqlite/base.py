"""Django's SQLite backend, with files only their user can read and query planner statistics
that keep themselves up to date.

Files: SQLite creates the database file, and its -wal and -shm files beside it, with the
process's umask: 0644 on most systems, so every account on the machine could read the data
(which are mostly about other people). The umask is narrowed to 0077 while a connection opens,
which is when SQLite creates those files (the WAL pragma runs in the same step). settings.py also
makes files that already exist 0600 at start.

Statistics: SQLite gathers none by itself, and without them its planner guesses that
``owner_id = ?`` picks out a few rows, so a query such as "links of these 300 people" walks the
owner's million links instead of using the index on the people (introduction paths: 321 ms
instead of 55, docs/benchmarks.md). SQLite's advice for connections that live as briefly as
Django's (one per request or command; https://sqlite.org/pragma.html#pragma_optimize) is to
run ``PRAGMA optimize`` before closing each one: it runs ANALYZE on the tables the
connection's queries would have planned better with statistics, when they have none or have
grown 25-fold since, and is otherwise a no-op of a few microseconds. Bulk writes call
``statistics_refresh`` (in core/bulk.py) for the same reason.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from typing import Any

from django.db.backends.sqlite3 import base

# The umask is the process's, not the thread's: two threads opening connections at once must
# not restore each other's value (one would leave 0077 in place for good).
_UMASK_LOCK = threading.Lock()

# 0x02: run ANALYZE where it would help. SQLite's default mask adds 0x10 (since 3.46), which
# caps each ANALYZE at a sample of 2,000 rows an index: a sample of one user's index shows a
# single owner_id and says each owner has 2,000 rows, so the planner still walks a million
# links by owner (measured: 180 ms with a 400-row cap against 10 ms with full statistics; a
# full ANALYZE of those million links takes 0.3 s, and runs once, not on every close).
OPTIMIZE = "PRAGMA optimize(0x02)"
# 0x10000 adds the tables this connection has not queried (SQLite 3.46 and later; earlier
# versions ignore the bit): what SQLite advises when a long-lived process starts.
OPTIMIZE_EVERY_TABLE = "PRAGMA optimize(0x10002)"


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params: Any) -> Any:
        with _UMASK_LOCK:
            previous = os.umask(0o077)
            try:
                return super().get_new_connection(conn_params)
            finally:
                os.umask(previous)

    def close(self) -> None:
        self.validate_thread_sharing()
        # Not in a transaction (a close inside one rolls it back), and not for an in-memory
        # database (the tests'), which Django never closes.
        if (
            self.connection is not None
            and not self.in_atomic_block
            and not self.connection.in_transaction
            and not self.is_in_memory_db()
        ):
            try:
                # The connection closes next, so its busy timeout need not be put back: the
                # statistics wait for no one, and another close will gather them.
                self.connection.execute("PRAGMA busy_timeout=0")
                self.connection.execute(OPTIMIZE)
            except sqlite3.Error:
                pass
        super().close()
