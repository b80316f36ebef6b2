"""SQLite has one writer: a step that waits longer than the busy timeout (5 s) for another
writer is refused whole and answered 503 "busy, try again" with Retry-After, never the 500
page. Found by bench/load.py: 100 students on one SQLite server, each importing a 500-row
file, held the writer for longer than that, and the uploads and logins waiting behind it got
"Something went wrong". Proved against the real server, with the write lock held by another
connection to the same file, as another request's import holds it."""

from __future__ import annotations

import os
import sqlite3

import pytest

from tests.test_import_concurrency import Browser, Site, connections, site

__all__ = ["site"]  # the real server of test_import_concurrency, one for this module

CONTACT = {"first_name": "Busy", "last_name": "Lee", "how_connected": "friend"}

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")), reason="SQLite's single writer: PostgreSQL has rows"
)


def test_a_write_behind_a_busy_writer_is_answered_busy_and_saved_when_sent_again(
    site: Site,
) -> None:
    browser = Browser(site, "alice")
    browser.get("/contacts/new/")
    before = site.count("contacts_contact")
    writer = sqlite3.connect(site.data_dir / "coffeechat.sqlite3", isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")  # another request's import, writing
        status, _, page = browser.post("/contacts/new/", CONTACT)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert status == 503, page[-500:]
    assert "Busy: try again in a moment" in page
    assert "Nothing of this step was saved" in page
    assert site.count("contacts_contact") == before
    # Sent again once the writer is done: saved.
    status, url, page = browser.post("/contacts/new/", CONTACT)
    assert status == 200 and "/contacts/new/" not in url, page[-500:]
    assert site.count("contacts_contact") == before + 1


def test_any_other_server_error_is_still_the_500_page() -> None:
    """Only a busy database is a 503: a broken database is not "try again"."""
    from django.db import OperationalError
    from django.test import RequestFactory

    from coffeechat.core.views import server_error

    request = RequestFactory().get("/")
    try:
        raise OperationalError("no such table: contacts_contact")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 500
    try:
        raise OperationalError("database is locked")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"


def test_an_upload_behind_a_busy_writer_is_told_to_upload_again_and_can_at_once(
    site: Site,
) -> None:
    """The upload of an import, while other imports hold the writer past the busy timeout:
    a sentence on the upload page (no 503 page, nothing kept), and the same file uploaded
    again right after is previewed, not told that another file of the user is being read."""
    browser = Browser(site, "bruno")
    data = connections(50, "Again", companies=5)
    browser.get("/import/")
    writer = sqlite3.connect(site.data_dir / "coffeechat.sqlite3", isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")  # other people's imports, writing
        status, url, page = browser.post(
            "/import/", {"format": "auto"}, {"file": ("Connections.csv", data)}
        )
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert status == 200 and url.endswith("/import/"), (status, url)
    assert "busy writing other imports. Upload the file again in a moment" in page
    assert site.count("imports_importbatch") == 0
    browser.preview("Connections.csv", data)  # at once: previewed
