"""Issue 13: the network page, the organizations list and the contact page show a bounded
part of a large account (with "show more" that works and says how many more), and read it
through indexes rather than sorting everything."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from coffeechat.contacts.models import Contact, JobHistory
from coffeechat.network.models import Knows
from coffeechat.network.selectors import TREE_MAX, TREE_SHOWN, referral_tree, who_i_know
from coffeechat.network.views import LINKS_SHOWN, ORGANIZATION_CHOICES
from coffeechat.organizations.models import Organization, organization_key

pytestmark = pytest.mark.django_db


def _org(owner, name: str) -> Organization:
    return Organization.objects.create(owner=owner, name=name)


def _introductions(owner, introducer_name: str, count: int) -> Contact:
    """An introducer and ``count`` people they introduced, all named to sort after "A"."""
    introducer = Contact.objects.create(owner=owner, first_name="Ida", last_name=introducer_name)
    Contact.objects.bulk_create(
        Contact(owner=owner, first_name=f"P{n:03d}", last_name="Bell", introduced_by=introducer)
        for n in range(count)
    )
    return introducer


def test_referral_tree_keeps_the_introduced_and_their_introducers_only(owner, outsider) -> None:
    introducer = _introductions(owner, "Adams", 2)
    nested = Contact.objects.get(owner=owner, first_name="P000")
    Contact.objects.create(owner=owner, first_name="Quinn", last_name="Cole", introduced_by=nested)
    Contact.objects.create(owner=owner, first_name="Lone", last_name="Aaron")  # in no introduction
    _introductions(outsider, "Zed", 3)
    tree = referral_tree(user=owner)
    assert {n.name for n in tree.nodes} == {
        "Ida Adams",
        "P000 Bell",
        "P001 Bell",
        "Quinn Cole",
    }
    assert tree.total == 4 and tree.more == 0
    assert len(tree.edges) == 3
    assert introducer.pk in {n.contact_id for n in tree.nodes}


def test_network_page_draws_part_of_a_large_tree_and_shows_the_rest_on_request(
    owner, owner_client
) -> None:
    _introductions(owner, "Adams", TREE_SHOWN + 9)  # TREE_SHOWN + 10 people in all
    total = TREE_SHOWN + 10
    tree = referral_tree(user=owner, max_nodes=TREE_SHOWN)
    assert len(tree.nodes) == TREE_SHOWN and tree.total == total and tree.more == 10
    html = owner_client.get(reverse("network:home")).content.decode()
    assert html.count('class="tree-node"') == TREE_SHOWN
    assert f"{TREE_SHOWN} of the {total} people in your introductions" in html
    assert f"Show all {total}" in html
    more = re.search(r'href="(\?[^"]*tree=all[^"]*)"', html)
    assert more is not None
    full = owner_client.get(reverse("network:home") + more.group(1).replace("&amp;", "&"))
    assert full.content.decode().count('class="tree-node"') == total
    assert "people in your introductions" not in full.content.decode()
    assert TREE_MAX >= total


def test_a_tree_larger_than_show_all_is_counted_only_that_far(owner, owner_client) -> None:
    _introductions(owner, "Adams", TREE_MAX + 4)
    tree = referral_tree(user=owner, max_nodes=TREE_SHOWN)
    assert tree.total == TREE_MAX + 1 and len(tree.nodes) == TREE_SHOWN
    html = owner_client.get(reverse("network:home")).content.decode()
    assert f"{TREE_SHOWN} of the more than {TREE_MAX} people in your introductions" in html
    assert f"Show the first {TREE_MAX}" in html
    full = owner_client.get(reverse("network:home"), {"tree": "all"}).content.decode()
    assert full.count('class="tree-node"') == TREE_MAX
    assert f"{TREE_MAX} of the more than {TREE_MAX} people" in full and "Show the first" not in full


def test_show_all_keeps_the_organization_asked_about(owner, owner_client) -> None:
    acme = _org(owner, "Acme")
    _introductions(owner, "Adams", TREE_SHOWN + 1)
    html = owner_client.get(reverse("network:home"), {"organization": acme.pk}).content.decode()
    assert f"?organization={acme.pk}&amp;tree=all" in html


def test_organization_picker_lists_the_first_by_name_and_keeps_the_one_asked_about(
    owner, owner_client
) -> None:
    names = [f"Org {n:04d}" for n in range(ORGANIZATION_CHOICES + 5)]
    Organization.objects.bulk_create(
        Organization(owner=owner, name=name, key=organization_key(name)) for name in names
    )
    last = Organization.objects.get(owner=owner, name=names[-1])
    html = owner_client.get(reverse("network:home")).content.decode()
    assert html.count('<option value="') - html.count('<option value="">') >= ORGANIZATION_CHOICES
    assert f'value="{last.pk}"' not in html
    assert f"first {ORGANIZATION_CHOICES} of your {len(names)} organizations" in html
    asked = owner_client.get(reverse("network:home"), {"organization": last.pk}).content.decode()
    assert f'<option value="{last.pk}" selected>' in asked


def test_worked_there_before_shows_the_latest_and_says_how_many_more(owner, owner_client) -> None:
    acme = _org(owner, "Acme")
    other = _org(owner, "Elsewhere")
    people = Contact.objects.bulk_create(
        Contact(owner=owner, first_name=f"Ex{n:02d}", last_name="Left", organization=other)
        for n in range(60)
    )
    JobHistory.objects.bulk_create(
        JobHistory(
            owner=owner,
            contact=c,
            organization=acme,
            title="Analyst",
            ended_on=dt.date(2020, 1, 1) + dt.timedelta(days=n),
        )
        for n, c in enumerate(people)
    )
    known = who_i_know(user=owner, organizations=[acme])
    assert len(known.former) == 50 and known.former_total == 60 and known.former_more == 10
    assert known.former[0][0] == people[-1]  # the one who left last comes first
    html = owner_client.get(reverse("network:home"), {"organization": acme.pk}).content.decode()
    assert "10 more among the latest past jobs" in html


def test_who_knows_whom_shows_the_latest_links_newest_first(owner, owner_client) -> None:
    people = Contact.objects.bulk_create(
        Contact(owner=owner, first_name=f"K{n:02d}", last_name="Link")
        for n in range(LINKS_SHOWN + 2)
    )
    links = Knows.objects.bulk_create(
        Knows(owner=owner, contact=people[0], other=p) for p in people[1:]
    )
    # created_at is set on insert; date them so that the first created is the newest.
    now = timezone.now()
    for n, link in enumerate(links):
        Knows.objects.filter(pk=link.pk).update(created_at=now - dt.timedelta(minutes=n))
    html = owner_client.get(reverse("network:home")).content.decode()
    deletes = re.findall(r'href="/network/knows/(\d+)/delete/"', html)
    assert [int(pk) for pk in deletes] == [link.pk for link in links[:LINKS_SHOWN]]
    assert f"The {LINKS_SHOWN} links recorded most recently" in html


def test_organizations_list_counts_the_contacts_of_the_page(owner, outsider, owner_client) -> None:
    names = [f"Firm {n:03d}" for n in range(55)]
    orgs = Organization.objects.bulk_create(
        Organization(owner=owner, name=name, key=organization_key(name)) for name in names
    )
    Contact.objects.bulk_create(
        Contact(owner=owner, first_name=f"C{n}", organization=orgs[0]) for n in range(3)
    )
    Contact.objects.create(owner=owner, first_name="Solo", organization=orgs[54])
    html = owner_client.get(reverse("organizations:list")).content.decode()
    assert "Firm 000" in html and "3 contacts" in html and "Firm 054" not in html
    page2 = owner_client.get(reverse("organizations:list"), {"page": 2}).content.decode()
    assert "Firm 054" in page2 and "1 contact<" in page2 and "Firm 000" not in page2
    found = owner_client.get(reverse("organizations:list"), {"q": "firm 05"}).content.decode()
    assert found.count("Firm 05") == 5 and "0 contacts" in found
