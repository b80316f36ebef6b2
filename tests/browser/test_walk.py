"""A browser walk that clicks like a person, over the demo account, on a desktop and a phone.

It logs in through the form, then follows links breadth-first from the navigation and from the
pages' own links (same origin, GET only; downloads are fetched, not opened), one page of every
kind first (URLs that differ only by an id are one kind), then a few more of the kinds whose
pages change with their state, up to MAX_PAGES. Every page it reaches must answer 200 with a
clean console, not scroll sideways, carry no link with a doubled "?", give every field a label
and every select room for its choice, show its section in the top bar (in view on a phone),
and a list's "Next →" must show other rows.

Then, on the desktop, every page with more than one form is filled in like a person would fill
it (every visible field of every form), one form is submitted, and the others must still hold
what was typed.
"""

from __future__ import annotations

import io
import re
import time
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import Page

from tests.browser.conftest import open_page
from tests.browser.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEVICES: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": {"width": 1366, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}
MAX_PAGES = 150
# Pages of one kind (same path pattern, same query) the walk visits: one of every kind first,
# then a second of each; more (up to PER_KIND) only of kinds whose pages differ in shape (a
# conversation's page changes with its status, an edit form does not), each found on another
# kind of page or on a page in another state (a conversation found on the "held" list is held).
PER_KIND = 8
DOWNLOAD = re.compile(r"\.(ics|pdf|vcf|csv|json|md|zip|txt)$|/export/?$")
# Links a person follows but the walk must not: they end the session.
LEAVE = re.compile(r"/logout/")
# Pages that belong to no section of the top bar (the account's own, coaching included, and
# the guide to the method, linked from the account area and every page's footer).
NO_SECTION = re.compile(r"^/(?:settings|guide|coaching|coach)/")
# A pager's list shows other rows on page 2; a few pages of each list are enough.
PAGERS_PER_KIND = 1

# Known problems outside this walk's area: (page kind, problem) patterns and the bug each waits
# for. A page whose every problem is known is marked xfail, not passed; any other problem fails.
KNOWN: list[tuple[re.Pattern[str], re.Pattern[str], str]] = []

WALK_JS = (Path(__file__).parent / "walk.js").read_text()


def _read(page: Page, what: str, arg: object = None) -> Any:
    """Calls one of walk.js's functions in the page."""
    return page.evaluate(f"{WALK_JS.strip()}.{what}", arg)


def kind_of(url: str) -> str:
    """A URL's page kind: numbers (ids, page numbers) become placeholders; words stay, since
    ``?status=held`` and ``?status=idea`` are different lists."""
    parts = urlsplit(url)
    path = re.sub(r"/\d+(?=[/.]|$)", "/<id>", parts.path)
    query = sorted(
        f"{key}={'<n>' if value.isdigit() else value}"
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
    )
    return path + ("?" + "&".join(query) if query else "")


@dataclass
class Walk:
    origin: str
    visited: list[str] = field(default_factory=list)
    problems: dict[str, list[str]] = field(default_factory=dict)
    downloads: dict[str, int] = field(default_factory=dict)
    # A page with several forms for each kind of page and state ("/conversations/<id>/ Held").
    multi_form: dict[str, str] = field(default_factory=dict)
    pagers: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def complain(self, url: str, problem: str) -> None:
        self.problems.setdefault(url, []).append(problem)


def _same_origin(walk: Walk, href: str) -> bool:
    return href.startswith(walk.origin + "/")


def walk_site(page: Page, errors: list[str], origin: str, start: str = "/") -> Walk:
    """Breadth-first from the dashboard, in rounds: round n visits the n-th page of each kind
    (from the third on, of kinds whose pages differ), found on a page (kind and state) that had
    not led to that kind yet; from round 4 a source may lead to a kind again. Bounded to
    MAX_PAGES pages and PER_KIND rounds."""
    walk = Walk(origin=origin)
    started = time.perf_counter()
    queue: deque[tuple[str, str]] = deque([(origin + start, "")])
    later: deque[tuple[str, str]] = deque()
    queued: set[tuple[str, str]] = set(queue)  # (URL, the kind and state of the page linking it)
    per_kind: Counter[str] = Counter()
    per_source: Counter[tuple[str, str]] = Counter()
    shapes: defaultdict[str, set[str]] = defaultdict(set)
    rounds = 1
    while len(walk.visited) < MAX_PAGES:
        if not queue:
            if not later or rounds == PER_KIND:
                break
            queue, later, rounds = later, deque(), rounds + 1
        url, found_on = queue.popleft()
        kind = kind_of(url)
        if url in walk.visited:
            continue
        if per_kind[kind] >= 2 and len(shapes[kind]) < 2:
            continue  # two pages of this kind looked alike: the others will too
        if per_kind[kind] >= rounds or per_source[kind, found_on] >= max(1, rounds - 2):
            later.append((url, found_on))  # for a later round, when other kinds had their turn
            continue
        per_kind[kind] += 1
        per_source[kind, found_on] += 1
        walk.visited.append(url)
        before = len(errors)
        response = page.goto(url)
        status = response.status if response else 0
        if status != 200:
            walk.complain(url, f"answered {status}")
            continue
        facts = _read(page, "facts", page.viewport_size["width"])
        shapes[kind].add(facts["shape"])
        if facts["scrollWidth"] > facts["width"]:
            walk.complain(
                url,
                f"scrolls sideways: {facts['scrollWidth']}px wide in a {facts['width']}px "
                f"window; sticking out: {facts['sticking']}",
            )
        doubled = sorted({link["raw"] for link in facts["links"] if "??" in link["raw"]})
        if doubled:
            walk.complain(url, f"links with a doubled '?': {doubled[:3]}")
        if facts["spilling"]:
            walk.complain(url, f"controls reaching past their card: {facts['spilling']}")
        if facts["cut"]:
            walk.complain(url, f"selects too narrow for their choice: {facts['cut']}")
        if facts["unlabelled"]:
            walk.complain(url, f"fields without a label: {facts['unlabelled']}")
        current = facts["current"]
        if (
            current is not None
            and not NO_SECTION.search(urlsplit(url).path)
            and (len(current) != 1 or not current[0]["inView"])
        ):
            walk.complain(url, f"the top bar does not show its section: {current}")
        if facts["forms"] > 1:
            walk.multi_form.setdefault(f"{kind} {facts['state']}".strip(), url)
        if facts["next"] and walk.pagers.get(kind, 0) < PAGERS_PER_KIND:
            walk.pagers[kind] = walk.pagers.get(kind, 0) + 1
            _check_next(page, walk, url, facts["next"])
        if len(errors) > before:
            walk.complain(url, f"console or network errors: {errors[before:]}")
        for link in facts["links"]:
            href = link["href"].split("#", 1)[0]
            source = f"{kind} {facts['state']}"
            if not _same_origin(walk, href) or LEAVE.search(href) or (href, source) in queued:
                continue
            if "??" in link["raw"]:
                continue  # reported above; following it would only multiply the question marks
            queued.add((href, source))
            if link["download"] or DOWNLOAD.search(urlsplit(href).path):
                _check_download(page, walk, url, href)
            else:
                queue.append((href, source))
    walk.seconds = time.perf_counter() - started
    return walk


def _check_next(page: Page, walk: Walk, url: str, next_url: str) -> None:
    first = _read(page, "rows")
    response = page.goto(next_url)
    second = _read(page, "rows") if response and response.status == 200 else None
    if second is None:
        walk.complain(url, f"'Next →' ({next_url}) leads to a page without the list")
    elif first == second:
        walk.complain(url, f"'Next →' ({next_url}) shows the same rows as the first page")
    page.goto(url)


def _check_download(page: Page, walk: Walk, url: str, href: str) -> None:
    kind = kind_of(href)
    if kind in walk.downloads:
        return
    response = page.request.get(href)
    walk.downloads[kind] = response.status
    if response.status != 200:
        walk.complain(url, f"download {href} answered {response.status}")


def _typed_value(field: dict[str, Any], n: int) -> str | None:
    """A value a person might type in this field, different from what it holds."""
    kind = field["type"]
    if field["tag"] == "select":
        others = [value for value in field["options"] if value != field["value"]]
        return others[-1] if others else None
    if kind == "number":
        low = int(float(field["min"])) if field["min"] else 1
        high = int(float(field["max"])) if field["max"] else low + 5
        return str(high if str(high) != field["value"] else low)
    value = {
        "email": f"walk{n}@example.com",
        "url": f"https://example.com/walk/{n}",
        "tel": "+1 555 0100",
        "date": "2031-05-14",
        "datetime-local": "2031-05-14T10:30",
        "time": "10:30",
    }.get(kind, f"Typed by the walk, field {n}")
    return value[: field["maxlength"]] if field["maxlength"] > 0 else value


def _settle_after_submit(page: Page, form: str, htmx: bool) -> None:
    button = page.locator(f'[data-walk-submit="{form}"]').first
    if not htmx:
        with page.expect_navigation(wait_until="load"):
            button.click()
        return
    page.evaluate(
        """() => {
          window.__walkSettled = false;
          const done = () => { window.__walkSettled = true; };
          document.addEventListener('htmx:afterSettle', done, {once: true});
          document.addEventListener('htmx:responseError', done, {once: true});
        }"""
    )
    button.click()
    page.wait_for_function("() => window.__walkSettled === true")


@dataclass
class FormsCheck:
    submitted: str = ""
    compared: int = 0  # typed values in the forms not submitted, looked at again afterwards
    lost: list[str] = field(default_factory=list)


def forms_keep_what_was_typed(page: Page, url: str) -> FormsCheck:
    """Fills every form of the page, submits one, and says which typed values were lost."""
    check = FormsCheck()
    page.goto(url)
    fields = _read(page, "fields")
    typed: dict[tuple[str, str], str] = {}
    for n, box in enumerate(fields):
        value = _typed_value(box, n)
        if value is None:
            continue
        where = page.locator(f'[data-walk="{box["id"]}"]')
        if box["tag"] == "select":
            where.select_option(value)
        else:
            where.fill(value)
        typed[box["form"], box["field"]] = value
    forms = list(dict.fromkeys(form for form, _ in typed))
    chosen = next((box for box in fields if box["form"] in forms and box["submittable"]), None)
    if chosen is None or len(forms) < 2:
        return check
    check.submitted = chosen["form"]
    _settle_after_submit(page, chosen["form"], chosen["htmx"])
    if urlsplit(page.url).path != urlsplit(url).path:
        page.goto(url)  # the form led elsewhere: what was typed must wait on the page itself
    now = {(box["form"], box["field"]): box["value"] for box in _read(page, "fields")}
    for (form, name), value in typed.items():
        if form == chosen["form"] or (form, name) not in now:
            continue
        check.compared += 1
        if now[form, name] != value:
            check.lost.append(f"{form} {name}: typed {value!r}, now {now[form, name]!r}")
    return check


def _known(url: str, problem: str) -> str | None:
    """The known bug a page's problem waits for, if it is one."""
    kind = kind_of(url)
    return next(
        (why for page, what, why in KNOWN if page.search(kind) and what.search(problem)), None
    )


@pytest.fixture
def demo(db) -> None:
    call_command("demo", stdout=io.StringIO())


@pytest.fixture(params=sorted(DEVICES))
def device(request) -> str:
    return request.param


def _report(walk: Walk, device: str) -> str:
    return (
        f"{device}: {len(walk.visited)} pages, {len(walk.downloads)} downloads, "
        f"{len(walk.pagers)} pagers, {len(walk.multi_form)} pages with several forms, "
        f"{walk.seconds:.1f} s"
    )


def test_every_page_a_person_can_reach_works(
    browser, live_server, demo, device: str, subtests
) -> None:
    with open_page(browser, live_server.url, **DEVICES[device]) as (page, errors):
        log_in(page, "demo", "demo")
        walk = walk_site(page, errors, live_server.url)
    print(_report(walk, device))
    assert len(walk.visited) >= 60, walk.visited  # the walk reached the whole app
    for url in walk.visited:
        with subtests.test(msg=url.removeprefix(live_server.url)):
            problems = walk.problems.get(url, [])
            known = [_known(url, problem) for problem in problems]
            if problems and all(known):
                pytest.xfail("; ".join(sorted(set(filter(None, known)))))
            assert not problems, problems
    if device != "desktop":
        return  # forms behave alike at every width; the desktop walk checks them
    with open_page(browser, live_server.url, **DEVICES[device]) as (page, errors):
        log_in(page, "demo", "demo")
        for kind, url in walk.multi_form.items():
            with subtests.test(msg=f"forms on {kind} keep what was typed"):
                before = len(errors)
                check = forms_keep_what_was_typed(page, url)
                print(f"{kind}: submitted {check.submitted}, {check.compared} typed values kept")
                assert not check.lost, check.lost
                assert len(errors) == before, errors[before:]
