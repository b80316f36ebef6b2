"""The password hasher: Argon2id at OWASP's recommended cost, two checks at a time.

Django's Argon2 hasher follows RFC 9106's first recommendation, 100 MiB of memory per check
(m=102400 KiB, t=2, p=8): three logins at once lifted a server to 424 MB, over its 200 MB
budget. OWASP's Password Storage Cheat Sheet
(https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html, "Argon2id")
recommends at least 19 MiB of memory, 2 iterations and 1 degree of parallelism: the cost used
here.

It keeps Django's algorithm name ("argon2"), so hashes made with Django's parameters are still
read by it, and since their parameters differ from these, Django's ``must_update`` has
``check_password`` store a new hash at the next successful login.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from functools import cache

from django.contrib.auth.hashers import Argon2PasswordHasher

# Hashes computed at once, in a pool of this many threads. Each takes 19 MiB while it runs, and
# the C allocator keeps a freed block of that size in the thread's arena for the next one: with
# every server thread hashing (8 logins at once), the server rose from 60 to 218 MB and stayed
# there. Two threads bound it to about 45 MB (measured: 60 -> 107 MB) whatever the number of
# logins, and cost no throughput on a small server, since a hash is pure CPU (about 20 ms).
HASHES_AT_ONCE = 2


@cache
def _hashing_threads() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=HASHES_AT_ONCE, thread_name_prefix="password-hash")


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id (Django's hasher already uses the id variant) with m=19456 KiB, t=2, p=1."""

    memory_cost = 19456  # KiB: 19 MiB
    time_cost = 2
    parallelism = 1

    def encode(self, password: str, salt: str) -> str:
        encoded: str = _hashing_threads().submit(super().encode, password, salt).result()
        return encoded

    def verify(self, password: str, encoded: str) -> bool:
        correct: bool = _hashing_threads().submit(super().verify, password, encoded).result()
        return correct
