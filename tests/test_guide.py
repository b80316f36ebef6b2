"""The method, taught in place (issue 11 item 7): the "How it works" page, the glossary, and the
codes (LAMP, 3B7, TIARA) explained where the pages print them, in the same words everywhere."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from coffeechat.followups.models import FollowUp
from coffeechat.guide.terms import TERMS, term_for
from coffeechat.targets.models import Target
from tests.conftest import World

pytestmark = pytest.mark.django_db

GUIDE = Path(__file__).resolve().parents[1] / "src" / "coffeechat" / "guide"
# A code explained in place: a button that opens a popover with the term, never a hover title.
EXPLAINED = re.compile(
    r'<button type="button" class="term-code" popovertarget="(?P<id>term-(?P<slug>[\w-]+)-\d+)"'
    r' data-glossary="/guide/glossary/#(?P=slug)">(?P<label>.*?)</button>'
    r'<span class="term-pop" id="(?P=id)" popover>(?P<pop>.*?)</span></span>',
    re.S,
)


def explained(html: str) -> dict[str, list[re.Match[str]]]:
    """Every term explained on the page, by its glossary slug."""
    found: dict[str, list[re.Match[str]]] = {}
    for match in EXPLAINED.finditer(html):
        found.setdefault(match["slug"], []).append(match)
    return found


def text_of(fragment: str) -> str:
    text = " ".join(re.sub(r"<[^>]+>", " ", fragment).split())
    return re.sub(r" ([:,.])", r"\1", text)


# ---------------------------------------------------------------- How it works


def test_how_it_works_teaches_the_aims_the_benefits_and_the_reference_figure(
    owner_client: Client,
) -> None:
    html = owner_client.get(reverse("guide:how_it_works")).content.decode()
    text = text_of(html)
    assert "Learn what an industry, an organization or a job is really like" in text
    assert "Build a relationship" in text
    assert "never ask for a job" in text
    assert "About 1 job offer for every 12 informational interviews" in text
    assert "1 for every 200 résumés sent (some studies count 1,500)" in text
    assert "Katharine Hansen, A Foot in the Door" in text
    assert "Steve Dalton's The 2-Hour Job Search" in text


def test_how_it_works_walks_the_whole_loop_and_each_step_links_to_where_the_app_does_it(
    owner_client: Client,
) -> None:
    html = owner_client.get(reverse("guide:how_it_works")).content.decode()
    steps = re.findall(r'<li id="([\w-]+)">\s*<h3>(.*?)</h3>(.*?)</li>', html, re.S)
    assert [title for _, title, _ in steps] == [
        "Choose targets",
        "Find people",
        "Ask",
        "Prepare",
        "Talk",
        "After",
        "Reflect",
        "Keep going",
        "See what it led to",
    ]
    for anchor, title, body in steps:
        where = re.search(r'<p class="guide-where">(.*?)</p>', body, re.S)
        assert where and re.search(r'<a href="/[^"#]*">', where[1]), (anchor, title)
    # The three codes are explained on the page itself, and each has its glossary entry.
    assert {"lamp", "3b7", "tiara"} <= set(explained(html))
    for slug in ("lamp", "3b7", "tiara"):
        assert f'href="/guide/glossary/#{slug}"' in html


def test_how_it_works_is_reachable_from_the_dashboard_its_first_steps_and_every_page(
    owner_client: Client, world: World
) -> None:
    home = owner_client.get(reverse("dashboard:home")).content.decode()
    first_steps = re.search(r'<section class="card first-steps".*?</section>', home, re.S)
    assert first_steps and 'href="/guide/"' in first_steps[0]
    head = re.search(r'<div class="page-head">.*?</div>\s*</div>', home, re.S)
    assert head and 'href="/guide/">How it works</a>' in head[0]
    for url in (
        reverse("targets:list"),
        reverse("contacts:detail", args=[world.contact.pk]),
        reverse("guide:glossary"),
    ):
        footer = re.search(
            r'<footer class="site-footer">(.*?)</footer>',
            owner_client.get(url).content.decode(),
            re.S,
        )
        assert footer and 'href="/guide/"' in footer[1] and 'href="/guide/glossary/"' in footer[1]


def test_the_guide_needs_a_login_like_every_page(client: Client, owner) -> None:
    response = client.get(reverse("guide:how_it_works"))
    assert response.status_code == 302 and "/login/" in response["Location"]


# ---------------------------------------------------------------- the glossary


def test_the_glossary_has_an_anchor_for_every_term_with_its_sentence_and_source(
    owner_client: Client,
) -> None:
    html = owner_client.get(reverse("guide:glossary")).content.decode()
    for term in TERMS.values():
        entry = re.search(
            rf'<div class="card glossary-entry" id="{term.slug}">(.*?)</div>', html, re.S
        )
        assert entry, term.slug
        assert f"<dfn>{term.name}</dfn>" in entry[1]
        assert text_of(term.short) in text_of(entry[1])
        if term.source:
            assert f"<cite>{term.source.title}</cite>" in entry[1]
    assert {
        "lamp",
        "3b7",
        "tiara",
        "informational-interview",
        "advocate",
        "target",
        "fit-assessment",
        "verdict",
        "shadowing",
        "keep-in-touch",
        "referral",
    } <= set(TERMS)
    assert "List, Advocacy, Motivation, Posting" in html
    assert "Trends, Insights, Advice, Resources, Assignments" in html


def test_every_place_a_term_is_linked_from_the_glossary_exists(owner_client: Client) -> None:
    for term in TERMS.values():
        for url_name, _ in term.where:
            assert reverse(url_name)  # a renamed page fails here, not in front of a user


def test_a_term_is_found_by_its_code_in_any_case_and_an_unknown_one_fails_loudly() -> None:
    assert term_for("LAMP") is term_for("lamp") is TERMS["lamp"]
    assert term_for("3B7") is TERMS["3b7"]
    assert term_for("Keep in touch") is TERMS["keep-in-touch"]
    with pytest.raises(KeyError):
        term_for("SMART")


def test_the_guide_imports_no_other_app_of_coffeechat() -> None:
    """It sits just above core: every app may use its words, so it may use none of theirs."""
    for path in GUIDE.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            for name in names:
                if name.startswith("coffeechat."):
                    assert name.split(".")[1] in {"core", "guide"}, (path.name, name)


# ---------------------------------------------------------------- the codes, in place


def test_lamp_on_the_targets_page_explains_itself(owner_client: Client, world: World) -> None:
    Target.objects.create(
        owner=world.target.owner,
        name="Oncology sales",
        kind=Target.Kind.ROLE,
        motivation=2,
        posting=1,
        advocacy=True,
    )
    html = owner_client.get(reverse("targets:list")).content.decode()
    lamp = explained(html)["lamp"]
    # The sentence above the list, and one label per target.
    assert len(lamp) == 3
    labels = {text_of(m["label"]): text_of(m["pop"]) for m in lamp}
    assert "LAMP: M3 P2 AN" in labels and "LAMP: M2 P1 AY" in labels
    assert labels["LAMP: M3 P2 AN"].startswith(
        "LAMP · List, Advocacy, Motivation, Posting M3 P2 AN: motivation 3 of 3, posting 2 of "
        "3, advocacy no"
    )
    assert "More in the glossary" in labels["LAMP: M2 P1 AY"]
    # Every popover on the page has its own id, and nothing hides the meaning in a hover title.
    ids = [m["id"] for m in EXPLAINED.finditer(html)]
    assert len(ids) == len(set(ids))
    assert 'title="Motivation' not in html


def test_lamp_on_the_target_form_and_the_target_page_explains_itself(
    owner_client: Client, world: World
) -> None:
    form = owner_client.get(reverse("targets:create")).content.decode()
    assert "lamp" in explained(form)
    page = owner_client.get(reverse("targets:detail", args=[world.target.pk])).content.decode()
    assert "lamp" in explained(page)
    assert "motivation 3 of 3, posting 2 of 3, advocacy no" in page


def test_3b7_follow_ups_explain_the_routine_where_they_are_listed(
    owner_client: Client, world: World
) -> None:
    FollowUp.objects.create(
        owner=world.target.owner,
        conversation=world.conversation,
        contact=world.contact,
        due_on=world.followup.due_on,
        what="Follow up once with Priya Raman",
        kind=FollowUp.Kind.NUDGE,
    )
    for url in (reverse("followups:list"), reverse("dashboard:home")):
        html = owner_client.get(url).content.decode()
        [routine] = explained(html)["3b7"]
        assert "No reply after 3 business days" in routine["pop"]
        assert "3B7</button>" in html and ": follow up once" in html


def test_3b7_in_the_message_after_logging_a_request_explains_itself(
    owner_client: Client, world: World
) -> None:
    response = owner_client.post(
        reverse("outreach:draft", args=[world.conversation.pk]),
        {
            "kind": "request_email",
            "subject": "Hello",
            "body": "Hi Priya, we share a school. Would you have 20 minutes?",
            "channel": "email",
            "sent_on": "2026-11-23",
        },
        follow=True,
    )
    messages = re.search(r'<ul class="messages".*?</ul>', response.content.decode(), re.S)
    assert messages
    assert "3b7" in explained(messages[0])
    assert "Follow up once with Priya Raman by Wed Dec 2" in text_of(messages[0])


def test_3b7_on_an_empty_dashboard_explains_itself(owner_client: Client) -> None:
    html = owner_client.get(reverse("dashboard:home")).content.decode()
    assert "3b7" in explained(html)


def test_tiara_on_the_prep_page_explains_itself(owner_client: Client, world: World, bank) -> None:
    owner_client.post(reverse("prep:generate", args=[world.conversation.pk]), {"minutes": 30})
    html = owner_client.get(reverse("prep:page", args=[world.conversation.pk])).content.decode()
    [tiara] = explained(html)["tiara"]
    assert "Trends (where the field is heading)" in tiara["pop"]
