"""The data behind bench/pages.py: a measured account of any size (with the heaviest contact
page, fit ratings and a prep plan), a small second account, or a server's worth of other
accounts of realistic sizes, all written in one transaction.

Why not bulk_create: Django builds a model object per row and sends SQLite an INSERT that
fires the search triggers for each one: 88,739 rows (30,000 contacts, 20,000 notes) took
23.7 s that way, 3,700 rows a second, and 300,000 contacts with a million notes and a million
links would take over ten minutes. This builds 278,480 rows in 10.6 s and 2,767,259 (300,000
contacts) in 125 s on SQLite (docs/benchmarks.md, "Issue 13: growth"). Here rows are
tuples with ids chosen up front (so that no row has to be read back for its id), written with
COPY on PostgreSQL and one executemany per table on SQLite, while the tables' secondary
indexes (and on PostgreSQL their foreign keys and unique constraints) are dropped; they are
created again once the rows are in, which sorts each index once instead of updating it row by
row, and checks every foreign key and unique rule in one pass. SQLite's search index is
filled through the app's own ``search_bulk``, as an import fills it. A column this file does
not fill gets its model field's default, so a field added later does not break the bench.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

PASSWORD = "bench-password-123"
SMALL_USERNAME = "bench-other"

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
    "colleague": ["Worked together at the lab", "Former coworker", "Same internship"],
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
STAMPS = (
    "idea",
    "requested",
    "scheduled",
    "held",
    "thanked",
    "following_up",
    "declined",
    "no_reply",
    "cancelled",
)
SENTENCES = [
    "Spends most of the week on the road visiting clinics in the territory.",
    "Says the first year is mostly learning the product portfolio and compliance rules.",
    "Quota pressure is real but leads are shared generously.",
    "Recommended reading the company's last annual report before any interview.",
    "Moved from a lab bench job into this role after three years.",
    "Offered to introduce me to a colleague in medical affairs.",
    "Remote two days a week; travel the other three.",
    "Hiring usually happens in spring; postings go up in March.",
    "The best part is the autonomy; the worst is the paperwork.",
    "Suggested a certification course that the company pays for later.",
    "Mentioned that curiosity counts for more than specific experience.",
    "Asked me to send my resume only if I want feedback, not as an application.",
    "Talked about the shift to data-driven targeting in the last two years.",
    "Would do it again, but would negotiate the territory more carefully.",
    "Follow up in six weeks to share how my other conversations went.",
]
# The words the search pages look for, each in a known share of the notes (and nowhere else):
# common in about half of them, "formulary" in about 5% (issue 13's figures), rare in one in
# 2,000.
COMMON_WORD, MEDIUM_WORD, RARE_WORD = "team", "formulary", "zanubrutinib"
COMMON_SENTENCES = [
    "The team meets every Monday to plan the week's visits.",
    "Her team hires one or two graduates a year.",
    "Said the team values curiosity over specific experience.",
    "Would introduce me to the hiring manager's team lead.",
]
MEDIUM_SENTENCES = [
    "Getting on a hospital formulary takes a year of meetings.",
    "Explained how the formulary committee decides between two drugs.",
]
RARE_SENTENCES = ["Worked on the zanubrutinib launch before moving to marketing."]
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
FIT_DIMENSIONS = ("motivation", "skills", "interests", "lifestyle", "goals")
FIT_TEXTS = [
    "Matches what I enjoyed most in the lab.",
    "The travel would be hard with my commitments.",
    "Two people said the skills transfer directly.",
    "Pay grows slowly for the first three years.",
    "I light up when I talk about this work.",
]
VERDICTS = ("keep_exploring", "try_it", "pursue", "set_aside")


def _check_vocabulary() -> None:
    """The search words must appear only where placed: no other text may hold them, even as a
    prefix (both databases search by prefix)."""
    searched = (COMMON_WORD, MEDIUM_WORD, RARE_WORD)
    texts = [*SENTENCES, *FOLLOWUP_WHATS, *TITLES, *FIT_TEXTS, *TARGET_NAMES]
    texts += [d for details in CONNECTION_DETAILS.values() for d in details]
    for text in texts:
        for word in text.lower().replace(".", " ").replace(",", " ").split():
            assert not word.startswith(searched), f"{word!r} in {text!r} spoils the search words"


_check_vocabulary()


def zipf_cum(n: int, s: float) -> list[float]:
    """Cumulative Zipf weights for ``random.choices``: rank 1 is the most frequent."""
    total, out = 0.0, []
    for rank in range(1, n + 1):
        total += 1.0 / (rank**s)
        out.append(total)
    return out


def cumulative(weights: Iterable[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


FIRST_CUM = zipf_cum(len(FIRST_NAMES), 0.5)
LAST_CUM = zipf_cum(len(LAST_NAMES), 0.9)
CONN_NAMES = list(CONNECTION_WEIGHTS)
CONN_CUM = cumulative(CONNECTION_WEIGHTS.values())
STATUS_NAMES = list(STATUS_WEIGHTS)
STATUS_CUM = cumulative(STATUS_WEIGHTS.values())


# --------------------------------------------------------------------------------------
# Sizes
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scale:
    contacts: int
    organizations: int
    tags: int
    targets: int
    conversations: int
    notes: int
    learnings: int
    followups: int
    knows: int
    jobs: int
    fit_targets: int = 0

    @classmethod
    def measured(
        cls,
        contacts: int,
        *,
        conversations: int | None = None,
        notes: int | None = None,
        knows: int | None = None,
    ) -> Scale:
        """The measured account. Notes and "knows" links grow as in issue 13's figures (100,000
        notes at 30,000 contacts, a million of each at 300,000); conversations as the bench
        always had them (5,000 at 30,000), targets stay a person's few dozen."""
        conversations = conversations if conversations is not None else max(10, contacts // 6)
        return cls(
            contacts=contacts,
            organizations=max(5, contacts // 10),
            tags=20,
            targets=60,
            conversations=conversations,
            notes=notes if notes is not None else contacts * 10 // 3,
            learnings=conversations,
            followups=round(conversations * 0.6),
            knows=knows if knows is not None else contacts * 10 // 3,
            jobs=contacts * 3 // 10,
            fit_targets=12,
        )

    @classmethod
    def small(cls) -> Scale:
        """The second account beside a measured one, so that every query filters by owner."""
        return cls(300, 40, 5, 5, 100, 200, 60, 40, 300, 30)

    @classmethod
    def server_user(cls, contacts: int) -> Scale:
        """Another account on a shared server: a note and a link per contact, a conversation
        for every twenty."""
        conversations = max(5, contacts // 20)
        return cls(
            contacts=contacts,
            organizations=max(5, contacts // 10),
            tags=10,
            targets=15,
            conversations=conversations,
            notes=contacts,
            learnings=conversations,
            followups=round(conversations * 0.6),
            knows=min(contacts, contacts * (contacts - 1) // 4),
            jobs=contacts // 10,
        )


def server_user_sizes(users: int, total: int, rng: random.Random) -> list[int]:
    """Contacts per account: log-normal (median about 0.6 of the mean: most accounts hold
    hundreds to a few thousand, a few tens of thousands), scaled to ``total`` in all."""
    raw = [rng.lognormvariate(0.0, 1.0) for _ in range(users)]
    factor = total / sum(raw)
    sizes = [max(50, round(r * factor)) for r in raw]
    biggest = max(range(users), key=sizes.__getitem__)
    sizes[biggest] = max(50, sizes[biggest] + total - sum(sizes))
    return sizes


@dataclass
class Built:
    """What the page list needs to know about a measured account."""

    username: str
    contacts: int
    tag_id: int
    tag_name: str
    surname: str
    hub_contact_id: int
    random_contact_id: int
    conversation_id: int
    network_organization_id: int = 0
    prep_conversation_id: int = 0
    counts: dict[str, int] = field(default_factory=dict)


# --------------------------------------------------------------------------------------
# Writing rows
# --------------------------------------------------------------------------------------


class Loader:
    """Writes tuples straight into a model's table, ids chosen here."""

    def __init__(self) -> None:
        from django.db import connection

        self.connection = connection
        self.postgres = connection.vendor == "postgresql"
        self.next_id: dict[str, int] = {}
        self.rows: Counter[str] = Counter()
        self.now = datetime.now(UTC)
        self.today = self.now.date()
        self._plans: dict[tuple[str, tuple[str, ...]], tuple[str, tuple[Any, ...]]] = {}

    # Values: PostgreSQL's COPY takes Python objects; SQLite gets what Django would store.
    def ts(self, value: datetime | None) -> Any:
        if value is None or self.postgres:
            return value
        return str(value.replace(tzinfo=None))  # built in UTC, stored naive as Django does

    def day(self, value: date | None) -> Any:
        if value is None or self.postgres:
            return value
        return value.isoformat()

    def ids(self, model: Any, n: int) -> range:
        table = model._meta.db_table
        if table not in self.next_id:
            from django.db.models import Max

            self.next_id[table] = (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        start = self.next_id[table]
        self.next_id[table] = start + n
        return range(start, start + n)

    def _plan(self, model: Any, columns: tuple[str, ...]) -> tuple[str, tuple[Any, ...]]:
        """The INSERT/COPY statement for ``columns`` plus every other column the model has
        (except the primary key and columns the database fills), with their defaults."""
        key = (model._meta.db_table, columns)
        if key not in self._plans:
            from django.db.models import NOT_PROVIDED

            extra, defaults = [], []
            for f in model._meta.concrete_fields:
                if f.attname in columns or f.primary_key or getattr(f, "generated", False):
                    continue
                if f.db_default is not NOT_PROVIDED:
                    continue
                extra.append(f.column)
                defaults.append(f.get_db_prep_save(f.get_default(), self.connection))
            names = ", ".join(self.connection.ops.quote_name(c) for c in (*columns, *extra))
            table = self.connection.ops.quote_name(model._meta.db_table)
            if self.postgres:
                sql = f"COPY {table} ({names}) FROM STDIN"
            else:
                marks = ", ".join("?" for _ in (*columns, *extra))
                sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"
            self._plans[key] = (sql, tuple(defaults))
        return self._plans[key]

    def write(self, model: Any, columns: tuple[str, ...], rows: Iterable[tuple[Any, ...]]) -> int:
        sql, defaults = self._plan(model, columns)
        table = model._meta.db_table
        count = 0

        def counted() -> Iterator[tuple[Any, ...]]:
            nonlocal count
            if defaults:
                for row in rows:
                    count += 1
                    yield row + defaults
            else:
                for row in rows:
                    count += 1
                    yield row

        raw = self.connection.connection
        if self.postgres:
            with raw.cursor() as cursor, cursor.copy(sql) as copy:
                for row in counted():
                    copy.write_row(row)
        else:
            raw.executemany(sql, counted())
        self.rows[table] += count
        return count


def loaded_models() -> list[Any]:
    """Every table the builder writes to, through tables included."""
    from coffeechat.contacts.models import Contact, JobHistory, Tag
    from coffeechat.conversations.models import Conversation, Learning
    from coffeechat.fit.models import FitLine, Verdict
    from coffeechat.followups.models import FollowUp
    from coffeechat.leads.models import FormalInterview, Lead
    from coffeechat.network.models import Knows
    from coffeechat.notes.models import Note
    from coffeechat.organizations.models import Organization
    from coffeechat.outreach.models import Outreach
    from coffeechat.targets.models import Target

    models = [
        Organization,
        Tag,
        Contact,
        Target,
        Conversation,
        Learning,
        Note,
        FollowUp,
        Knows,
        JobHistory,
        FitLine,
        Verdict,
        Outreach,
        Lead,
        FormalInterview,
    ]
    throughs = [
        Contact.tags.through,
        Conversation.targets.through,
        FitLine.learnings.through,
        FitLine.notes.through,
    ]
    return models + throughs


@contextmanager
def fast_load(loader: Loader, log: Callable[[str], None]) -> Iterator[None]:
    """Inside the build's transaction: the loaded tables' secondary indexes (PostgreSQL: and
    foreign keys and unique constraints) go while rows are written, then come back, each built
    in one pass over the rows (and each rule checked once)."""
    connection = loader.connection
    tables = [m._meta.db_table for m in loaded_models()]
    restore: list[str] = []
    with connection.cursor() as cursor:
        if loader.postgres:
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype "
                "FROM pg_constraint WHERE contype IN ('f', 'u') "
                "AND conrelid = ANY(SELECT to_regclass(t) FROM unnest(%s::text[]) AS t) "
                "ORDER BY contype DESC",  # unique constraints back first, foreign keys after
                [tables],
            )
            constraints = cursor.fetchall()
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
                "FROM pg_index i WHERE i.indrelid = ANY(SELECT to_regclass(t) "
                "FROM unnest(%s::text[]) AS t) AND NOT i.indisprimary AND NOT EXISTS "
                "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid "
                "AND c.conrelid = i.indrelid)",
                [tables],
            )
            indexes = cursor.fetchall()
            for table, name, _, kind in constraints:
                if kind == "f":
                    cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            for table, name, _, kind in constraints:
                if kind == "u":
                    cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            for name, _ in indexes:
                cursor.execute(f"DROP INDEX {name}")
            restore = [definition for _, definition in indexes]
            restore += [
                f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
                for table, name, definition, _ in constraints
            ]
        else:
            marks = ", ".join("%s" for _ in tables)
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                f"AND tbl_name IN ({marks})",
                tables,
            )
            indexes = cursor.fetchall()
            for name, _ in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
            restore = [definition for _, definition in indexes]
    yield
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for statement in restore:
            cursor.execute(statement)
        if loader.postgres:
            from django.core.management.color import no_style

            for statement in connection.ops.sequence_reset_sql(no_style(), loaded_models()):
                cursor.execute(statement)
    log(
        f"  indexes and constraints back ({len(restore)} statements): "
        f"{time.perf_counter() - started:.1f} s"
    )


# --------------------------------------------------------------------------------------
# One account
# --------------------------------------------------------------------------------------


class Notes:
    """Note texts with the search words in known shares; counts what it wrote."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.with_word: Counter[str] = Counter()

    def text(self, index: int) -> str:
        """The text of the ``index``-th note; every 2,000th holds the rare word, so that it is
        in exactly one note in 2,000 at any size from 2,000 notes on."""
        rng = self.rng
        parts = rng.sample(SENTENCES, rng.choice((1, 1, 2, 3)))
        if rng.random() < 0.5:
            parts.insert(rng.randrange(len(parts) + 1), rng.choice(COMMON_SENTENCES))
            self.with_word[COMMON_WORD] += 1
        if rng.random() < 0.05:
            parts.append(rng.choice(MEDIUM_SENTENCES))
            self.with_word[MEDIUM_WORD] += 1
        if index % 2000 == 1999:
            parts.append(rng.choice(RARE_SENTENCES))
            self.with_word[RARE_WORD] += 1
        return " ".join(parts)


def build_account(
    loader: Loader, owner_id: int, username: str, scale: Scale, rng: random.Random, *, hub: bool
) -> Built:
    """Writes one account's rows. With ``hub`` (the measured account), contact #1 gets many
    conversations, notes, introductions and follow-ups (the heaviest contact page), the
    introduction-path page gets an organization where the user knows nobody directly, and a
    dozen targets get fit ratings with their evidence."""
    from coffeechat.contacts.models import Contact, JobHistory, Tag
    from coffeechat.conversations.models import Conversation, Learning
    from coffeechat.followups.models import FollowUp
    from coffeechat.network.models import Knows
    from coffeechat.notes.models import Note
    from coffeechat.organizations.models import Organization, organization_key
    from coffeechat.targets.models import Target

    now, today, ts, day = loader.now, loader.today, loader.ts, loader.day
    uniform, rand, randrange, choice = rng.uniform, rng.random, rng.randrange, rng.choice

    def moment(days_back_max: float, days_back_min: float = 0.0) -> datetime:
        return now - timedelta(days=uniform(days_back_min, days_back_max))

    # Organizations: unique keys, Zipf-sized (a few big employers, a long tail).
    org_rows, org_keys = [], []
    keys: set[str] = set()
    attempts = 0
    while len(org_keys) < scale.organizations and attempts < scale.organizations * 20:
        attempts += 1
        name = f"{choice(ORG_WORDS_A)} {choice(ORG_WORDS_B)}"
        if rand() < 0.5:
            name = f"{name} {choice(ORG_WORDS_B)}"
        name += choice(LEGAL_FORMS)
        key = organization_key(name)
        if key in keys:
            continue
        keys.add(key)
        created = ts(moment(1000, 30))
        website = f"https://www.{key.replace(' ', '')}.example" if rand() < 0.6 else ""
        org_rows.append(
            [owner_id, created, created, name, key, choice(INDUSTRIES), website]
            + [choice(SENTENCES) if rand() < 0.2 else ""]
        )
        org_keys.append(key)
    org_ids = loader.ids(Organization, len(org_rows))
    loader.write(
        Organization,
        ("id", "owner_id", "created_at", "updated_at", "name", "key", "industry", "website")
        + ("notes",),
        ((pk, *row) for pk, row in zip(org_ids, org_rows, strict=True)),
    )
    org_of_key = dict(zip(org_ids, org_keys, strict=True))

    tag_names = TAG_NAMES[: scale.tags]
    tag_ids = loader.ids(Tag, len(tag_names))
    loader.write(
        Tag,
        ("id", "owner_id", "created_at", "updated_at", "name"),
        (
            (pk, owner_id, ts(moment(900, 300)), ts(now), name)
            for pk, name in zip(tag_ids, tag_names, strict=True)
        ),
    )

    # Contacts. Names and employers are drawn for all at once (Zipf: a few common surnames
    # and big employers, a long tail).
    n = scale.contacts
    contact_ids = loader.ids(Contact, n)
    first_id = contact_ids[0]
    firsts = rng.choices(FIRST_NAMES, cum_weights=FIRST_CUM, k=n)
    lasts = rng.choices(LAST_NAMES, cum_weights=LAST_CUM, k=n)
    employers: list[int | None] = list(
        rng.choices(org_ids, cum_weights=zipf_cum(len(org_ids), 0.9), k=n)
    )
    for i in range(n):
        if rand() >= 0.9:
            employers[i] = None
    hows = rng.choices(CONN_NAMES, cum_weights=CONN_CUM, k=n)
    introducers: list[int | None] = [
        first_id + randrange(i) if i and rand() < 0.1 else None for i in range(n)
    ]
    network_org = 0
    if hub:
        for i in rng.sample(range(1, n), min(40, n - 1)):  # introduced by the hub
            introducers[i] = first_id
        # The introduction-path page: an organization of a dozen or so people, none of whom
        # the user knows directly, so that the search walks through other people's links.
        sizes = Counter(e for e in employers if e is not None)
        ranked = sorted(sizes, key=lambda o: (abs(sizes[o] - 12), o))
        network_org = ranked[0]
        for i, employer in enumerate(employers):
            if employer == network_org:
                hows[i] = "cold"
                introducers[i] = None
    last_interaction_days = today.toordinal()

    def contact_rows() -> Iterator[tuple[Any, ...]]:
        for i in range(n):
            first, last, org = firsts[i], lasts[i], employers[i]
            introducer = introducers[i]
            how = "referral" if introducer else hows[i]
            domain = (
                org_of_key[org].replace(" ", "") + ".example"
                if org
                else choice(("gmail.example", "outlook.example", "proton.example"))
            )
            created = ts(moment(1100))
            yield (
                first_id + i,
                owner_id,
                created,
                created,
                first,
                last,
                org,
                choice(TITLES) if rand() < 0.85 else "",
                f"{first}.{last}{i}@{domain}".lower() if rand() < 0.7 else "",
                f"+1 555 {randrange(100, 999)} {randrange(1000, 9999)}" if rand() < 0.3 else "",
                f"https://www.linkedin.com/in/{first}-{last}-{i}".lower() if rand() < 0.5 else "",
                how,
                choice(CONNECTION_DETAILS[hows[i]]),
                introducer,
                " ".join(rng.sample(SENTENCES, 2)) if rand() < 0.25 else "",
                day(date.fromordinal(last_interaction_days - randrange(0, 700)))
                if rand() < 0.4
                else None,
            )

    loader.write(
        Contact,
        ("id", "owner_id", "created_at", "updated_at", "first_name", "last_name")
        + ("organization_id", "title", "email", "phone", "linkedin_url", "how_connected")
        + ("connection_detail", "introduced_by_id", "notes", "last_interaction"),
        contact_rows(),
    )

    def any_contact() -> int:
        return first_id + randrange(n)

    # ~30% of contacts carry 1-3 tags.
    tag_count: Counter[int] = Counter()

    def tag_links() -> Iterator[tuple[int, int]]:
        for i in range(n):
            if rand() < 0.3:
                for tag in rng.sample(tag_ids, min(len(tag_ids), choice((1, 1, 1, 2, 2, 3)))):
                    tag_count[tag] += 1
                    yield (first_id + i, tag)

    links = loader.write(Contact.tags.through, ("contact_id", "tag_id"), tag_links())

    # Past jobs: a share of the contacts worked somewhere else before ("who worked there").
    job_ids = loader.ids(JobHistory, scale.jobs)

    def job_rows() -> Iterator[tuple[Any, ...]]:
        for pk in job_ids:
            ended = today - timedelta(days=randrange(60, 3000))
            started = ended - timedelta(days=randrange(200, 2000))
            created = ts(moment(900))
            yield (
                pk,
                owner_id,
                created,
                created,
                any_contact(),
                choice(org_ids),
                choice(TITLES),
                day(started),
                day(ended),
                "linkedin",
            )

    loader.write(
        JobHistory,
        ("id", "owner_id", "created_at", "updated_at", "contact_id", "organization_id", "title")
        + ("started_on", "ended_on", "source"),
        job_rows(),
    )

    # Targets, scored with LAMP, some tied to an organization.
    target_ids = loader.ids(Target, scale.targets)
    target_rows, active_targets = [], []
    for i, pk in enumerate(target_ids):
        kind = choice(["industry", "organization", "organization", "role"])
        org = choice(org_ids) if kind == "organization" else None
        name = org_of_key[org].title() if org else f"{choice(TARGET_NAMES)} #{i + 1}"
        created = ts(moment(600, 10))
        status = rng.choices(["active", "parked", "done"], weights=[70, 20, 10])[0]
        if status == "active":
            active_targets.append(pk)
        target_rows.append(
            (pk, owner_id, created, created, kind, name, org, rand() < 0.4, randrange(0, 4))
            + (randrange(1, 4), choice(SENTENCES), status)
        )
    loader.write(
        Target,
        ("id", "owner_id", "created_at", "updated_at", "kind", "name", "organization_id")
        + ("advocacy", "motivation", "posting", "why", "status"),
        target_rows,
    )

    # Conversations across every status, with a plausible stamp for each step taken.
    conv_ids = loader.ids(Conversation, scale.conversations)
    hub_share = min(25, scale.conversations // 10) if hub else 0
    conv_contact: list[int] = []
    conv_held: list[datetime | None] = []
    conv_created: list[datetime] = []
    conv_status: list[str] = []
    conv_stamps: list[dict[str, datetime]] = []

    def conversation_rows() -> Iterator[tuple[Any, ...]]:
        statuses = rng.choices(STATUS_NAMES, cum_weights=STATUS_CUM, k=len(conv_ids))
        for i, pk in enumerate(conv_ids):
            contact = first_id if i < hub_share else any_contact()
            status = statuses[i]
            created = moment(500, 1)
            stamps: dict[str, datetime] = {}
            at = created
            starts_at = None
            for step in STATUS_PATHS[status]:
                if step == "idea":
                    stamps[step] = created
                elif step == "held":
                    at = starts_at + timedelta(minutes=choice((30, 45, 60))) if starts_at else at
                    stamps[step] = at
                else:
                    at = at + timedelta(days=uniform(0.3, 10))
                    stamps[step] = at
                    if step == "scheduled":
                        starts_at = at + timedelta(days=uniform(1, 14))
            if status == "scheduled":
                # Half of the scheduled ones fall in the next 14 days (the dashboard's list).
                ahead = uniform(0.1, 14) if rand() < 0.5 else uniform(14, 60)
                starts_at = (now + timedelta(days=ahead)).replace(second=0, microsecond=0)
            # Everything that happened is in the past: shift the whole history back, in order.
            past = [*stamps.values(), *([starts_at] if starts_at and status != "scheduled" else [])]
            latest = max(past)
            if latest > now:
                shift = latest - now + timedelta(hours=uniform(1, 72))
                stamps = {k: v - shift for k, v in stamps.items()}
                created = stamps["idea"]
                if status != "scheduled" and starts_at:
                    starts_at -= shift
            conv_contact.append(contact)
            conv_held.append(stamps.get("held"))
            conv_created.append(created)
            conv_status.append(status)
            conv_stamps.append(stamps)
            yield (
                pk,
                owner_id,
                ts(created),
                ts(max(stamps.values())),
                contact,
                status,
                *(ts(stamps.get(s)) for s in STAMPS),
                ts(starts_at),
                choice(("UTC", "America/New_York", "Europe/Paris")),
                choice((20, 30, 30, 30, 45, 60)),
                choice(("video", "video", "phone", "in_person")),
                "https://meet.example/abc" if rand() < 0.5 else "",
                choice(SENTENCES) if rand() < 0.3 else "",
            )

    loader.write(
        Conversation,
        ("id", "owner_id", "created_at", "updated_at", "contact_id", "status")
        + tuple(f"{s}_at" for s in STAMPS)
        + ("starts_at", "time_zone", "planned_minutes", "medium", "place", "notes"),
        conversation_rows(),
    )
    targets_of: dict[int, list[int]] = {}
    for pk in conv_ids:
        targets_of[pk] = rng.sample(target_ids, min(len(target_ids), choice((1, 1, 2))))
    loader.write(
        Conversation.targets.through,
        ("conversation_id", "target_id"),
        ((conv, t) for conv, ts_ in targets_of.items() for t in ts_),
    )
    held = [i for i, h in enumerate(conv_held) if h] or list(range(len(conv_ids)))

    # Notes: 60% on contacts, 40% on conversations; the hub gets a long history.
    note_ids = loader.ids(Note, scale.notes)
    hub_notes = min(150, scale.notes // 10) if hub else 0
    texts = Notes(rng)
    conversation_notes: dict[int, list[int]] = {}  # target -> notes on its conversations

    def note_rows() -> Iterator[tuple[Any, ...]]:
        for i, pk in enumerate(note_ids):
            contact = conversation = None
            if i < hub_notes:
                if hub_share and i % 3 == 0:
                    conversation = conv_ids[randrange(hub_share)]
                else:
                    contact = first_id
            elif rand() < 0.6:
                contact = any_contact()
            else:
                conversation = conv_ids[randrange(len(conv_ids))]
            if conversation and hub:
                for target in targets_of[conversation]:
                    kept = conversation_notes.setdefault(target, [])
                    if len(kept) < 20:
                        kept.append(pk)
            created = ts(moment(500))
            yield (pk, owner_id, created, created, contact, conversation, texts.text(i))

    loader.write(
        Note,
        ("id", "owner_id", "created_at", "updated_at", "contact_id", "conversation_id", "text"),
        note_rows(),
    )

    learning_ids = loader.ids(Learning, scale.learnings)
    learning_conv: list[int] = []

    def learning_rows() -> Iterator[tuple[Any, ...]]:
        floor = now - timedelta(days=400)
        for pk in learning_ids:
            i = held[randrange(len(held))]
            learning_conv.append(conv_ids[i])
            created = ts(max(conv_held[i] or conv_created[i], floor))
            kind = choice(("reality", "positive", "negative", "advice"))
            yield (pk, owner_id, created, created, conv_ids[i], kind, choice(SENTENCES))

    loader.write(
        Learning,
        ("id", "owner_id", "created_at", "updated_at", "conversation_id", "kind", "text"),
        learning_rows(),
    )

    followup_ids = loader.ids(FollowUp, scale.followups)

    def followup_rows() -> Iterator[tuple[Any, ...]]:
        for i, pk in enumerate(followup_ids):
            if rand() < 0.6:
                c = randrange(len(conv_ids))
                conversation, contact = conv_ids[c], conv_contact[c]
            else:
                conversation, contact = None, any_contact()
            if hub and i < 15:
                contact, conversation = first_id, None
            # Some overdue, some due this week, most later; a third already done.
            due = today + timedelta(
                days=choice([randrange(-30, 0), randrange(0, 8), randrange(8, 120)])
            )
            done = ts(moment(60)) if rand() < 0.33 else None
            created = ts(moment(200, 1))
            what = choice(FOLLOWUP_WHATS)
            yield (pk, owner_id, created, created, contact, conversation, day(due), done, what)

    loader.write(
        FollowUp,
        ("id", "owner_id", "created_at", "updated_at", "contact_id", "conversation_id")
        + ("due_on", "done_at", "what"),
        followup_rows(),
    )

    # "Knows" links between the user's contacts, one row per pair whichever way round.
    knows_ids = loader.ids(Knows, scale.knows)
    pairs: set[tuple[int, int]] = set()
    stamp = ts(moment(300))

    def knows_rows() -> Iterator[tuple[Any, ...]]:
        for pk in knows_ids:
            while True:
                a, b = any_contact(), any_contact()
                pair = (a, b) if a < b else (b, a)
                if a != b and pair not in pairs:
                    break
            pairs.add(pair)
            yield (pk, owner_id, stamp, stamp, a, b, "worked together" if rand() < 0.3 else "")

    loader.write(
        Knows,
        ("id", "owner_id", "created_at", "updated_at", "contact_id", "other_id", "how"),
        knows_rows(),
    )
    pairs.clear()

    funnel_counts = _funnel(
        loader, owner_id, rng, conv_ids, conv_contact, conv_stamps, targets_of, employers, first_id
    )

    fit_lines = verdicts = 0
    if hub and scale.fit_targets:
        fit_lines, verdicts = _fit(
            loader,
            owner_id,
            rng,
            active_targets[: scale.fit_targets],
            conversation_notes,
            learning_ids,
            learning_conv,
            targets_of,
        )

    ranked = tag_count.most_common()
    # A tag of median popularity: the filter is neither trivial nor the whole list.
    tag_id = ranked[len(ranked) // 2][0] if ranked else tag_ids[0]
    surname = Counter(lasts).most_common(1)[0][0]

    # The conversation detail page shows a held conversation with the hub, the prep page one
    # still to come, so that every size measures the same kind of page (the statuses are drawn
    # at random; the first of the hub's conversations with the wanted status is taken).
    def hub_conversation(*wanted: str) -> int:
        for i in range(hub_share):
            if conv_status[i] in wanted:
                return conv_ids[i]
        return conv_ids[0] if hub_share else conv_ids[held[0]]

    detail = hub_conversation("held", "thanked", "following_up")
    upcoming = hub_conversation("scheduled", "requested")
    return Built(
        username=username,
        contacts=n,
        tag_id=tag_id,
        tag_name=tag_names[tag_ids.index(tag_id)],
        surname=surname,
        hub_contact_id=first_id,
        random_contact_id=any_contact(),
        conversation_id=detail,
        network_organization_id=network_org,
        prep_conversation_id=upcoming,
        counts={
            "organizations": len(org_ids),
            "contacts": n,
            "tags": len(tag_ids),
            "contact tags": links,
            "past jobs": len(job_ids),
            "targets": len(target_ids),
            "conversations": len(conv_ids),
            "notes": len(note_ids),
            f"notes with '{COMMON_WORD}'": texts.with_word[COMMON_WORD],
            f"notes with '{MEDIUM_WORD}'": texts.with_word[MEDIUM_WORD],
            f"notes with '{RARE_WORD}'": texts.with_word[RARE_WORD],
            "learnings": len(learning_ids),
            "follow-ups": len(followup_ids),
            "knows links": len(knows_ids),
            "fit lines": fit_lines,
            "verdicts": verdicts,
            **funnel_counts,
        },
    )


def _fit(
    loader: Loader,
    owner_id: int,
    rng: random.Random,
    targets: list[int],
    conversation_notes: dict[int, list[int]],
    learning_ids: range,
    learning_conv: list[int],
    targets_of: dict[int, list[int]],
) -> tuple[int, int]:
    """Fit ratings on a dozen active targets (five dimensions, strengths and weaknesses), each
    line citing learnings and notes from the target's own conversations; a verdict on half."""
    from coffeechat.fit.models import FitLine, Verdict

    ts, now = loader.ts, loader.now
    learnings_of: dict[int, list[int]] = {}
    for pk, conv in zip(learning_ids, learning_conv, strict=True):
        for target in targets_of[conv]:
            kept = learnings_of.setdefault(target, [])
            if len(kept) < 20:
                kept.append(pk)
    kinds: list[tuple[int, str, int | None]] = []
    for target in targets:
        kinds += [(target, kind, rng.randint(1, 5)) for kind in FIT_DIMENSIONS]
        kinds += [(target, "strength", None) for _ in range(rng.randint(1, 3))]
        kinds += [(target, "weakness", None) for _ in range(rng.randint(0, 2))]
    line_ids = loader.ids(FitLine, len(kinds))
    created = ts(now - timedelta(days=20))
    loader.write(
        FitLine,
        ("id", "owner_id", "created_at", "updated_at", "target_id", "kind", "rating", "text"),
        (
            (pk, owner_id, created, created, target, kind, rating, rng.choice(FIT_TEXTS))
            for pk, (target, kind, rating) in zip(line_ids, kinds, strict=True)
        ),
    )
    cite_learnings, cite_notes = [], []
    for pk, (target, _, _) in zip(line_ids, kinds, strict=True):
        heard = learnings_of.get(target, [])
        written = conversation_notes.get(target, [])
        cite_learnings += [(pk, x) for x in rng.sample(heard, min(len(heard), rng.randint(0, 3)))]
        cite_notes += [(pk, x) for x in rng.sample(written, min(len(written), rng.randint(0, 2)))]
    loader.write(FitLine.learnings.through, ("fitline_id", "learning_id"), cite_learnings)
    loader.write(FitLine.notes.through, ("fitline_id", "note_id"), cite_notes)
    judged = targets[::2]
    verdict_ids = loader.ids(Verdict, len(judged))
    loader.write(
        Verdict,
        ("id", "owner_id", "created_at", "updated_at", "target_id", "verdict", "proposed")
        + ("note", "decided_on"),
        (
            (pk, owner_id, created, created, target, rng.choice(VERDICTS), rng.choice(VERDICTS))
            + ("Decided after the third conversation.", loader.day(loader.today))
            for pk, target in zip(verdict_ids, judged, strict=True)
        ),
    )
    return len(kinds), len(judged)


# --------------------------------------------------------------------------------------
# A whole database
# --------------------------------------------------------------------------------------


# What the conversations led to: the requests that asked for them (with the replies), and one
# lead per 20 conversations, most from a held conversation, across every status, with 1-3
# formal interview rounds for those that reached the interviews.
REQUEST_KIND_WEIGHTS = {
    "request_email": 55,
    "request_linkedin_note": 20,
    "request_linkedin_message": 15,
    "second_contact": 10,
}
LEAD_STATUS_WEIGHTS = {
    "heard": 30,
    "applied": 20,
    "interviewing": 15,
    "offer": 4,
    "accepted": 4,
    "declined": 4,
    "closed": 23,
}
LEAD_PATHS = {
    "heard": ["heard"],
    "applied": ["heard", "applied"],
    "interviewing": ["heard", "applied", "interviewing"],
    "offer": ["heard", "applied", "interviewing", "offer"],
    "accepted": ["heard", "applied", "interviewing", "offer", "accepted"],
    "declined": ["heard", "applied", "interviewing", "offer", "declined"],
    "closed": ["heard", "applied", "closed"],
}
LEAD_ROLES = [
    "Associate sales representative",
    "Clinical research coordinator",
    "Medical science liaison",
    "Territory manager",
    "Research associate II",
    "Product specialist",
]
ROUND_KINDS = ["phone_screen", "video", "panel", "on_site", "case", "recruiter", "headhunter"]


def _funnel(
    loader: Loader,
    owner_id: int,
    rng: random.Random,
    conv_ids: range,
    conv_contact: list[int],
    conv_stamps: list[dict[str, datetime]],
    targets_of: dict[int, list[int]],
    employers: list[int | None],
    first_contact_id: int,
) -> dict[str, int]:
    from coffeechat.leads.models import FormalInterview, Lead
    from coffeechat.outreach.models import Outreach

    now, today, ts, day = loader.now, loader.today, loader.ts, loader.day
    kinds = rng.choices(
        list(REQUEST_KIND_WEIGHTS), weights=list(REQUEST_KIND_WEIGHTS.values()), k=len(conv_ids)
    )
    asked = [i for i, stamps in enumerate(conv_stamps) if "requested" in stamps]
    outreach_ids = loader.ids(Outreach, len(asked))

    def outreach_rows() -> Iterator[tuple[Any, ...]]:
        for pk, i in zip(outreach_ids, asked, strict=True):
            stamps = conv_stamps[i]
            sent = stamps["requested"]
            answered = stamps.get("scheduled") or stamps.get("declined")
            kind = kinds[i]
            channel = {
                "request_linkedin_note": "linkedin_note",
                "request_linkedin_message": "linkedin_message",
            }.get(kind, "email" if rng.random() < 0.9 else rng.choice(("phone", "other")))
            yield (
                pk,
                owner_id,
                ts(sent),
                ts(answered or sent),
                conv_ids[i],
                conv_contact[i],
                kind,
                channel,
                day(sent.date()),
                day(answered.date() if answered else None),
            )

    loader.write(
        Outreach,
        ("id", "owner_id", "created_at", "updated_at", "conversation_id", "contact_id", "kind")
        + ("channel", "sent_on", "replied_on"),
        outreach_rows(),
    )

    held = [i for i, stamps in enumerate(conv_stamps) if "held" in stamps]
    count = len(conv_ids) // 20
    lead_ids = loader.ids(Lead, count)
    statuses = rng.choices(
        list(LEAD_STATUS_WEIGHTS), weights=list(LEAD_STATUS_WEIGHTS.values()), k=count
    )
    lead_rounds: list[tuple[int, date, int]] = []

    def lead_rows() -> Iterator[tuple[Any, ...]]:
        for pk, status in zip(lead_ids, statuses, strict=True):
            # Four in five came from a held conversation (credited); the rest from a contact.
            conversation = contact = None
            start = now - timedelta(days=rng.uniform(5, 400))
            if held and rng.random() < 0.8:
                i = rng.choice(held)
                conversation, contact = conv_ids[i], conv_contact[i]
                start = conv_stamps[i]["held"] + timedelta(days=rng.uniform(0, 20))
            elif rng.random() < 0.5:
                contact = first_contact_id + rng.randrange(len(employers))
            stamps: dict[str, date] = {}
            at = start.date()
            for step in LEAD_PATHS[status]:
                if step != "heard":
                    at += timedelta(days=rng.randrange(2, 25))
                stamps[step] = at
            # Everything that happened is in the past: shift the whole history back.
            late = max(stamps.values()) - today
            if late.days > 0:
                stamps = {k: v - late - timedelta(days=1) for k, v in stamps.items()}
            target = rng.choice(targets_of[conversation]) if conversation else None
            org = employers[contact - first_contact_id] if contact else None
            if "interviewing" in stamps or (status == "closed" and rng.random() < 0.3):
                lead_rounds.append(
                    (pk, stamps.get("interviewing", stamps["applied"]), rng.choice((1, 2, 3)))
                )
            created = ts(datetime.combine(stamps["heard"], datetime.min.time(), UTC))
            yield (
                pk,
                owner_id,
                created,
                ts(now),
                rng.choice(LEAD_ROLES),
                org,
                conversation,
                contact,
                target,
                status,
                *(day(stamps.get(s)) for s in LEAD_STEPS),
            )

    loader.write(
        Lead,
        ("id", "owner_id", "created_at", "updated_at", "role", "organization_id")
        + ("source_conversation_id", "source_contact_id", "target_id", "status")
        + tuple(f"{s}_on" for s in LEAD_STEPS),
        lead_rows(),
    )
    round_ids = loader.ids(FormalInterview, sum(n for _, _, n in lead_rounds))

    def round_rows() -> Iterator[tuple[Any, ...]]:
        ids = iter(round_ids)
        for lead, first_day, n in lead_rounds:
            at = datetime.combine(first_day, datetime.min.time(), UTC) + timedelta(hours=15)
            for index in range(n):
                at += timedelta(days=rng.randrange(0, 12))
                outcome = (
                    "next_round"
                    if index < n - 1
                    else rng.choice(("pending", "offer", "not_moved_forward", "withdrew"))
                )
                yield (
                    next(ids),
                    owner_id,
                    ts(at - timedelta(days=5)),
                    ts(at),
                    lead,
                    rng.choice(ROUND_KINDS),
                    ts(at),
                    "UTC",
                    rng.choice((30, 45, 60)),
                    outcome,
                )

    rounds = loader.write(
        FormalInterview,
        ("id", "owner_id", "created_at", "updated_at", "lead_id", "kind", "starts_at")
        + ("time_zone", "minutes", "outcome"),
        round_rows(),
    )
    return {"requests": len(asked), "leads": count, "formal interview rounds": rounds}


LEAD_STEPS = ("heard", "applied", "interviewing", "offer", "accepted", "declined", "closed")


@dataclass(frozen=True)
class Plan:
    """What one database holds: measured accounts of the given sizes, and beside them either
    the small second account or ``server_users`` other accounts holding ``server_contacts``."""

    measured: tuple[int, ...]
    conversations: int | None = None
    notes: int | None = None
    knows: int | None = None
    server_users: int = 0
    server_contacts: int = 0
    seed: int = 20261125

    def username(self, contacts: int) -> str:
        return f"bench-{contacts}"

    def spec(self) -> dict[str, Any]:
        """Compared with a kept folder's record: the same spec means the same rows."""
        return {"version": 3, **self.__dict__, "measured": list(self.measured)}


@dataclass
class Report:
    built: dict[int, Built]
    seconds: float
    rows: dict[str, int]
    server_sizes: list[int] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)


def _quick_user(username: str) -> Any:
    """An account that never logs in: created by the app's service, its password hashed with
    a cheap hasher (Argon2 costs 0.1-0.3 s and 100 MiB a time, minutes for 500 accounts)."""
    from django.test import override_settings

    from coffeechat.accounts.services import user_create

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        return user_create(username=username, password=PASSWORD + "-" + username)


def build(plan: Plan, log: Callable[[str], None]) -> Report:
    """Creates every account of ``plan`` in one transaction, into an empty, migrated database."""
    from django.db import connection, transaction

    from coffeechat.accounts.services import user_create
    from coffeechat.conversations.models import Conversation
    from coffeechat.prep.services import prep_plan_generate
    from coffeechat.search.services import search_bulk

    rng = random.Random(plan.seed)
    report = Report(built={}, seconds=0.0, rows={})
    started = time.perf_counter()

    def step(message: str) -> None:
        line = f"[{time.perf_counter() - started:7.1f} s] {message}"
        report.steps.append(line)
        log(line)

    # No SQLite pragmas for the build: synchronous=OFF, a 256 MB page cache and temp_store
    # in memory made no measurable difference (30,000 contacts: 6.0-8.4 s with them, 6.1-6.5
    # s without): one transaction syncs once, and the indexes are built after the rows.
    with transaction.atomic():
        loader = Loader()
        with fast_load(loader, step):
            step("indexes dropped; writing rows")
            if plan.server_users:
                sizes = server_user_sizes(plan.server_users, plan.server_contacts, rng)
                report.server_sizes = sizes
                done = 0
                for index, size in enumerate(sizes):
                    user = _quick_user(f"server-{index + 1:04d}")
                    with search_bulk(owner_id=user.pk, since=None):
                        build_account(
                            loader, user.pk, user.username, Scale.server_user(size), rng, hub=False
                        )
                    done += size
                    if (index + 1) % max(1, plan.server_users // 10) == 0:
                        rows = sum(loader.rows.values())
                        step(
                            f"{index + 1} other accounts, {done:,} contacts, {rows:,} rows "
                            f"({rows / (time.perf_counter() - started):,.0f} rows/s)"
                        )
            else:
                user = _quick_user(SMALL_USERNAME)
                with search_bulk(owner_id=user.pk, since=None):
                    build_account(loader, user.pk, user.username, Scale.small(), rng, hub=False)
            for contacts in plan.measured:
                name = plan.username(contacts)
                user = user_create(username=name, password=PASSWORD, display_name="Bench Seeker")
                scale = Scale.measured(
                    contacts, conversations=plan.conversations, notes=plan.notes, knows=plan.knows
                )
                before = sum(loader.rows.values())
                with search_bulk(owner_id=user.pk, since=None):
                    report.built[contacts] = build_account(
                        loader, user.pk, name, scale, rng, hub=True
                    )
                step(f"{name}: {sum(loader.rows.values()) - before:,} rows")
        for built in report.built.values():
            conversation = Conversation.objects.get(pk=built.prep_conversation_id)
            prep_plan_generate(conversation=conversation, minutes=30)
        step("prep plans generated; committing")
    if connection.vendor == "postgresql":
        # Autovacuum vacuums and analyzes freshly loaded tables within minutes in production;
        # this stands in for it, so that the figures are not those of the first minute after
        # a bulk load (no statistics, no visibility map).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        step("VACUUM ANALYZE done")
    else:
        # SQLite: the statistics a bulk writer of the app gathers (an import or a restore
        # calls the same hook on the tables it filled), then the WAL is folded into the
        # database before the server starts.
        from coffeechat.core.bulk import statistics_refresh

        statistics_refresh(tables=sorted(loader.rows))
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        step("WAL checkpointed")
    report.seconds = time.perf_counter() - started
    report.rows = dict(loader.rows)
    connection.close()
    return report


# --------------------------------------------------------------------------------------
# Command line: bench/pages.py runs this in a process of its own for each database, with
# COFFEECHAT_DATA_DIR (and DATABASE_URL) set, so that one pages.py run can build several.
# --------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    import argparse
    import inspect
    import json
    import os
    from pathlib import Path

    parser = argparse.ArgumentParser(description="Build bench/pages.py's data (run by it).")
    parser.add_argument("--plan", required=True, help="the Plan's fields as JSON")
    parser.add_argument("--meta", required=True, help="where to write what was built (JSON)")
    args = parser.parse_args(argv)
    fields = json.loads(args.plan)
    fields["measured"] = tuple(fields["measured"])
    plan = Plan(**fields)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coffeechat.settings")
    import django

    django.setup()
    from django.contrib.auth.models import User

    from coffeechat.core.views import paginate

    if User.objects.exists():
        print("The benchmark database already has users; use a fresh --keep DIR.")
        return 2
    report = build(plan, lambda line: print(line, flush=True))
    meta = {
        "spec": plan.spec(),
        "built": {str(size): built.__dict__ for size, built in report.built.items()},
        "per_page": inspect.signature(paginate).parameters["per_page"].default,
        "build": {
            "seconds": round(report.seconds, 1),
            "rows": report.rows,
            "steps": report.steps,
            "server_sizes": report.server_sizes,
        },
    }
    Path(args.meta).write_text(json.dumps(meta, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
