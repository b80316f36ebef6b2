"""Duplicates and merging, who-do-I-know and introduction paths, and full-text search with
the same contract on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse

from coffeechat.accounts.services import user_create
from coffeechat.contacts.models import Contact, JobHistory, NotDuplicate, Tag
from coffeechat.contacts.selectors import duplicate_candidates
from coffeechat.contacts.services import contact_merge, contact_save
from coffeechat.conversations.models import Learning
from coffeechat.followups.models import FollowUp
from coffeechat.imports.services import import_file
from coffeechat.network.models import Knows
from coffeechat.network.selectors import introduction_paths, referral_tree, who_i_know
from coffeechat.network.services import knows_create
from coffeechat.notes.models import Note
from coffeechat.organizations.models import Organization
from coffeechat.search.selectors import Hit, search
from tests.conftest import build_world
from tests.held import first_held_open
from tests.test_imports import sample

pytestmark = pytest.mark.django_db


def person(owner, first, last="", org=None, **extra) -> Contact:
    return Contact.objects.create(
        owner=owner, first_name=first, last_name=last, organization=org, **extra
    )


def test_duplicate_candidates_by_email_profile_and_fuzzy_name(owner) -> None:
    acme = Organization.objects.create(owner=owner, name="Kestrel Labs")
    a = person(owner, "Katherine", "Olsen", acme)
    b = person(owner, "Katharine", "Olsen", acme)
    c = person(owner, "Leo", "Park", email="leo@x.example")
    d = person(owner, "Leonard", "Park", email="LEO@x.example")
    e = person(owner, "Ana", "Ruiz", linkedin_url="https://www.linkedin.com/in/ana-ruiz")
    f = person(owner, "A.", "Ruiz", linkedin_url="http://linkedin.com/in/Ana-Ruiz/")
    person(owner, "Someone", "Else", acme)
    pairs = {(p.first.pk, p.second.pk): p.reason for p in duplicate_candidates(user=owner)}
    assert pairs == {
        (a.pk, b.pk): "similar names at the same organization",
        (c.pk, d.pk): "the same email address",
        (e.pk, f.pk): "the same LinkedIn profile",
    }


def test_a_pair_marked_not_the_same_person_is_not_suggested_again(owner, owner_client) -> None:
    clinic = Organization.objects.create(owner=owner, name="Mercy Clinic")
    maria = person(owner, "Maria", "Garcia", clinic)
    other_maria = person(owner, "María", "García", clinic)
    lee = person(owner, "Lee", "Chan", email="lee@x.example")
    lee_again = person(owner, "Lee", "Chan", email="lee@x.example")
    page = owner_client.get(reverse("contacts:duplicates")).content.decode()
    assert "Not the same person" in page
    # Either order of the pair is the same answer.
    url = reverse("contacts:not_duplicate", args=[other_maria.pk, maria.pk])
    assert owner_client.get(url).status_code == 405
    response = owner_client.post(url, follow=True)
    assert "will not be suggested again" in response.content.decode()
    owner_client.post(reverse("contacts:not_duplicate", args=[maria.pk, other_maria.pk]))
    assert NotDuplicate.objects.filter(owner=owner).count() == 1
    pairs = [(p.first.pk, p.second.pk) for p in duplicate_candidates(user=owner)]
    assert pairs == [(lee.pk, lee_again.pk)]
    # Merging drops the merged contact's answers instead of turning them into a self-pair.
    contact_merge(keep=maria, duplicate=other_maria)
    assert not NotDuplicate.objects.exists()
    self_pair = reverse("contacts:not_duplicate", args=[lee.pk, lee.pk])
    assert "two different contacts" in owner_client.post(self_pair, follow=True).content.decode()


def test_merge_is_confirmed_first_and_keeps_everything_of_both(owner, owner_client) -> None:
    world = build_world(owner)
    twin = person(owner, "Priya", "Raman", email="priya@x.example")
    Note.objects.create(owner=owner, contact=twin, text="Met at the mixer.")
    FollowUp.objects.create(owner=owner, contact=twin, due_on=dt.date(2026, 5, 1), what="Send link")
    JobHistory.objects.create(owner=owner, contact=twin, title="Intern")
    twin.tags.add(Tag.objects.create(owner=owner, name="mixer"))
    introduced = person(owner, "Nadia", "Kaur", introduced_by=twin)
    third = person(owner, "Omar", "Haddad")
    Knows.objects.create(owner=owner, contact=twin, other=third)
    Knows.objects.create(owner=owner, contact=twin, other=world.introducer)  # exists already
    url = reverse("contacts:merge", args=[world.contact.pk, twin.pk])
    page = owner_client.get(url).content.decode()
    assert "1 note" in page and "1 earlier job" in page and "(s)" not in page
    assert Contact.objects.filter(pk=twin.pk).exists()  # nothing happens on GET
    owner_client.post(url)
    assert not Contact.objects.filter(pk=twin.pk).exists()
    kept = Contact.objects.get(pk=world.contact.pk)
    assert kept.email == "priya@x.example"
    assert kept.note_set.count() == 2
    assert kept.followups.count() == 2
    assert kept.jobs.count() == 1
    assert sorted(kept.tags.values_list("name", flat=True)) == ["alumni", "mixer"]
    assert kept.conversations.count() == 1
    assert Contact.objects.get(pk=introduced.pk).introduced_by_id == kept.pk
    assert kept.introduced_by_id == world.introducer.pk
    assert Knows.objects.filter(owner=owner).count() == 2


def test_merge_refuses_the_same_contact(owner) -> None:
    world = build_world(owner)
    with pytest.raises(ValueError):
        contact_merge(keep=world.contact, duplicate=world.contact)


def test_who_i_know_finds_current_and_former_staff(owner) -> None:
    import_file(owner=owner, data=sample("linkedin-connections.csv"))
    newer = sample("linkedin-connections.csv").replace(
        b"Halvorsen Biologics,Medical Science Liaison", b"Brightwater Devices,MSL"
    )
    import_file(owner=owner, data=newer)
    halvorsen = Organization.objects.get(owner=owner, key="halvorsen biologics")
    known = who_i_know(user=owner, organizations=[halvorsen])
    assert [c.full_name for c in known.current] == []
    assert [c.full_name for c, _ in known.former] == ["Priya Raman"]
    corvane = Organization.objects.get(owner=owner, key="corvane pharmaceuticals")
    assert len(who_i_know(user=owner, organizations=[corvane]).current) == 3


def test_a_manual_job_change_goes_on_the_timeline(owner) -> None:
    world = build_world(owner)
    contact = world.contact
    contact.title = "Director"
    contact_save(owner=owner, contact=contact, organization_name="Brightwater Devices")
    job = JobHistory.objects.get(contact=contact)
    assert (job.organization, job.title, job.source) == (
        world.organization,
        "Medical science liaison",
        "manual",
    )


def test_introduction_paths_shortest_and_warmest_first(owner, owner_client) -> None:
    target = Organization.objects.create(owner=owner, name="Tidewater Health")
    cold = Contact.Connection.COLD
    inside = person(owner, "Ines", "Inside", target, how_connected=cold)
    bridge = person(owner, "Bo", "Bridge", how_connected=cold)
    friend = person(owner, "Fay", "Friend", how_connected=Contact.Connection.FRIEND)
    online = person(owner, "Oli", "Online", how_connected=Contact.Connection.ONLINE)
    far = person(owner, "Far", "Away", how_connected=Contact.Connection.FRIEND)
    Knows.objects.create(owner=owner, contact=friend, other=bridge)
    Knows.objects.create(owner=owner, contact=bridge, other=inside)
    inside.introduced_by = online
    inside.save()
    Knows.objects.create(owner=owner, contact=far, other=friend)
    paths = introduction_paths(user=owner, organization=target)
    # Oli introduced Ines: one hop, shorter than Fay -> Bo -> Ines.
    assert [[s.contact.first_name for s in p.steps] for p in paths] == [["Oli", "Ines"]]
    inside.introduced_by = None
    inside.save()
    paths = introduction_paths(user=owner, organization=target)
    assert [[s.contact.first_name for s in p.steps] for p in paths] == [["Fay", "Bo", "Ines"]]
    assert [s.link for s in paths[0].steps] == ["you know", "knows", "knows"]
    page = owner_client.get(reverse("network:home"), {"organization": target.pk})
    assert "Fay Friend" in page.content.decode()


def test_network_page_draws_the_referral_tree_without_inline_styles(owner, owner_client) -> None:
    world = build_world(owner)
    person(owner, "Nadia", "Kaur", introduced_by=world.contact)
    tree = referral_tree(user=owner)
    assert {n.name for n in tree.nodes} == {"Ines Alvarez", "Priya Raman", "Nadia Kaur"}
    assert len(tree.edges) == 2
    html = owner_client.get(reverse("network:home")).content.decode()
    assert "<svg" in html and "style=" not in html


def test_knows_can_be_recorded_from_the_page(owner, owner_client) -> None:
    world = build_world(owner)
    other = person(owner, "Omar", "Haddad")
    response = owner_client.post(
        reverse("network:knows_create"),
        {"contact": world.contact.pk, "other": other.pk, "how": "Same lab"},
    )
    assert response.status_code == 302
    assert Knows.objects.filter(owner=owner, contact=world.contact, other=other).exists()


# -- Search ------------------------------------------------------------------------------------


def test_search_ranks_and_covers_every_kind(owner, outsider) -> None:
    world = build_world(owner)
    build_world(outsider)
    Note.objects.create(owner=owner, contact=world.introducer, text="Talked about halvorsen hiring")
    Learning.objects.create(
        owner=owner, conversation=world.conversation, text="Halvorsen trains every new liaison."
    )
    hits = search(user=owner, q="halvorsen")
    assert all(isinstance(hit, Hit) for hit in hits)
    kinds = [hit.kind for hit in hits]
    # The organization's name is the strongest match; notes and learnings follow, then the
    # people who work there.
    assert kinds[0] == "organization"
    assert sorted(kinds) == ["contact", "learning", "note", "organization"]
    assert kinds[-1] == "contact" and hits[-1].title == "Priya Raman"
    assert hits[0].url == reverse("organizations:detail", args=[world.organization.pk])
    assert [h.rank for h in hits] == sorted((h.rank for h in hits), reverse=True)
    note = next(h for h in hits if h.kind == "note")
    assert "<mark>" in note.snippet.lower() and note.title == "Note on Ines Alvarez"
    # Nobody else's rows, prefixes work, punctuation is harmless.
    theirs = {(h.kind, h.id) for h in search(user=outsider, q="halvorsen")}
    assert theirs.isdisjoint({(h.kind, h.id) for h in hits})
    assert [h.title for h in search(user=owner, q="pri")] == ["Priya Raman"]
    assert search(user=owner, q='"*) OR ( -') == []


def test_search_follows_edits_deletes_and_imports(owner) -> None:
    world = build_world(owner)
    world.contact.title = "Oncology territory lead"
    world.contact.save()
    assert [h.title for h in search(user=owner, q="oncology")] == ["Priya Raman"]
    world.contact.delete()
    assert search(user=owner, q="oncology") == []
    import_file(owner=owner, data=sample("linkedin-connections.csv"))
    assert [h.title for h in search(user=owner, q="cardiac rhythm")] == ["Lucía Fernández Ortega"]
    assert [h.title for h in search(user=owner, q="lucia")] == ["Lucía Fernández Ortega"]


def test_search_page(owner, owner_client) -> None:
    build_world(owner)
    page = owner_client.get(reverse("search:results"), {"q": "territories"}).content.decode()
    assert "Reality of the job from Priya Raman" in page
    assert "<mark>Territories</mark>" in page


def test_search_finds_people_by_their_organization(owner, owner_client) -> None:
    acme = Organization.objects.create(owner=owner, name="Acme Diagnostics")
    other = Organization.objects.create(owner=owner, name="Brightwater Labs")
    for n in range(30):
        Contact.objects.create(
            owner=owner,
            first_name=f"Person{n:02d}",
            last_name="Lee",
            organization=acme,
            title="Lab manager" if n == 7 else "",
        )
    Contact.objects.create(owner=owner, first_name="Outside", last_name="Org", organization=other)
    hits = search(user=owner, q="acme", limit=50)
    assert hits[0].kind == "organization" and hits[0].people == 30
    people = [hit for hit in hits if hit.kind == "contact"]
    # A page of them, the rest one click away; nobody from elsewhere.
    assert len(people) == 20 and all(hit.title.endswith("Lee") for hit in people)
    page = owner_client.get(reverse("search:results"), {"q": "Acme"}).content.decode()
    assert f'href="/contacts/?organization={acme.pk}">30 contacts there</a>' in page
    assert "Lab manager at <mark>Acme Diagnostics</mark>" in page
    listed = owner_client.get(f"/contacts/?organization={acme.pk}").content.decode()
    assert "30 in all" in listed


def test_there_now_shows_the_warmest_first_and_says_how_many_more(owner, owner_client) -> None:
    acme = Organization.objects.create(owner=owner, name="Acme Diagnostics")
    # 400 cold contacts whose last names sort first, and one friend named last alphabetically:
    # the old list (300, by last name) never reached her.
    Contact.objects.bulk_create(
        Contact(owner=owner, first_name=f"Cold{n:03d}", last_name="Aardvark", organization=acme)
        for n in range(400)
    )
    friend = Contact.objects.create(
        owner=owner,
        first_name="Zoe",
        last_name="Zimmerman",
        organization=acme,
        how_connected=Contact.Connection.FRIEND,
    )
    known = who_i_know(user=owner, organizations=[acme])
    assert known.current[0] == friend
    assert known.current_total == 401 and known.more == 401 - len(known.current)
    page = owner_client.get(reverse("network:home"), {"organization": acme.pk}).content.decode()
    assert "Zoe Zimmerman" in page
    assert "See all 401 at Acme Diagnostics" in page
    assert f'href="/contacts/?organization={acme.pk}"' in page


def test_merging_leaves_one_knows_link_per_pair_and_keeps_both_shadowing_rules(owner) -> None:
    from coffeechat.interview.models import Shadowing
    from coffeechat.outreach.models import KeepInTouch

    keep = person(owner, "Ana", "Silva")
    twin = person(owner, "Ana", "Silva")
    friend = person(owner, "Bo", "Lind")
    Knows.objects.create(owner=owner, contact=friend, other=keep)
    Knows.objects.create(owner=owner, contact=twin, other=friend)  # the same pair, reversed
    Knows.objects.create(owner=owner, contact=keep, other=twin)  # would join Ana to herself
    Shadowing.objects.create(owner=owner, contact=keep, stage="asked")
    Shadowing.objects.create(owner=owner, contact=twin, stage="done")
    KeepInTouch.objects.create(owner=owner, contact=twin, every_months=3)
    contact_merge(keep=keep, duplicate=twin)
    assert list(Knows.objects.filter(owner=owner).values_list("contact_id", "other_id")) == [
        (friend.pk, keep.pk)
    ]
    # One of a kind per person: keep's shadowing stands; the twin's cadence moves over.
    assert Shadowing.objects.get(owner=owner).stage == "asked"
    assert KeepInTouch.objects.get(owner=owner).contact_id == keep.pk


# PostgreSQL only, as the review's two clicks (tests/test_review.py says why).
@pytest.mark.skipif(connection.vendor != "postgresql", reason="two writers at once")
@pytest.mark.django_db(transaction=True)
def test_the_same_link_recorded_twice_at_once_is_one_link() -> None:
    owner = user_create(username="linker", password="a long enough password")
    ana = Contact.objects.create(owner=owner, first_name="Ana", last_name="Ortiz")
    ben = Contact.objects.create(owner=owner, first_name="Ben", last_name="Okoye")
    first, second = first_held_open(
        lambda: knows_create(owner=owner, contact=ana, other=ben).pk,
        lambda: knows_create(owner=owner, contact=ben, other=ana).pk,
    )
    assert first == second
    assert Knows.objects.filter(owner=owner).count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two writers at once")
@pytest.mark.django_db(transaction=True)
def test_a_new_employer_named_twice_at_once_is_one_organization() -> None:
    """Two tabs save a contact at the same new employer at the same moment."""
    owner = user_create(username="twotabs", password="a long enough password")

    def save(first_name: str) -> int | None:
        contact = contact_save(
            owner=owner,
            contact=Contact(first_name=first_name, last_name="Ortiz"),
            organization_name="Halvorsen Biologics",
        )
        return contact.organization_id

    first, second = first_held_open(lambda: save("Ana"), lambda: save("Ben"))
    assert first == second is not None
    assert Organization.objects.filter(owner=owner).count() == 1
