"""Who the user knows where, how to be introduced, and the tree of referrals.

Introduction paths are a breadth-first search that starts at the people at the target
organization and walks backwards over "knows" links and introductions until it reaches someone
the user knows directly. Each level is a few indexed queries over the frontier only, so a graph
of a million links is never loaded whole.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When

from coffeechat.contacts.models import Contact, JobHistory
from coffeechat.network.models import Knows
from coffeechat.organizations.models import Organization
from coffeechat.targets.models import Target

# The warmer the first hop, the better the path: a friend asks more easily than an online tie.
WARMTH = {
    Contact.Connection.FRIEND: 0,
    Contact.Connection.COLLEAGUE: 1,
    Contact.Connection.ALUMNI: 2,
    Contact.Connection.AFFINITY: 3,
    Contact.Connection.REFERRAL: 4,
    Contact.Connection.EVENT: 5,
    Contact.Connection.ADDRESS_BOOK: 6,
    Contact.Connection.ONLINE: 7,
}
MAX_DEPTH = 5
CHUNK = 5000


# ---------------------------------------------------------------------------------------------
# Who do I know there?
# ---------------------------------------------------------------------------------------------


# "There now" shows the warmest people first and this many of them; the page says how many
# there are in all and links to the full list.
SHOWN_NOW = 50
FORMER_READ = 300


@dataclass
class Known:
    organizations: list[Organization]
    current: list[Contact]
    former: list[tuple[Contact, JobHistory]]
    current_total: int = 0
    # How many people worked there before, of the latest FORMER_READ past jobs; the page
    # shows the SHOWN_NOW most recent.
    former_total: int = 0

    @property
    def more(self) -> int:
        return self.current_total - len(self.current)

    @property
    def former_more(self) -> int:
        return self.former_total - len(self.former)


def organizations_for_target(*, target: Target) -> list[Organization]:
    if target.organization_id:
        return [target.organization]  # type: ignore[list-item]
    if target.kind == Target.Kind.INDUSTRY:
        return list(
            Organization.objects.filter(owner_id=target.owner_id, industry__iexact=target.name)
        )
    return []


def who_i_know(*, user: User, organizations: Iterable[Organization], role: str = "") -> Known:
    """People there now, and people who worked there before (from their job history)."""
    organizations = list(organizations)
    current_q = Q(organization__in=organizations)
    if role:
        current_q |= Q(title__icontains=role)
    current: list[Contact] = []
    current_total = 0
    if organizations or role:
        there = Contact.objects.filter(owner=user).filter(current_q)
        warmth = Case(
            *(When(how_connected=how, then=Value(rank)) for how, rank in WARMTH.items()),
            default=Value(len(WARMTH)),
        )
        current = list(
            there.select_related("organization").order_by(
                warmth,
                F("last_interaction").desc(nulls_last=True),
                "last_name",
                "first_name",
                "id",
            )[:SHOWN_NOW]
        )
        current_total = len(current) if len(current) < SHOWN_NOW else there.count()
    here = {c.pk for c in current}
    former: list[tuple[Contact, JobHistory]] = []
    jobs = (
        JobHistory.objects.filter(owner=user, organization__in=organizations)
        .select_related("contact__organization", "organization")
        .order_by("-ended_on", "-id")[:FORMER_READ]
    )
    for job in jobs:
        if job.contact_id not in here:
            here.add(job.contact_id)
            former.append((job.contact, job))
    return Known(organizations, current, former[:SHOWN_NOW], current_total, len(former))


# ---------------------------------------------------------------------------------------------
# Introduction paths
# ---------------------------------------------------------------------------------------------


@dataclass
class Step:
    contact: Contact
    link: str  # how this person connects to the one before: "you know", "introduced", "knows"


@dataclass
class Path:
    steps: list[Step] = field(default_factory=list)

    @property
    def length(self) -> int:
        return len(self.steps)

    @property
    def target(self) -> Contact:
        return self.steps[-1].contact


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _neighbours(user: User, frontier: list[int]) -> list[tuple[int, int, str]]:
    """(from, to, link) for every edge touching the frontier, in both directions."""
    edges: list[tuple[int, int, str]] = []
    knows = Knows.objects.filter(owner=user)
    contacts = Contact.objects.filter(owner=user)
    for ids in _chunks(frontier):
        edges += [
            (a, b, "knows")
            for a, b in knows.filter(contact_id__in=ids).values_list("contact_id", "other_id")
        ]
        edges += [
            (b, a, "knows")
            for a, b in knows.filter(other_id__in=ids).values_list("contact_id", "other_id")
        ]
        # An introducer knows the person they introduced, and the other way round.
        edges += [
            (a, b, "introduced")
            for a, b in contacts.filter(pk__in=ids, introduced_by__isnull=False).values_list(
                "id", "introduced_by_id"
            )
        ]
        edges += [
            (b, a, "introduced")
            for a, b in contacts.filter(introduced_by_id__in=ids).values_list(
                "id", "introduced_by_id"
            )
        ]
    return edges


def _direct(user: User, ids: list[int]) -> dict[int, tuple[int, object]]:
    """Which of ``ids`` the user knows directly (anyone not marked cold), with a sort key."""
    found: dict[int, tuple[int, object]] = {}
    warmth: dict[str, int] = {str(k): v for k, v in WARMTH.items()}
    rows = Contact.objects.filter(owner=user).exclude(how_connected=Contact.Connection.COLD)
    for chunk in _chunks(ids):
        for pk, how, last in rows.filter(pk__in=chunk).values_list(
            "id", "how_connected", "last_interaction"
        ):
            found[pk] = (warmth.get(how, 9), -(last.toordinal() if last else 0))
    return found


def introduction_paths(*, user: User, organization: Organization, limit: int = 5) -> list[Path]:
    """The shortest chains from the user to anyone at ``organization``, best first: shortest,
    then the warmest first contact, then the most recent interaction with them."""
    targets = list(
        Contact.objects.filter(owner=user, organization=organization).values_list("id", flat=True)
    )
    if not targets:
        return []
    parent: dict[int, tuple[int, str] | None] = {pk: None for pk in targets}
    frontier = targets
    ends: dict[int, tuple[int, object]] = {}
    for _ in range(MAX_DEPTH):
        ends = _direct(user, frontier)
        if ends or not frontier:
            break
        nxt = []
        for a, b, link in _neighbours(user, frontier):
            # Walking backwards: b leads to a, which leads on towards the organization.
            if b not in parent:
                parent[b] = (a, link)
                nxt.append(b)
        frontier = nxt
    if not ends:
        return []
    best = sorted(ends, key=lambda pk: ends[pk])[: limit * 3]
    chains: list[list[tuple[int, str]]] = []
    for start in best:
        chain = [(start, "you know")]
        current = start
        while parent[current] is not None:
            current, link = parent[current]  # type: ignore[misc]
            chain.append((current, link))
        chains.append(chain)
    people = (
        Contact.objects.filter(owner=user)
        .select_related("organization")
        .in_bulk({pk for chain in chains for pk, _ in chain})
    )
    paths = [Path([Step(people[pk], link) for pk, link in chain]) for chain in chains]
    # One path per person at the organization keeps the list varied.
    seen: set[int] = set()
    result = []
    for path in paths:
        if path.target.pk not in seen:
            seen.add(path.target.pk)
            result.append(path)
    return result[:limit]


# ---------------------------------------------------------------------------------------------
# The referral tree, drawn on the server
# ---------------------------------------------------------------------------------------------


@dataclass
class Node:
    contact_id: int
    name: str
    x: int
    y: int


@dataclass
class Tree:
    nodes: list[Node]
    edges: list[tuple[int, int, int, int]]
    width: int
    height: int
    # Everyone in the tree, drawn or not, counted up to TREE_MAX + 1: the page says how many
    # more "show all" would draw, or that there are more than it draws.
    total: int = 0

    @property
    def more(self) -> int:
        return self.total - len(self.nodes)


GAP_X, GAP_Y, MARGIN = 150, 90, 70
# The network page draws this many people of the tree (in name order); "show all" draws up
# to TREE_MAX. 400 nodes were most of the page's 100+ KB at every account size.
TREE_SHOWN = 60
TREE_MAX = 400


def referral_tree(*, user: User, max_nodes: int = TREE_MAX) -> Tree:
    """Everyone who introduced someone or was introduced, laid out as a tidy forest: leaves
    side by side, each parent centred over its children, one row per generation. The first
    ``max_nodes`` by name are drawn; ``total`` counts them, up to TREE_MAX + 1."""
    # Walk the name index and keep whoever was introduced or introduced someone (one probe
    # of contact_owner_introducer_idx each), stopping at max_nodes: about max_nodes / share
    # rows read, whatever the account's size. The UNION it replaces built and sorted the
    # whole tree first (300,000 contacts: 54,000 people sorted to draw 400, 1.5 s on SQLite).
    # The subquery names the owner itself, not the outer row's owner: PostgreSQL may
    # answer it as a hashed subplan, which then reads this user's introduced contacts only
    # (with an OuterRef owner it hashed every user's; tests/test_query_plans.py caught it).
    columns = ("id", "first_name", "last_name", "introduced_by_id")
    introduced_someone = Exists(Contact.objects.filter(owner=user, introduced_by_id=OuterRef("pk")))
    in_tree = (
        Contact.objects.filter(owner=user)
        .filter(Q(introduced_by__isnull=False) | introduced_someone)
        .order_by("last_name", "first_name", "id")
    )
    rows = list(in_tree.values_list(*columns)[:max_nodes])
    total = len(rows)
    if total == max_nodes:
        # Counted the same way, and only as far as "show all" draws (TREE_MAX, and one more
        # to know there are more): an exact count of a 54,000-person tree cost 60 ms on
        # PostgreSQL (a scan of the user's contacts) for a figure the page need not give.
        total = in_tree.values("id")[: max(max_nodes, TREE_MAX) + 1].count()
    names = {pk: f"{first} {last}".strip() for pk, first, last, _ in rows}
    children: dict[int | None, list[int]] = {}
    for pk, _, _, parent in rows:
        children.setdefault(parent if parent in names else None, []).append(pk)
    nodes: list[Node] = []
    edges: list[tuple[int, int, int, int]] = []
    position: dict[int, tuple[int, int]] = {}
    next_x = [0]
    placed: set[int] = set()

    def place(pk: int, depth: int) -> int:
        placed.add(pk)
        kids = [k for k in children.get(pk, []) if k not in placed]
        if kids:
            xs = [place(kid, depth + 1) for kid in kids]
            x = sum(xs) // len(xs)
        else:
            x = MARGIN + next_x[0] * GAP_X
            next_x[0] += 1
        y = MARGIN + depth * GAP_Y
        position[pk] = (x, y)
        nodes.append(Node(pk, names[pk], x, y))
        for kid in kids:
            edges.append((x, y, *position[kid]))
        return x

    for root in children.get(None, []):
        if root not in placed:
            place(root, 0)
    if not nodes:
        return Tree([], [], 0, 0)
    width = max(n.x for n in nodes) + MARGIN + 60
    height = max(n.y for n in nodes) + MARGIN + 20
    return Tree(nodes, edges, width, height, total)
