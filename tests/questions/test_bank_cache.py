"""The shipped bank is read once per process and kept under the bank's stamp: a second plan
reads no shipped row, and a sync (in any process: it only changes rows in the database) or a
user's own question, star or hide shows in the very next plan."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from coffeechat.conversations.models import Conversation
from coffeechat.prep.models import PrepPlan
from coffeechat.prep.selectors import plan_fresh
from coffeechat.questions.bank import sync_rows
from coffeechat.questions.models import BankStamp, Question, QuestionMark
from coffeechat.questions.planner import BankQuestion
from coffeechat.questions.selectors import bank_cache_clear, planner_bank
from coffeechat.questions.services import question_create, question_mark, question_update
from tests.conftest import World

pytestmark = pytest.mark.django_db

SHIPPED_TABLE = Question._meta.db_table


def reads_shipped_rows(sql: str) -> bool:
    """A query that reads the shared rows of the question table (not only the user's own)."""
    return f'FROM "{SHIPPED_TABLE}"' in sql and '"owner_id" IS NULL' in sql


def reference_bank(user: User, leave_out: frozenset[int] = frozenset()) -> list[BankQuestion]:
    """The user's bank read straight from the database, as planner_bank read it before it
    kept the shipped part: the cached one must be the same, field for field."""
    marks = {m.question_id: (m.starred, m.hidden) for m in QuestionMark.objects.filter(owner=user)}
    replaced = set(
        Question.objects.filter(owner=user, based_on__isnull=False).values_list(
            "based_on_id", flat=True
        )
    )
    bank = []
    for q in Question.objects.order_by("id"):
        mine = q.owner_id == user.pk
        if q.owner_id not in (None, user.pk) or (q.retired and not mine) or q.pk in replaced:
            continue
        starred, hidden = marks.get(q.pk, (False, False))
        if hidden or q.pk in leave_out:
            continue
        bank.append(
            BankQuestion(
                id=q.pk,
                text=q.text,
                phase=q.phase,
                topic=q.topic,
                minutes=q.minutes,
                audience=q.audience,
                families=frozenset(q.tag_list),
                research_first=q.research_first,
                core=q.core,
                own=mine,
                starred=starred,
                why=q.why,
            )
        )
    return bank


@pytest.fixture
def conversation(bank, world: World) -> Conversation:
    PrepPlan.objects.filter(conversation=world.conversation).delete()
    bank_cache_clear()
    return world.conversation


def test_a_second_plan_reads_no_shipped_question(conversation: Conversation) -> None:
    with CaptureQueriesContext(connection) as first:
        plan_fresh(conversation=conversation)
    with CaptureQueriesContext(connection) as second:
        again = plan_fresh(conversation=conversation)
    assert sum(reads_shipped_rows(q["sql"]) for q in first) == 1
    assert not any(reads_shipped_rows(q["sql"]) for q in second)
    # The bank costs three small queries then: its stamp, the user's marks, their own questions.
    assert len(second) == len(first) - 1
    assert again == plan_fresh(conversation=conversation)


def test_the_kept_bank_is_the_users_bank_as_the_database_holds_it(
    bank, owner: User, outsider: User
) -> None:
    shipped = list(Question.objects.filter(owner__isnull=True).order_by("id")[:6])
    question_update(
        question=shipped[0],
        user=owner,
        text="My wording of the first one?",
        phase=shipped[0].phase,
        topic=shipped[0].topic,
        audience=shipped[0].audience,
        minutes=2,
        research_first=False,
    )
    question_mark(user=owner, question=shipped[1], starred=True)
    question_mark(user=owner, question=shipped[2], hidden=True)
    question_create(owner=owner, text="Mine, and starred?", phase="advice")
    question_mark(
        user=owner, question=Question.objects.get(text="Mine, and starred?"), starred=True
    )
    question_create(owner=outsider, text="Someone else's?", phase="advice")
    Question.objects.filter(pk=shipped[3].pk).update(retired=True)
    bank_cache_clear()  # the retirement above went around the sync: read it
    leave_out = frozenset({shipped[4].pk})

    first = planner_bank(user=owner, leave_out=leave_out)
    assert first == reference_bank(owner, leave_out)
    assert planner_bank(user=owner, leave_out=leave_out) == first
    assert planner_bank(user=outsider) == reference_bank(outsider)
    assert [q.id for q in planner_bank(user=None)] == list(
        Question.objects.filter(owner__isnull=True, retired=False)
        .order_by("id")
        .values_list("id", flat=True)
    )


def test_a_users_own_question_star_and_hide_show_in_the_next_plan(bank, owner: User) -> None:
    planner_bank(user=owner)  # the shipped bank is kept from here on
    shipped = Question.objects.filter(owner__isnull=True, retired=False).order_by("id")[0]

    own = question_create(owner=owner, text="What do you wish you had known?", phase="advice")
    question_mark(user=owner, question=shipped, starred=True)
    after = {q.id: q for q in planner_bank(user=owner)}
    assert after[own.pk].own and after[shipped.pk].starred

    question_mark(user=owner, question=shipped, hidden=True)
    assert shipped.pk not in {q.id for q in planner_bank(user=owner)}


def _bank_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bank.toml"
    path.write_text(
        "version = 99\n"
        "closing = [\n"
        f'  {{ key = "cl-900", topic = "referrals", min = 2, text = "{text}" }},\n'
        "]\n"
    )
    return path


def test_a_sync_shows_in_the_next_plan_of_every_process(bank, owner: User, tmp_path) -> None:
    """The sync only writes rows (and the stamp): nothing tells this process's copy, as
    nothing would tell another process's. The next plan still sees the new bank."""
    before = planner_bank(user=owner)
    stamp = BankStamp.objects.get(pk=1).stamp

    sync_rows(Question, _bank_file(tmp_path, "Whom else should I ask?"))

    assert BankStamp.objects.get(pk=1).stamp != stamp
    after = planner_bank(user=owner)
    new = Question.objects.get(owner__isnull=True, key="cl-900")
    assert [q.id for q in after] == [new.pk]  # every other shipped question is retired now
    assert before != after


def test_a_stamp_rolled_back_is_never_taken_for_the_bank_it_came_back_to(
    bank, owner: User, tmp_path
) -> None:
    """A plan read inside a sync that is then rolled back keeps that bank under a stamp that
    no longer exists: the next plan reads the bank again."""
    kept = planner_bank(user=owner)
    with pytest.raises(RuntimeError), transaction.atomic():
        sync_rows(Question, _bank_file(tmp_path, "Whom else should I ask?"))
        assert len(planner_bank(user=owner)) == 1
        raise RuntimeError("the sync fails after a plan was made")
    assert planner_bank(user=owner) == kept


def test_without_a_stamp_the_bank_is_read_every_time(bank, owner: User) -> None:
    """The tables emptied (a test's flush) and loaded again: no stamp to keep a copy by."""
    BankStamp.objects.all().delete()
    planner_bank(user=owner)
    with CaptureQueriesContext(connection) as queries:
        planner_bank(user=owner)
    assert any(reads_shipped_rows(q["sql"]) for q in queries)
