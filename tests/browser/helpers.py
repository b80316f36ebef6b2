"""What the browser tests share."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD


def log_in(page: Page, username: str = "owner", password: str = PASSWORD) -> None:
    """Through the login form, then wait for the dashboard it leads to."""
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="This week")).to_be_visible()
