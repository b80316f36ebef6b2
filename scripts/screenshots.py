"""Screenshots of the main pages at desktop and phone widths, for looking at what we built.

    .venv/bin/python scripts/screenshots.py [BASE_URL] [OUT_DIR]

Needs a running server with the demo account (`make demo`). Uses Debian's Chromium.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(sys.argv[2] if len(sys.argv) > 2 else "screenshots")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS)
        for size_name, viewport in SIZES.items():
            context = browser.new_context(base_url=BASE, viewport=viewport, device_scale_factor=1)
            page = context.new_page()
            page.goto("/login/")
            page.get_by_label("Username").fill("demo")
            page.get_by_label("Password").fill("demo")
            page.get_by_role("button", name="Log in").click()
            page.wait_for_url(re.compile(r".*/$"))
            page.goto("/conversations/?status=scheduled")
            conversation = page.locator("a.row-title").first.get_attribute("href")
            page.goto("/contacts/")
            contact = page.locator("a.row-title").first.get_attribute("href")
            page.goto("/fit/")
            # The first target's fit page: its verdict, radar and evidence.
            fit = page.locator("a[href*='/fit/targets/']").first.get_attribute("href")
            # A lead in formal interviews and the prep sheet of its last (upcoming) round.
            page.goto("/leads/?status=interviewing")
            lead = page.locator("a.row-title").first.get_attribute("href")
            page.goto(lead or "/leads/")
            sheet = page.get_by_role("link", name="Prep sheet").last.get_attribute("href")
            for name, path in [
                ("dashboard", "/"),
                ("contacts", "/contacts/"),
                ("contact", contact),
                ("board", "/conversations/"),
                ("conversation", conversation),
                ("targets", "/targets/"),
                ("conversation-form", "/conversations/new/"),
                ("how-it-works", "/guide/"),
                ("glossary", "/guide/glossary/"),
                ("fit-verdict", fit),
                ("compare", "/fit/"),
                ("leads", "/leads/"),
                ("lead", lead),
                ("round-sheet", sheet),
                ("funnel", "/funnel/"),
                ("funnel-months", "/funnel/?by=month&months=6"),
                ("review", "/review/"),
                (
                    "plan-career-changer",
                    "/prep/try/?title=UX+designer&industry=Software&stage=career_changer"
                    "&minutes=30",
                ),
            ]:
                page.goto(path)
                page.screenshot(path=str(OUT / f"{name}-{size_name}.png"), full_page=True)
            context.close()
        browser.close()
    print(f"Screenshots in {OUT}/")


if __name__ == "__main__":
    main()
