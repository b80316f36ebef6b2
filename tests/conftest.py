"""Named test users and a small world of objects, shared by every test.

``owner`` owns the objects; ``outsider`` is another job seeker on the same installation who must
never see them.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from hypothesis import settings as hypothesis_settings

from coffeechat.accounts.services import user_create
from coffeechat.api.models import ApiToken
from coffeechat.api.services import token_create
from coffeechat.coaching.models import Scope, Share
from coffeechat.coaching.services import invite_accept, invite_create, share_items_set
from coffeechat.contacts.models import Contact, NotDuplicate, Tag
from coffeechat.conversations.models import Conversation, Learning
from coffeechat.conversations.services import conversation_create
from coffeechat.fit.models import FitLine, LineKind, OpenQuestion
from coffeechat.followups.models import FollowUp
from coffeechat.imports.models import ImportBatch
from coffeechat.leads.models import FormalInterview, RoundKind
from coffeechat.leads.services import lead_create, round_create
from coffeechat.network.models import Knows
from coffeechat.notes.models import Note
from coffeechat.organizations.models import Organization
from coffeechat.outreach.models import DraftKind, MessageTemplate, Outreach
from coffeechat.prep.models import PrepItem, PrepPlan, ResearchItem
from coffeechat.questions.models import Question
from coffeechat.questions.services import bank_sync
from coffeechat.targets.models import Target

PASSWORD = "correct horse battery"

# Property tests check behaviour, not speed: hypothesis's 200 ms deadline per example turns a
# busy CI machine into a failure (speed is measured in bench/, never in tests).
hypothesis_settings.register_profile("coffeechat", deadline=None)
hypothesis_settings.load_profile("coffeechat")


@pytest.fixture
def owner(db) -> User:
    return user_create(username="owner", password=PASSWORD, display_name="Olivia Owner")


@pytest.fixture
def outsider(db) -> User:
    return user_create(username="outsider", password=PASSWORD, display_name="Oscar Outsider")


def _client_for(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def coach(db) -> User:
    """A career coach's account on the same installation: sees only what a student shares."""
    return user_create(
        username="coach", password=PASSWORD, display_name="Cora Coach", is_coach=True
    )


@pytest.fixture
def other_coach(db) -> User:
    """Another coach, whom no student invited."""
    return user_create(
        username="othercoach", password=PASSWORD, display_name="Otto Coach", is_coach=True
    )


@pytest.fixture
def owner_client(owner: User) -> Client:
    return _client_for(owner)


@pytest.fixture
def outsider_client(outsider: User) -> Client:
    return _client_for(outsider)


@pytest.fixture
def coach_client(coach: User) -> Client:
    return _client_for(coach)


@pytest.fixture
def other_coach_client(other_coach: User) -> Client:
    return _client_for(other_coach)


@dataclass
class World:
    """One object of every user-owned kind, keyed by the URL keyword that names it."""

    organization: Organization
    target: Target
    contact: Contact
    introducer: Contact
    conversation: Conversation
    note: Note
    learning: Learning
    followup: FollowUp
    outreach: Outreach
    template: MessageTemplate
    question: Question
    prep_item: PrepItem
    research_item: ResearchItem
    knows: Knows
    batch: ImportBatch
    fit_line: FitLine
    open_question: OpenQuestion
    formal_interview: FormalInterview
    # An invitation to a coach not accepted yet: the student's side of coaching. The coach's
    # side needs a coach account (tests/test_coaching.py and tests/test_ownership.py make one).
    share: Share
    # The link's secret of that invitation (the coach's join page is named by it).
    invite_token: str
    api_token: ApiToken

    def by_url_kwarg(self) -> dict[str, int | str]:
        return {
            "organization_id": self.organization.pk,
            "target_id": self.target.pk,
            "contact_id": self.contact.pk,
            "conversation_id": self.conversation.pk,
            "note_id": self.note.pk,
            "learning_id": self.learning.pk,
            "followup_id": self.followup.pk,
            "outreach_id": self.outreach.pk,
            "template_id": self.template.pk,
            "question_id": self.question.pk,
            "prep_item_id": self.prep_item.pk,
            "research_item_id": self.research_item.pk,
            "duplicate_id": self.introducer.pk,
            "knows_id": self.knows.pk,
            "batch_id": self.batch.pk,
            "fit_line_id": self.fit_line.pk,
            "open_question_id": self.open_question.pk,
            "lead_id": self.formal_interview.lead_id,
            "round_id": self.formal_interview.pk,
            "share_id": self.share.pk,
            # Not an id: the secret in an invitation's link, for whoever has it.
            "token": self.invite_token,
            "api_token_id": self.api_token.pk,
            # Not an id: the place of a default research item in the checklist.
            "position": 0,
            # Not an id: a week, named by its Monday. Every user has every week (their own),
            # so tests/test_ownership.py leaves the pages named by a week alone.
            "week": "2026-11-23",
        }


def build_world(user: User) -> World:
    organization = Organization.objects.create(
        owner=user, name="Halvorsen Biologics", industry="Biotechnology"
    )
    target = Target.objects.create(
        owner=user, name="Halvorsen Biologics", organization=organization, motivation=3, posting=2
    )
    introducer = Contact.objects.create(owner=user, first_name="Ines", last_name="Alvarez")
    contact = Contact.objects.create(
        owner=user,
        first_name="Priya",
        last_name="Raman",
        title="Medical science liaison",
        organization=organization,
        introduced_by=introducer,
        how_connected=Contact.Connection.ALUMNI,
    )
    contact.tags.add(Tag.objects.create(owner=user, name="alumni"))
    conversation = conversation_create(owner=user, contact=contact, targets=[target])
    note = Note.objects.create(owner=user, contact=contact, text="Prefers mornings.")
    learning = Learning.objects.create(
        owner=user,
        conversation=conversation,
        kind=Learning.Kind.REALITY,
        text="Territories are large.",
    )
    followup = FollowUp.objects.create(
        owner=user,
        contact=contact,
        due_on=timezone.localdate() + dt.timedelta(days=2),
        what="Send the article",
    )
    # Logged directly (not through outreach_log) so that the conversation stays an idea.
    outreach = Outreach.objects.create(
        owner=user,
        conversation=conversation,
        contact=contact,
        kind=DraftKind.REQUEST_EMAIL,
        sent_on=timezone.localdate(),
        body="Hi Priya, we share a school. Would you have 20 minutes?",
    )
    template = MessageTemplate.objects.create(
        owner=user, kind=DraftKind.THANKS, name="Short thanks", body="Thank you, {first_name}."
    )
    # The user's own question (not a shipped one, which every user may read) on a saved plan.
    question = Question.objects.create(
        owner=user, text="What surprised you most in your first month?", phase="insights"
    )
    plan = PrepPlan.objects.create(
        owner=user, conversation=conversation, minutes=30, generated_at=timezone.now()
    )
    prep_item = PrepItem.objects.create(owner=user, plan=plan, question=question, position=10)
    research_item = ResearchItem.objects.create(
        owner=user, conversation=conversation, text="Read their latest annual report"
    )
    knows = Knows.objects.create(owner=user, contact=contact, other=introducer, how="Same lab")
    first, second = sorted((contact.pk, introducer.pk))
    NotDuplicate.objects.create(owner=user, first_id=first, second_id=second)
    batch = ImportBatch.objects.create(
        owner=user,
        filename="contacts.vcf",
        format="vcard",
        data=b"BEGIN:VCARD\r\nFN:A B\r\nEND:VCARD\r\n",
    )
    fit_line = FitLine.objects.create(
        owner=user, target=target, kind=LineKind.LIFESTYLE, rating=3, text="Travel is heavy."
    )
    fit_line.learnings.add(learning)
    open_question = OpenQuestion.objects.create(
        owner=user,
        target=target,
        question=Question.objects.create(
            owner=user, text="How often do liaisons travel overnight?", phase="insights"
        ),
    )
    # An opening heard in the conversation, with a dated panel of two interviewers.
    lead = lead_create(owner=user, role="Medical science liaison", source_conversation=conversation)
    formal_interview = round_create(
        lead=lead,
        interviewers=[contact, introducer],
        kind=RoundKind.PANEL,
        starts_at=dt.datetime(2030, 1, 8, 9, 30, tzinfo=dt.UTC),
        time_zone="Europe/Paris",
        place="Building 4, room 210",
    )
    invitation = invite_create(owner=user, scope=Scope.NOTES)
    token_create(owner=user, name="World sync", scope=ApiToken.Scope.READ)
    api_token = ApiToken.objects.get(owner=user, name="World sync")
    return World(
        organization,
        target,
        contact,
        introducer,
        conversation,
        note,
        learning,
        followup,
        outreach,
        template,
        question,
        prep_item,
        research_item,
        knows,
        batch,
        fit_line,
        open_question,
        formal_interview,
        invitation.share,
        invitation.token,
        api_token,
    )


@pytest.fixture
def world(owner: User) -> World:
    return build_world(owner)


def share_with(world: World, coach: User) -> Share:
    """The world's owner shares progress, their note and their prep plan with ``coach``."""
    owner = world.contact.owner
    invitation = invite_create(owner=owner, scope=Scope.NOTES)
    share = invite_accept(share=invitation.share, coach=coach)
    return share_items_set(share=share, notes=[world.note], prep_plans=[world.prep_item.plan])


@pytest.fixture
def coach_share(world: World, coach: User) -> Share:
    return share_with(world, coach)


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database file with every migration applied by `coffeechat migrate`, made once
    per test process. A fresh migration costs about 9 s of CPU here: tests whose subject is not
    the migration itself (a command, a server) start from a copy with ``sqlite_data_dir``; the
    tests of migrating (a fresh folder, an upgrade) still run it themselves."""
    folder = tmp_path_factory.mktemp("migrated")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
    env = env | {"COFFEECHAT_DATA_DIR": str(folder), "COFFEECHAT_TESTING": "0"}
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "coffeechat", "migrate", "--verbosity", "0"],
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    return folder / "coffeechat.sqlite3"


def sqlite_data_dir(template: Path, data_dir: Path) -> Path:
    """A data folder holding a copy of the migrated database (not its secret key: each data
    folder makes its own)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, data_dir / "coffeechat.sqlite3")
    return data_dir


@pytest.fixture
def bank(db) -> None:
    """The shipped question bank. The data migration loads it, but a transactional test (the
    browser's live server) empties every table afterwards; loading again is idempotent."""
    bank_sync()


# The PostgreSQL pass runs only what can reach the database. A test that cannot touch it (no
# django_db mark, no fixture that opens the test database, and a module that neither starts a
# process nor names a database) gives the same answer on both passes, so it runs once: in the
# SQLite pass. pytest-django refuses database access to every other test, so the rule cannot
# hide a query; the source check keeps out what the blocker does not see (a child process,
# SQL compiled for one backend, a test reading DATABASE_URL). COFFEECHAT_PG_ALL=1 runs all.
# (pytest-django's autouse fixtures, django_db_blocker among them, are in every test's closure:
# they open nothing by themselves.)
DB_FIXTURES = {
    "db",
    "transactional_db",
    "live_server",
    "admin_user",
    "admin_client",
    "django_db_setup",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}
# Words in a test module's source that may mean the test depends on which database this is.
DB_WORDS = (
    "subprocess",
    "Popen",
    "sys.executable",
    "DATABASE",
    "ON_POSTGRES",
    "connection",
    "django.db",
    "psycopg",
    "sqlite",
    "postgres",
    "django_db_blocker",
)


def _cannot_touch_the_database(item: pytest.Item, sources: dict[str, str]) -> bool:
    if item.get_closest_marker("django_db"):
        return False
    names = set(getattr(item, "fixturenames", ()))
    if names & DB_FIXTURES:
        return False
    path = str(item.path)
    if path not in sources:
        sources[path] = item.path.read_text()
    return not any(word in sources[path] for word in DB_WORDS)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not os.environ.get("DATABASE_URL") or os.environ.get("COFFEECHAT_PG_ALL") == "1":
        return
    sources: dict[str, str] = {}
    kept, once = [], []
    for item in items:
        (once if _cannot_touch_the_database(item, sources) else kept).append(item)
    if once:
        items[:] = kept
        config.hook.pytest_deselected(items=once)
    # Under xdist the workers collect; the controller prints the count they send back.
    workeroutput = getattr(config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["database_free"] = len(once)
    else:
        config.stash[_DATABASE_FREE] = len(once)


_DATABASE_FREE = pytest.StashKey[int]()


def pytest_testnodedown(node: Any, error: object) -> None:
    count = getattr(node, "workeroutput", {}).get("database_free")
    if count is not None:
        node.config.stash[_DATABASE_FREE] = count


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    count = config.stash.get(_DATABASE_FREE, None)
    if count:
        terminalreporter.write_line(
            f"PostgreSQL pass: {count} tests that cannot touch the database were left out "
            "(they ran in the SQLite pass): no django_db mark, no database fixture, and a "
            "module that starts no process and names no database. COFFEECHAT_PG_ALL=1 runs them."
        )
