"""Page benchmark: do the main pages stay fast with a large account?

Builds one job seeker (``bench``) with tens of thousands of rows plus a second, small account
(so that every query has to filter by owner), starts the real server (``coffeechat serve``)
on a free port of 127.0.0.1, logs in over HTTP and times each page. It reports, per page, the
time spent inside Django (the ``Server-Timing: app;dur=<ms>`` header), the client wall time and
the HTML size, then the server's peak resident memory.

    .venv/bin/python bench/pages.py [--contacts 30000] [--conversations 5000] [--requests 30]
                                    [--keep DIR] [--database-url postgresql://...]

Nothing here talks to anything but 127.0.0.1. See docs/benchmarks.md for the figures.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import inspect
import json
import math
import os
import platform
import random
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

USERNAME = "bench"
PASSWORD = "bench-password-123"
OTHER_USERNAME = "bench-other"
BATCH = 2000
WARMUP = 3
BENCH_DB = "coffeechat_bench"
META_FILE = "bench-meta.json"
HOST = "127.0.0.1"

# Targets from docs/benchmarks.md (SQLite, 2 cores).
TARGET_SERVER_MS = 50.0
TARGET_HTML_KB = 100.0
TARGET_MEMORY_MB = 200.0
# Pages held to the 50 ms target; the board and conversation detail are measured only.
TIMED_PAGE_PREFIXES = ("dashboard", "contacts", "contact ")


# --------------------------------------------------------------------------------------
# Vocabulary for realistic rows
# --------------------------------------------------------------------------------------

FIRST_NAMES = """
James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara Richard
Susan Joseph Jessica Thomas Sarah Charles Karen Christopher Lisa Daniel Nancy Matthew Betty
Anthony Sandra Mark Margaret Donald Ashley Steven Kimberly Andrew Emily Paul Donna Joshua
Michelle Kenneth Carol Kevin Amanda Brian Melissa George Deborah Timothy Stephanie Ronald
Rebecca Jason Laura Edward Helen Jeffrey Sharon Ryan Cynthia Jacob Kathleen Gary Amy Nicholas
Angela Eric Shirley Jonathan Anna Stephen Brenda Larry Pamela Justin Emma Scott Nicole Brandon
Samantha Benjamin Katherine Samuel Christine Gregory Debra Alexander Rachel Frank Carolyn
Patrick Janet Raymond Maria Jack Olivia Dennis Heather Jerry Diane Tyler Julie Aaron Joyce Jose
Victoria Adam Kelly Nathan Christina Henry Lauren Douglas Joan Zachary Evelyn Peter Judith
Kyle Megan Noah Andrea Ethan Cheryl Jeremy Hannah Walter Jacqueline Christian Martha Keith
Gloria Roger Teresa Terry Ann Austin Sara Sean Madison Gerald Frances Carl Kathryn Harold
Janice Dylan Jean Arthur Abigail Lawrence Alice Jordan Judy Jesse Sophia Bryan Grace Billy Denise
Bruce Amber Gabriel Doris Joe Marilyn Logan Danielle Alan Beverly Juan Isabella Albert Theresa
Willie Diana Elijah Natalie Wayne Brittany Randy Charlotte Vincent Marie Mason Kayla Roy Alexis
Ralph Lori Bobby Priya Wei Aisha Mateo Yuki Chidi Sofia Omar Leila Ingrid Kofi Mei Arjun Fatima
""".split()

# Ordered by frequency: the first names are the common ones (Zipf-weighted below).
LAST_NAMES = """
Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez
Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris
Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill
Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez Phillips
Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook Rogers
Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson
Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo
Sanders Patel Myers Long Ross Foster Jimenez Powell Jenkins Perry Russell Sullivan Bell Coleman
Butler Henderson Barnes Gonzales Fisher Vasquez Simmons Romero Jordan Patterson Alexander
Hamilton Graham Reynolds Griffin Wallace Moreno West Cole Hayes Bryant Herrera Gibson Ellis
Tran Medina Aguilar Stevens Murray Ford Castro Marshall Owens Harrison Fernandez McDonald
Woods Washington Kennedy Wells Vargas Henry Chen Freeman Webb Tucker Guzman Burns Crawford
Olson Simpson Porter Hunter Gordon Mendez Silva Shaw Snyder Mason Dixon Munoz Hunt Hicks Holmes
Palmer Wagner Black Robertson Boyd Rose Stone Salazar Fox Warren Mills Meyer Rice Schmidt Garza
Daniels Ferguson Nichols Stephens Soto Weaver Ryan Gardner Payne Grant Dunn Kelley Spencer
Hawkins Arnold Pierce Vazquez Hansen Peters Santos Hart Bradley Knight Elliott Cunningham
Duncan Armstrong Hudson Carroll Lane Riley Andrews Alvarado Ray Delgado Berry Perkins Hoffman
Johnston Matthews Pena Richards Contreras Willis Carpenter Lawrence Sandoval Okafor Nakamura
Lindqvist Dubois Rossi Novak Kowalski Haddad Mensah Ivanova Schultz Oyelaran Takahashi
""".split()

ORG_WORDS_A = """
Blue Green Red North South East West Bright Clear Silver Golden Summit Harbor River Lake
Cedar Maple Pine Oak Granite Iron Copper Crystal Evergreen Pacific Atlantic Prairie Canyon
Pioneer Frontier Liberty Heritage Keystone Horizon Meridian Vertex Apex Nova Stellar Lunar
Solar Quantum Vector Helix Nimbus Aurora Beacon Compass Anchor Falcon Eagle Hawk Fox Wolf
Bear Lion Orchid Willow Aspen
""".split()
ORG_WORDS_B = """
Pharma Therapeutics Biosciences Health Labs Analytics Systems Software Networks Media Studios
Capital Partners Advisors Consulting Logistics Foods Energy Power Robotics Devices Diagnostics
Genomics Medical Insurance Bank Securities Ventures Group Works Design Education Learning
Publishing Foundation Institute Hospital Clinic Retail Brands Motors Aerospace Materials
Chemicals Water Agriculture Marine Telecom Data Cloud Security Games Sports Travel Hotels
""".split()
LEGAL_FORMS = ["", "", "", " Inc.", " LLC", " Ltd", " Corp.", " GmbH", " & Co."]
INDUSTRIES = """
Pharmaceuticals|Biotechnology|Medical devices|Healthcare|Software|Consulting|Banking|
Insurance|Education|Nonprofit|Government|Media|Retail|Energy|Manufacturing|Logistics|
Hospitality|Marketing|Telecommunications|Aerospace
""".replace("\n", "").split("|")

TITLES = """
Sales Representative|Senior Sales Representative|Territory Manager|Account Executive|
Product Manager|Senior Product Manager|Software Engineer|Staff Engineer|Data Analyst|
Data Scientist|Research Scientist|Senior Scientist|Lab Manager|Clinical Research Associate|
Regulatory Affairs Specialist|Medical Science Liaison|Marketing Manager|Brand Manager|
UX Designer|Recruiter|HR Business Partner|Financial Analyst|Consultant|Senior Consultant|
Engagement Manager|Project Manager|Program Director|Operations Manager|Teacher|Professor|
Policy Analyst|Communications Director|Founder|Chief Executive Officer|VP of Sales|
Director of Engineering|Nurse Practitioner|Physician Assistant|Quality Engineer|
Supply Chain Analyst
""".replace("\n", "").split("|")

CONNECTION_WEIGHTS = {
    "alumni": 22,
    "affinity": 6,
    "colleague": 14,
    "friend": 8,
    "referral": 12,
    "event": 12,
    "online": 16,
    "cold": 10,
}
CONNECTION_DETAILS = {
    "alumni": ["UNC Biology, class of 2019", "State University alumni", "Same MBA cohort"],
    "affinity": ["Women in Tech chapter", "First-generation graduates network"],
    "colleague": ["Worked together at the lab", "Former teammate", "Same internship"],
    "friend": ["Cousin's friend", "Neighbour", "College roommate's sister"],
    "referral": ["Referred after our chat", "Suggested by a mentor"],
    "event": ["Career fair", "Industry meetup", "Conference panel"],
    "online": ["LinkedIn group", "Reddit career forum", "Alumni Slack"],
    "cold": [""],
}
TAG_NAMES = """
pharma biotech sales research clinical marketing product engineering data consulting
finance nonprofit startup big-company remote nyc boston bay-area mentor warm-lead
""".split()
STATUS_WEIGHTS = {
    "idea": 15,
    "requested": 15,
    "scheduled": 8,
    "held": 12,
    "thanked": 15,
    "following_up": 15,
    "declined": 7,
    "no_reply": 8,
    "cancelled": 5,
}
# The steps a conversation went through to reach each status, in order.
STATUS_PATHS = {
    "idea": ["idea"],
    "requested": ["idea", "requested"],
    "scheduled": ["idea", "requested", "scheduled"],
    "held": ["idea", "requested", "scheduled", "held"],
    "thanked": ["idea", "requested", "scheduled", "held", "thanked"],
    "following_up": ["idea", "requested", "scheduled", "held", "thanked", "following_up"],
    "declined": ["idea", "requested", "declined"],
    "no_reply": ["idea", "requested", "no_reply"],
    "cancelled": ["idea", "requested", "scheduled", "cancelled"],
}
SENTENCES = [
    "Spends most of the week on the road visiting clinics in the territory.",
    "Says the first year is mostly learning the product portfolio and compliance rules.",
    "Quota pressure is real but the team shares leads generously.",
    "Recommended reading the company's last annual report before any interview.",
    "Moved from a lab bench job into this role after three years.",
    "Offered to introduce me to a colleague in medical affairs.",
    "Remote two days a week; travel the other three.",
    "Hiring usually happens in spring; postings go up in March.",
    "The best part is the autonomy; the worst is the paperwork.",
    "Suggested a certification course that the company pays for later.",
    "Mentioned that the team values curiosity over specific experience.",
    "Asked me to send my resume only if I want feedback, not as an application.",
    "Talked about the shift to data-driven targeting in the last two years.",
    "Would do it again, but would negotiate the territory more carefully.",
    "Follow up in six weeks to share how my other conversations went.",
]
FOLLOWUP_WHATS = [
    "Send a thank-you note",
    "Share the article we discussed",
    "Check in after the conference",
    "Tell them how the referral went",
    "Ask about shadowing for a day",
    "Congratulate on the new role",
    "Send an update on my search",
    "Reply with the two questions I forgot",
]
TARGET_NAMES = [
    "Pharmaceutical sales",
    "Medical devices",
    "Clinical research",
    "Biotech startups",
    "Management consulting",
    "Health tech product management",
    "Data science in healthcare",
    "Regulatory affairs",
    "Medical science liaison",
    "Public health policy",
    "Science writing",
    "Hospital administration",
    "Environmental consulting",
    "EdTech",
    "Venture capital",
    "Quality assurance",
    "Supply chain in life sciences",
    "Nonprofit program management",
]


def zipf_weights(n: int, s: float) -> list[float]:
    return [1.0 / (rank**s) for rank in range(1, n + 1)]


def cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


# --------------------------------------------------------------------------------------
# Data build (in-process Django)
# --------------------------------------------------------------------------------------


@dataclass
class Scale:
    contacts: int
    organizations: int
    tags: int
    targets: int
    conversations: int
    notes: int
    learnings: int
    followups: int


@dataclass
class Built:
    """What the page list needs to know about the data."""

    contacts: int
    tag_id: int
    tag_name: str
    surname: str
    hub_contact_id: int
    random_contact_id: int
    conversation_id: int
    counts: dict[str, int] = field(default_factory=dict)


@contextmanager
def explicit_timestamps() -> Iterator[None]:
    """Lets bulk_create keep the created_at/updated_at we choose, so that the data has a
    history (sorting by "recently added" and the board's ordering depend on it)."""
    from django.apps import apps

    changed = []
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            for attr in ("auto_now", "auto_now_add"):
                if getattr(f, attr, False):
                    setattr(f, attr, False)
                    changed.append((f, attr))
    try:
        yield
    finally:
        for f, attr in changed:
            setattr(f, attr, True)


def build_account(owner: Any, scale: Scale, rng: random.Random, *, hub: bool) -> Built:
    """Creates one account's rows with bulk_create. With ``hub``, contact #1 gets many
    conversations, notes, introductions and follow-ups: the heaviest contact page."""
    from django.utils import timezone

    from coffeechat.contacts.models import Contact, Tag
    from coffeechat.conversations.models import Conversation, Learning
    from coffeechat.followups.models import FollowUp
    from coffeechat.notes.models import Note
    from coffeechat.organizations.models import Organization, organization_key
    from coffeechat.targets.models import Target

    now = timezone.now()
    today = now.date()

    def moment(days_back_max: float, days_back_min: float = 0.0) -> datetime:
        return now - timedelta(days=rng.uniform(days_back_min, days_back_max))

    # Organizations: unique keys, Zipf-sized (a few big employers, a long tail).
    orgs: list[Any] = []
    keys: set[str] = set()
    attempts = 0
    while len(orgs) < scale.organizations and attempts < scale.organizations * 20:
        attempts += 1
        name = f"{rng.choice(ORG_WORDS_A)} {rng.choice(ORG_WORDS_B)}"
        if rng.random() < 0.5:
            name = f"{name} {rng.choice(ORG_WORDS_B)}"
        name += rng.choice(LEGAL_FORMS)
        key = organization_key(name)
        if key in keys:
            continue
        keys.add(key)
        created = moment(1000, 30)
        orgs.append(
            Organization(
                owner=owner,
                name=name,
                key=key,
                industry=rng.choice(INDUSTRIES),
                website=f"https://www.{key.replace(' ', '')}.example" if rng.random() < 0.6 else "",
                notes=rng.choice(SENTENCES) if rng.random() < 0.2 else "",
                created_at=created,
                updated_at=created,
            )
        )
    Organization.objects.bulk_create(orgs, batch_size=BATCH)
    org_cum = cumulative(zipf_weights(len(orgs), 0.9))

    tags = [
        Tag(owner=owner, name=name, created_at=moment(900, 300), updated_at=now)
        for name in TAG_NAMES[: scale.tags]
    ]
    Tag.objects.bulk_create(tags, batch_size=BATCH)

    # Contacts, in chunks so that later chunks can name earlier contacts as introducers.
    first_cum = cumulative(zipf_weights(len(FIRST_NAMES), 0.5))
    last_cum = cumulative(zipf_weights(len(LAST_NAMES), 0.9))
    conn_names = list(CONNECTION_WEIGHTS)
    conn_cum = cumulative(list(CONNECTION_WEIGHTS.values()))
    contacts: list[Any] = []
    surnames: Counter[str] = Counter()
    for start in range(0, scale.contacts, BATCH):
        chunk = []
        for i in range(start, min(start + BATCH, scale.contacts)):
            first = rng.choices(FIRST_NAMES, cum_weights=first_cum)[0]
            last = rng.choices(LAST_NAMES, cum_weights=last_cum)[0]
            surnames[last] += 1
            org = rng.choices(orgs, cum_weights=org_cum)[0] if rng.random() < 0.9 else None
            how = rng.choices(conn_names, cum_weights=conn_cum)[0]
            domain = (
                org.key.replace(" ", "") + ".example"
                if org
                else rng.choice(["gmail.example", "outlook.example", "proton.example"])
            )
            created = moment(1100)
            introducer = None
            if contacts and rng.random() < 0.1:
                introducer = contacts[rng.randrange(len(contacts))]
            chunk.append(
                Contact(
                    owner=owner,
                    first_name=first,
                    last_name=last,
                    organization=org,
                    title=rng.choice(TITLES) if rng.random() < 0.85 else "",
                    email=f"{first}.{last}{i}@{domain}".lower() if rng.random() < 0.7 else "",
                    phone=f"+1 555 {rng.randrange(100, 999)} {rng.randrange(1000, 9999)}"
                    if rng.random() < 0.3
                    else "",
                    linkedin_url=f"https://www.linkedin.com/in/{first}-{last}-{i}".lower()
                    if rng.random() < 0.5
                    else "",
                    how_connected="referral" if introducer else how,
                    connection_detail=rng.choice(CONNECTION_DETAILS[how]),
                    introduced_by=introducer,
                    notes=" ".join(rng.sample(SENTENCES, 2)) if rng.random() < 0.25 else "",
                    last_interaction=(today - timedelta(days=rng.randrange(0, 700)))
                    if rng.random() < 0.4
                    else None,
                    created_at=created,
                    updated_at=created,
                )
            )
        Contact.objects.bulk_create(chunk, batch_size=BATCH)
        contacts.extend(chunk)
    hub_contact = contacts[0]
    if hub:
        # Many people were introduced by the hub.
        intro = rng.sample(contacts[1:], min(40, len(contacts) - 1))
        for c in intro:
            c.introduced_by = hub_contact
            c.how_connected = "referral"
        Contact.objects.bulk_update(intro, ["introduced_by", "how_connected"], batch_size=BATCH)

    # ~30% of contacts carry 1-3 tags.
    Through = Contact.tags.through
    links = []
    for c in contacts:
        if rng.random() < 0.3:
            for t in rng.sample(tags, rng.choice((1, 1, 1, 2, 2, 3))):
                links.append(Through(contact_id=c.pk, tag_id=t.pk))
    Through.objects.bulk_create(links, batch_size=BATCH)

    # Targets, scored with LAMP, some tied to an organization.
    targets = []
    for i in range(scale.targets):
        kind = rng.choice(["industry", "organization", "organization", "role"])
        org = rng.choice(orgs) if kind == "organization" else None
        name = org.name if org else f"{rng.choice(TARGET_NAMES)} #{i + 1}"
        created = moment(600, 10)
        targets.append(
            Target(
                owner=owner,
                kind=kind,
                name=name,
                organization=org,
                advocacy=rng.random() < 0.4,
                motivation=rng.randrange(0, 4),
                posting=rng.randrange(1, 4),
                why=rng.choice(SENTENCES),
                status=rng.choices(["active", "parked", "done"], weights=[70, 20, 10])[0],
                created_at=created,
                updated_at=created,
            )
        )
    Target.objects.bulk_create(targets, batch_size=BATCH)

    # Conversations across every status, with a plausible stamp for each step taken.
    statuses = list(STATUS_WEIGHTS)
    status_cum = cumulative(list(STATUS_WEIGHTS.values()))
    hub_share = min(25, scale.conversations // 10) if hub else 0
    conversations = []
    for i in range(scale.conversations):
        contact = hub_contact if i < hub_share else contacts[rng.randrange(len(contacts))]
        status = rng.choices(statuses, cum_weights=status_cum)[0]
        path = STATUS_PATHS[status]
        created = moment(500, 1)
        stamps: dict[str, datetime] = {}
        at = created
        starts_at = None
        for step in path:
            if step == "idea":
                stamps[step] = created
            elif step == "held":
                at = starts_at + timedelta(minutes=rng.choice((30, 45, 60))) if starts_at else at
                stamps[step] = at
            else:
                at = at + timedelta(days=rng.uniform(0.3, 10))
                stamps[step] = at
                if step == "scheduled":
                    starts_at = at + timedelta(days=rng.uniform(1, 14))
        if status == "scheduled":
            # Half of the scheduled ones fall in the next 14 days (the dashboard's list).
            ahead = rng.uniform(0.1, 14) if rng.random() < 0.5 else rng.uniform(14, 60)
            starts_at = (now + timedelta(days=ahead)).replace(second=0, microsecond=0)
        # Everything that happened must be in the past: shift the whole history back, in order.
        past = [*stamps.values(), *([starts_at] if starts_at and status != "scheduled" else [])]
        latest = max(past)
        if latest > now:
            shift = latest - now + timedelta(hours=rng.uniform(1, 72))
            stamps = {k: v - shift for k, v in stamps.items()}
            created = stamps["idea"]
            if status != "scheduled" and starts_at:
                starts_at -= shift
        last_change = max(stamps.values())
        conversations.append(
            Conversation(
                owner=owner,
                contact=contact,
                status=status,
                starts_at=starts_at,
                time_zone=rng.choice(["UTC", "America/New_York", "Europe/Paris"]),
                planned_minutes=rng.choice([20, 30, 30, 30, 45, 60]),
                medium=rng.choice(["video", "video", "phone", "in_person"]),
                place="https://meet.example/abc" if rng.random() < 0.5 else "",
                notes=rng.choice(SENTENCES) if rng.random() < 0.3 else "",
                created_at=created,
                updated_at=last_change,
                **{f"{s}_at": stamps[s] for s in stamps},
            )
        )
    Conversation.objects.bulk_create(conversations, batch_size=BATCH)
    ConvTargets = Conversation.targets.through
    conv_links = []
    for conv in conversations:
        for t in rng.sample(targets, rng.choice((1, 1, 2))) if targets else []:
            conv_links.append(ConvTargets(conversation_id=conv.pk, target_id=t.pk))
    ConvTargets.objects.bulk_create(conv_links, batch_size=BATCH)
    held_like = [c for c in conversations if c.held_at] or conversations

    # Notes: 60% on contacts, 40% on conversations; the hub gets a long history.
    notes = []
    hub_notes = min(150, scale.notes // 10) if hub else 0
    hub_convs = conversations[:hub_share]
    for i in range(scale.notes):
        created = moment(500)
        if i < hub_notes:
            if hub_convs and i % 3 == 0:
                target = {"conversation": rng.choice(hub_convs)}
            else:
                target = {"contact": hub_contact}
        elif rng.random() < 0.6:
            target = {"contact": contacts[rng.randrange(len(contacts))]}
        else:
            target = {"conversation": conversations[rng.randrange(len(conversations))]}
        text = " ".join(rng.sample(SENTENCES, rng.choice((1, 1, 2, 3))))
        notes.append(Note(owner=owner, text=text, created_at=created, updated_at=created, **target))
    Note.objects.bulk_create(notes, batch_size=BATCH)

    learnings = []
    kinds = ["reality", "positive", "negative", "advice"]
    for _ in range(scale.learnings):
        conv = held_like[rng.randrange(len(held_like))]
        created = max(conv.held_at or conv.created_at, now - timedelta(days=400))
        learnings.append(
            Learning(
                owner=owner,
                conversation=conv,
                kind=rng.choice(kinds),
                text=rng.choice(SENTENCES),
                created_at=created,
                updated_at=created,
            )
        )
    Learning.objects.bulk_create(learnings, batch_size=BATCH)

    followups = []
    for i in range(scale.followups):
        conv = conversations[rng.randrange(len(conversations))] if rng.random() < 0.6 else None
        contact = conv.contact if conv else contacts[rng.randrange(len(contacts))]
        if hub and i < 15:
            contact, conv = hub_contact, None
        # Some overdue, some due this week, most later; a third already done.
        due = today + timedelta(
            days=rng.choice([rng.randrange(-30, 0), rng.randrange(0, 8), rng.randrange(8, 120)])
        )
        done = moment(60) if rng.random() < 0.33 else None
        created = moment(200, 1)
        followups.append(
            FollowUp(
                owner=owner,
                contact=contact,
                conversation=conv,
                due_on=due,
                what=rng.choice(FOLLOWUP_WHATS),
                done_at=done,
                created_at=created,
                updated_at=created,
            )
        )
    FollowUp.objects.bulk_create(followups, batch_size=BATCH)

    tag_counts = Counter(link.tag_id for link in links)
    # A tag of median popularity: the filter is neither trivial nor the whole list.
    ranked = tag_counts.most_common()
    tag_id = ranked[len(ranked) // 2][0] if ranked else tags[0].pk
    conv_for_detail = hub_convs[0] if hub_convs else held_like[0]
    return Built(
        contacts=len(contacts),
        tag_id=tag_id,
        tag_name=next(t.name for t in tags if t.pk == tag_id),
        surname=surnames.most_common(1)[0][0],
        hub_contact_id=hub_contact.pk,
        random_contact_id=contacts[rng.randrange(len(contacts))].pk,
        conversation_id=conv_for_detail.pk,
        counts={
            "organizations": len(orgs),
            "contacts": len(contacts),
            "tags": len(tags),
            "contact tags": len(links),
            "targets": len(targets),
            "conversations": len(conversations),
            "conversation targets": len(conv_links),
            "notes": len(notes),
            "learnings": len(learnings),
            "follow-ups": len(followups),
        },
    )


def build_data(args: argparse.Namespace, meta_path: Path) -> Built:
    """Creates both accounts in one transaction, or reuses them from an earlier --keep run."""
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "coffeechat.settings"
    django.setup()
    from django.contrib.auth.models import User
    from django.db import transaction

    from coffeechat.accounts.services import user_create

    if meta_path.exists() and User.objects.filter(username=USERNAME).exists():
        saved = json.loads(meta_path.read_text())
        if saved.get("scale") == [args.contacts, args.conversations]:
            print(f"Reusing the data in {meta_path.parent} (delete it to rebuild).")
            return Built(**saved["built"])
        raise SystemExit(f"{meta_path.parent} holds data of another scale; use a fresh --keep DIR.")
    if User.objects.exists():
        raise SystemExit("The benchmark database already has users; use a fresh --keep DIR.")

    rng = random.Random(args.seed)
    contacts = args.contacts
    conversations = args.conversations
    big = Scale(
        contacts=contacts,
        organizations=max(1, contacts // 10),
        tags=20,
        targets=60,
        conversations=conversations,
        notes=round(contacts * 2 / 3),
        learnings=conversations,
        followups=round(conversations * 0.6),
    )
    small = Scale(
        contacts=300,
        organizations=40,
        tags=5,
        targets=5,
        conversations=100,
        notes=200,
        learnings=60,
        followups=40,
    )
    started = time.perf_counter()
    with transaction.atomic(), explicit_timestamps():
        bench_user = user_create(username=USERNAME, password=PASSWORD, display_name="Bench Seeker")
        built = build_account(bench_user, big, rng, hub=True)
        other = user_create(username=OTHER_USERNAME, password=PASSWORD + "-other")
        other_built = build_account(other, small, rng, hub=False)
    elapsed = time.perf_counter() - started
    print(f"Built the data in {elapsed:.1f} s:")
    print("  bench: " + ", ".join(f"{v:,} {k}" for k, v in built.counts.items()))
    print("  bench-other: " + ", ".join(f"{v:,} {k}" for k, v in other_built.counts.items()))
    from django.db import connection

    # SQLite: no ANALYZE here; the app gathers statistics itself, as each connection closes
    # (PRAGMA optimize, core/sqlite/base.py), so the server's warm-up requests do it, as a
    # user's first requests would (the build's own connection closes below). PostgreSQL:
    # autovacuum vacuums and analyzes freshly loaded tables within a minute or so in
    # production; VACUUM ANALYZE now stands in for it, so that the figures are not those of the
    # first minute after a bulk load (no statistics, no visibility map).
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    meta = {"scale": [args.contacts, args.conversations], "built": built.__dict__}
    meta_path.write_text(json.dumps(meta, indent=1))
    connection.close()
    return built


# --------------------------------------------------------------------------------------
# Server and HTTP client
# --------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def coffeechat_bin() -> str:
    candidate = Path(sys.executable).parent / "coffeechat"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("coffeechat")
    if not found:
        raise SystemExit("coffeechat console script not found; run `make` or pip install -e .")
    return found


class Client:
    """urllib with a cookie jar: enough of a browser to log in and fetch pages."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(
        self, path: str, data: dict[str, str] | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, str, dict[str, str], bytes, float]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        started = time.perf_counter()
        try:
            with self.opener.open(req, timeout=60) as resp:
                content = resp.read()
                wall = (time.perf_counter() - started) * 1000
                return resp.status, resp.geturl(), dict(resp.headers), content, wall
        except urllib.error.HTTPError as exc:
            content = exc.read()
            wall = (time.perf_counter() - started) * 1000
            return exc.code, exc.geturl(), dict(exc.headers), content, wall

    def login(self) -> None:
        status, _, _, html, _ = self.request("/login/")
        if status != 200:
            raise SystemExit(f"GET /login/ answered {status}")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html) or re.search(
            rb'value="([^"]+)" name="csrfmiddlewaretoken"', html
        )
        if not match:
            raise SystemExit("No csrfmiddlewaretoken in the login page")
        status, url, _, html, _ = self.request(
            "/login/",
            data={
                "username": USERNAME,
                "password": PASSWORD,
                "csrfmiddlewaretoken": match.group(1).decode(),
            },
            headers={"Referer": self.base + "/login/"},
        )
        if status != 200 or urllib.parse.urlparse(url).path.startswith("/login"):
            raise SystemExit(f"Login failed: {status} at {url}")


@dataclass
class Result:
    page: str
    path: str
    server_ms: list[float]
    wall_ms: list[float]
    html_bytes: int

    @staticmethod
    def _p95(values: list[float]) -> float:
        if len(values) < 2:
            return values[0]
        return statistics.quantiles(values, n=20, method="inclusive")[18]

    @property
    def median_server(self) -> float:
        return statistics.median(self.server_ms)

    @property
    def p95_server(self) -> float:
        return self._p95(self.server_ms)

    @property
    def median_wall(self) -> float:
        return statistics.median(self.wall_ms)

    @property
    def html_kb(self) -> float:
        return self.html_bytes / 1024


SERVER_TIMING = re.compile(r"app;dur=([0-9.]+)")


def measure(client: Client, page: str, path: str, requests: int) -> Result:
    server, wall = [], []
    size = 0
    for i in range(WARMUP + requests):
        status, url, headers, content, wall_ms = client.request(path)
        if status != 200:
            raise SystemExit(f"{page}: GET {path} answered {status}")
        if urllib.parse.urlparse(url).path.startswith("/login"):
            raise SystemExit(f"{page}: GET {path} was sent to the login page")
        timing = next((v for k, v in headers.items() if k.lower() == "server-timing"), "")
        found = SERVER_TIMING.search(timing)
        if not found:
            raise SystemExit(f"{page}: no Server-Timing header on {path}")
        if i >= WARMUP:
            server.append(float(found.group(1)))
            wall.append(wall_ms)
            size = len(content)
    return Result(page, path, server, wall, size)


def page_list(built: Built, per_page: int) -> list[tuple[str, str]]:
    last_page = max(1, math.ceil(built.contacts / per_page))
    middle = min(300, last_page)
    added_page = min(100, last_page)
    return [
        ("dashboard", "/"),
        ("contacts, page 1", "/contacts/"),
        (f"contacts, page {middle}", f"/contacts/?page={middle}"),
        (f"contacts, last page ({last_page})", f"/contacts/?page={last_page}"),
        (
            f"contacts, search {built.surname!r}",
            f"/contacts/?q={urllib.parse.quote(built.surname)}",
        ),
        (f"contacts, tag {built.tag_name!r}", f"/contacts/?tag={built.tag_id}"),
        ("contacts, connection alumni", "/contacts/?connection=alumni"),
        ("contacts, sort recent", "/contacts/?sort=recent"),
        (f"contacts, sort added, page {added_page}", f"/contacts/?sort=added&page={added_page}"),
        ("contact detail (busiest)", f"/contacts/{built.hub_contact_id}/"),
        ("contact detail (random)", f"/contacts/{built.random_contact_id}/"),
        ("conversation board", "/conversations/"),
        ("conversation detail", f"/conversations/{built.conversation_id}/"),
    ]


def read_proc_status(pid: int) -> dict[str, int]:
    values = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(("VmHWM:", "VmRSS:")):
                name, rest = line.split(":", 1)
                values[name] = int(rest.split()[0])  # kB
    except OSError:
        pass
    return values


def wait_until_up(proc: subprocess.Popen, base: str, log_path: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"The server exited ({proc.returncode}):\n{tail(log_path)}")
        try:
            with urllib.request.urlopen(base + "/login/", timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise SystemExit(f"The server did not answer within {timeout:.0f} s:\n{tail(log_path)}")


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no server log)"


def die_with_parent() -> None:
    """In the server's process, before exec: ask Linux to send it SIGTERM if this script dies
    without running its cleanup (kill -9). Elsewhere the finally block is the only guard."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


# --------------------------------------------------------------------------------------
# PostgreSQL (optional)
# --------------------------------------------------------------------------------------


def postgres_urls(admin_url: str) -> tuple[str, str]:
    """The admin URL as given and the same server with the throwaway database."""
    parsed = urllib.parse.urlparse(admin_url)
    if parsed.scheme not in ("postgres", "postgresql"):
        raise SystemExit("--database-url must be a postgresql:// URL")
    if parsed.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("--database-url must point at this machine (127.0.0.1)")
    return admin_url, urllib.parse.urlunparse(parsed._replace(path="/" + BENCH_DB))


def postgres_admin(admin_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql)


def postgres_has_db(admin_url: str) -> bool:
    import psycopg

    with psycopg.connect(admin_url, connect_timeout=10) as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]).fetchone()
        return row is not None


def postgres_version(url: str) -> str:
    import psycopg

    with psycopg.connect(url, connect_timeout=10) as conn:
        row = conn.execute("SHOW server_version").fetchone()
        return str(row[0]) if row else "?"


# --------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------


def table(results: list[Result]) -> str:
    rows = [
        "| page | median server ms | p95 server ms | median wall ms | HTML KB |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in results:
        rows.append(
            f"| {r.page} | {r.median_server:.1f} | {r.p95_server:.1f} | {r.median_wall:.1f} "
            f"| {r.html_kb:.1f} |"
        )
    return "\n".join(rows)


def misses(results: list[Result], peak_mb: float | None) -> list[str]:
    out = []
    for r in results:
        if r.page.startswith(TIMED_PAGE_PREFIXES) and r.median_server > TARGET_SERVER_MS:
            out.append(f"{r.page}: median {r.median_server:.1f} ms > {TARGET_SERVER_MS:.0f} ms")
        if r.html_kb > TARGET_HTML_KB:
            out.append(f"{r.page}: HTML {r.html_kb:.1f} KB > {TARGET_HTML_KB:.0f} KB")
    if peak_mb is not None and peak_mb > TARGET_MEMORY_MB:
        out.append(f"server peak memory {peak_mb:.0f} MB > {TARGET_MEMORY_MB:.0f} MB")
    return out


def machine_facts(db_label: str, load_before: tuple[float, float, float]) -> list[str]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = " / ".join(f"{v:.2f}" for v in load_before)
    return [
        f"- cores (nproc): {cores}, CPU: {cpu}",
        f"- load average before the run (1/5/15 min): {load} (other work adds noise)",
        f"- Python {platform.python_version()} on {platform.system()} {platform.release()}",
        f"- SQLite library {sqlite3.sqlite_version}; database under test: {db_label}",
    ]


# --------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contacts", type=int, default=30000)
    parser.add_argument("--conversations", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=30, help="measured requests per page")
    parser.add_argument("--keep", metavar="DIR", help="data folder to keep (and reuse next time)")
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help="a PostgreSQL server on 127.0.0.1 (e.g. postgresql://postgres@127.0.0.1:5432/postgres);"
        f" the benchmark creates the database {BENCH_DB} there and drops it (kept with --keep)",
    )
    parser.add_argument("--seed", type=int, default=20261125)
    args = parser.parse_args(argv)
    load_before = os.getloadavg()
    # Stopping the script (Ctrl+C, or kill) still runs the finally block that stops the server,
    # even when the shell started it in the background with SIGINT ignored.
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    if args.contacts < 10 or args.conversations < 10 or not 1 <= args.requests <= 1000:
        parser.error("use at least 10 contacts and 10 conversations, and 1-1000 requests")

    tmp = None
    if args.keep:
        data_dir = Path(args.keep).expanduser().resolve()
        data_dir.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="coffeechat-bench-")
        data_dir = Path(tmp.name)

    env = os.environ.copy()
    env["COFFEECHAT_DATA_DIR"] = str(data_dir)
    env["COFFEECHAT_LOGIN_THROTTLING"] = "0"
    env["COFFEECHAT_SECURE_COOKIES"] = "0"
    env["COFFEECHAT_DEBUG"] = "0"
    env.pop("COFFEECHAT_TESTING", None)
    env.pop("DATABASE_URL", None)
    pg_admin = None
    reuse_pg = False
    if args.database_url:
        pg_admin, pg_url = postgres_urls(args.database_url)
        env["DATABASE_URL"] = pg_url
        # With --keep the database stays too, and DIR's bench-meta.json says it is built.
        reuse_pg = bool(args.keep) and (data_dir / META_FILE).exists() and postgres_has_db(pg_admin)
        if args.keep and not reuse_pg:
            (data_dir / META_FILE).unlink(missing_ok=True)
    # The in-process data build uses the same settings as the server.
    for name in ("COFFEECHAT_TESTING", "DATABASE_URL"):
        os.environ.pop(name, None)
    os.environ.update(env)

    proc: subprocess.Popen | None = None
    log_file = None
    try:
        if pg_admin and not reuse_pg:
            postgres_admin(pg_admin, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
            postgres_admin(pg_admin, f"CREATE DATABASE {BENCH_DB}")
        subprocess.run(
            [coffeechat_bin(), "migrate", "--verbosity", "0"], env=env, check=True, timeout=600
        )
        built = build_data(args, data_dir / META_FILE)

        from coffeechat.core.views import paginate  # per_page as the app uses it

        per_page = inspect.signature(paginate).parameters["per_page"].default
        pages = page_list(built, per_page)

        port = free_port()
        base = f"http://{HOST}:{port}"
        log_path = data_dir / "bench-server.log"
        log_file = open(log_path, "w")  # noqa: SIM115 (closed in finally)
        proc = subprocess.Popen(
            [coffeechat_bin(), "serve", "--host", HOST, "--port", str(port), "--no-migrate"],
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            preexec_fn=die_with_parent,
        )
        wait_until_up(proc, base, log_path)
        client = Client(base)
        client.login()

        results = []
        for page, path in pages:
            result = measure(client, page, path, args.requests)
            print(
                f"  {page:<40} {result.median_server:7.1f} ms  {result.html_kb:6.1f} KB", flush=True
            )
            results.append(result)
        mem = read_proc_status(proc.pid)
        peak_mb = mem["VmHWM"] / 1024 if "VmHWM" in mem else None
    finally:
        if proc is not None:
            stop(proc)
        if log_file is not None:
            log_file.close()
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001 (Django may not be set up yet)
            pass
        if pg_admin and not args.keep:
            try:
                postgres_admin(pg_admin, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
            except Exception as exc:  # noqa: BLE001
                print(f"Could not drop {BENCH_DB}: {exc}", file=sys.stderr)
        if tmp is not None:
            tmp.cleanup()

    if args.database_url:
        db_label = f"PostgreSQL {postgres_version(pg_admin) if pg_admin else '?'}"
    else:
        db_label = f"SQLite {sqlite3.sqlite_version}"
    print()
    print(
        f"{built.contacts:,} contacts, {args.conversations:,} conversations; "
        f"{WARMUP} warm-up + {args.requests} measured requests per page, one at a time."
    )
    print()
    print(table(results))
    print()
    if peak_mb is not None:
        print(f"Server peak resident memory (VmHWM): {peak_mb:.0f} MB")
    print()
    print("\n".join(machine_facts(db_label, load_before)))
    failed = misses(results, peak_mb)
    print()
    if failed:
        print("Targets missed:")
        print("\n".join(f"- {line}" for line in failed))
        return 1
    print(
        f"All targets met: pages under {TARGET_SERVER_MS:.0f} ms median server time, "
        f"HTML under {TARGET_HTML_KB:.0f} KB, server under {TARGET_MEMORY_MB:.0f} MB."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
