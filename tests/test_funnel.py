"""The funnel (issue 14, item 3): each stage's count is the rows behind it, counted here one
by one in the user's own time zone; the page shows the same numbers, the command prints them,
a bad query string gets a sentence, and the page's queries do not grow with the data."""

from __future__ import annotations

import datetime as dt
import json
import re
import zoneinfo
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coffeechat.accounts.models import Profile
from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import AFTER_STATUSES, Conversation, Status
from coffeechat.funnel import selectors
from coffeechat.leads.models import FormalInterview, Lead, LeadStatus
from coffeechat.outreach.models import REQUEST_KINDS, Channel, DraftKind, Outreach
from coffeechat.targets.models import Target
from tests.test_cli import run

pytestmark = pytest.mark.django_db

ZONES = ["UTC", "America/Santiago", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Europe/Paris"]
NOW = dt.datetime(2026, 4, 5, 3, 30, tzinfo=dt.UTC)  # the night Santiago's clocks went back
days = st.dates(dt.date(2025, 1, 1), dt.date(2026, 5, 1))
moments = st.datetimes(
    min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2026, 5, 1), timezones=st.just(dt.UTC)
)


@dataclass
class RequestSpec:
    kind: str
    channel: str
    sent_on: dt.date
    replied_on: dt.date | None
    introduced: bool
    target: int | None


@dataclass
class HeldSpec:
    status: str
    held_at: dt.datetime | None
    target: int | None


@dataclass
class LeadSpec:
    heard_on: dt.date
    applied_on: dt.date | None
    offer_on: dt.date | None
    target: int | None
    credited: bool
    rounds: list[tuple[dt.datetime | None, dt.datetime]]


requests_st = st.builds(
    RequestSpec,
    kind=st.sampled_from(DraftKind.values),  # non-request kinds must not count
    channel=st.sampled_from(Channel.values),
    sent_on=days,
    replied_on=st.none() | days,
    introduced=st.booleans(),
    target=st.sampled_from([None, 0, 1]),
)
held_st = st.one_of(
    st.builds(
        HeldSpec,
        status=st.sampled_from(AFTER_STATUSES),
        held_at=moments,
        target=st.sampled_from([None, 0, 1]),
    ),
    # Never held: no stamp (a conversation marked scheduled again loses its held_at).
    st.builds(
        HeldSpec,
        status=st.sampled_from([Status.IDEA, Status.SCHEDULED, Status.CANCELLED]),
        held_at=st.none(),
        target=st.sampled_from([None, 0, 1]),
    ),
)
leads_st = st.builds(
    LeadSpec,
    heard_on=days,
    applied_on=st.none() | days,
    offer_on=st.none() | days,
    target=st.sampled_from([None, 0, 1]),
    credited=st.booleans(),
    rounds=st.lists(st.tuples(st.none() | moments, moments), max_size=3),
)


def _period_start(day: dt.date, by: str) -> dt.date:
    if by == "month":
        return day.replace(day=1)
    return day - dt.timedelta(days=day.weekday())


def _expected_starts(today: dt.date, by: str, n: int) -> list[dt.date]:
    """The periods, worked out here without the selector: step back from today's period."""
    starts = [_period_start(today, by)]
    while len(starts) < n:
        starts.insert(0, _period_start(starts[0] - dt.timedelta(days=1), by))
    return starts


def _build(owner: User, requests, held, referrals, leads) -> None:
    for model in (FormalInterview, Lead, Outreach, Conversation, Contact, Target):
        model.objects.filter(owner=owner).delete()
    targets = [Target.objects.create(owner=owner, name=f"Target {i}") for i in range(2)]
    introducer = Contact.objects.create(owner=owner, first_name="Ines", last_name="Introducer")
    plain = Contact.objects.create(owner=owner, first_name="Paul", last_name="Plain")
    introduced = Contact.objects.create(
        owner=owner, first_name="Rae", last_name="Referred", introduced_by=introducer
    )
    Contact.objects.filter(pk=introduced.pk).update(
        created_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    )
    for spec in requests:
        conversation = Conversation.objects.create(
            owner=owner, contact=introduced if spec.introduced else plain, status=Status.REQUESTED
        )
        if spec.target is not None:
            conversation.targets.add(targets[spec.target])
        Outreach.objects.create(
            owner=owner,
            conversation=conversation,
            contact=conversation.contact,
            kind=spec.kind,
            channel=spec.channel,
            sent_on=spec.sent_on,
            replied_on=spec.replied_on,
        )
    for spec in held:
        conversation = Conversation.objects.create(
            owner=owner, contact=plain, status=spec.status, held_at=spec.held_at
        )
        if spec.target is not None:
            conversation.targets.add(targets[spec.target])
    for created, is_referral in referrals:
        contact = Contact.objects.create(
            owner=owner, first_name="Added", introduced_by=introducer if is_referral else None
        )
        Contact.objects.filter(pk=contact.pk).update(created_at=created)
    for spec in leads:
        lead = Lead.objects.create(
            owner=owner,
            role="Associate",
            heard_on=spec.heard_on,
            applied_on=spec.applied_on,
            offer_on=spec.offer_on,
            status=LeadStatus.OFFER if spec.offer_on else LeadStatus.HEARD,
            target=targets[spec.target] if spec.target is not None else None,
            source_contact=plain if spec.credited else None,
        )
        for starts_at, created in spec.rounds:
            round_ = FormalInterview.objects.create(owner=owner, lead=lead, starts_at=starts_at)
            FormalInterview.objects.filter(pk=round_.pk).update(created_at=created)


def _funnel_json(owner: User, by: str, n: int) -> dict:
    out = StringIO()
    call_command(
        "funnel", "--format", "json", f"--{by}s", str(n), "--user", owner.username, stdout=out
    )
    return json.loads(out.getvalue())


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    zone=st.sampled_from(ZONES),
    now=st.datetimes(
        min_value=dt.datetime(2026, 1, 1),
        max_value=dt.datetime(2026, 4, 30),
        timezones=st.just(dt.UTC),
    )
    | st.just(NOW),
    by=st.sampled_from(["week", "month"]),
    n=st.integers(1, 14),
    requests=st.lists(requests_st, max_size=8),
    held=st.lists(held_st, max_size=6),
    referrals=st.lists(st.tuples(moments, st.booleans()), max_size=5),
    leads=st.lists(leads_st, max_size=5),
)
def test_each_stage_counts_the_rows_behind_it_in_the_users_periods(
    owner: User, zone, now, by, n, requests, held, referrals, leads
) -> None:
    Profile.objects.filter(user=owner).update(time_zone=zone)
    _build(owner, requests, held, referrals, leads)
    tz = zoneinfo.ZoneInfo(zone)
    with time_machine.travel(now, tick=False):
        result = _funnel_json(owner, by, n)
    starts = _expected_starts(now.astimezone(tz).date(), by, n)
    first, end = (
        starts[0],
        _period_start((starts[-1] + dt.timedelta(days=32 if by == "month" else 7)), by),
    )

    def local(moment: dt.datetime) -> dt.date:
        return moment.astimezone(tz).date()

    # Every stage's rows, as the day each falls on.
    asked = [r for r in requests if r.kind in REQUEST_KINDS]
    rows: dict[str, list[dt.date]] = {
        "requests_sent": [r.sent_on for r in asked],
        "replies": [r.replied_on for r in asked if r.replied_on],
        "conversations_held": [local(h.held_at) for h in held if h.held_at],
        "referrals_received": [local(created) for created, is_referral in referrals if is_referral],
        "leads": [lead.heard_on for lead in leads],
        "applications": [lead.applied_on for lead in leads if lead.applied_on],
        "formal_interviews": [
            local(starts_at or created) for lead in leads for starts_at, created in lead.rounds
        ],
        "offers": [lead.offer_on for lead in leads if lead.offer_on],
    }
    assert result["window"] == {
        "by": by,
        "periods": n,
        "start": first.isoformat(),
        "end": end.isoformat(),
        "time_zone": zone,
    }
    expected = {name: sum(first <= d < end for d in found) for name, found in rows.items()}
    assert {s["name"]: s["count"] for s in result["stages"]} == expected
    assert [s["name"] for s in result["stages"]] == [name for name, _ in selectors.STAGES]
    for period, start in zip(result["by_period"], starts, strict=True):
        assert period["start"] == start.isoformat()
        for name, found in rows.items():
            assert period[name] == sum(_period_start(d, by) == start for d in found), name

    # Per target: requests and conversations held through their conversation's target, leads
    # and offers through the lead's.
    by_target = {row["target"]: row for row in result["by_target"]}
    for index, name in [(0, "Target 0"), (1, "Target 1"), (None, "No target")]:
        want = {
            "requests_sent": sum(r.target == index and first <= r.sent_on < end for r in asked),
            "conversations_held": sum(
                h.target == index and h.held_at is not None and first <= local(h.held_at) < end
                for h in held
            ),
            "leads": sum(lead.target == index and first <= lead.heard_on < end for lead in leads),
            "offers": sum(
                lead.target == index and lead.offer_on is not None and first <= lead.offer_on < end
                for lead in leads
            ),
        }
        got = by_target.get(name, {})
        assert {k: got.get(k, 0) for k in want} == want, name

    # Per channel: an introduction whatever the medium; LinkedIn's two kinds are one channel.
    def bucket(r: RequestSpec) -> str:
        if r.introduced:
            return "introduction"
        if r.channel == Channel.EMAIL:
            return "email"
        if r.channel in (Channel.LINKEDIN_NOTE, Channel.LINKEDIN_MESSAGE):
            return "linkedin"
        return "phone_other"

    sent = [r for r in asked if first <= r.sent_on < end]
    assert {
        row["channel"]: (row["requests_sent"], row["replied"]) for row in result["by_channel"]
    } == {
        channel: (
            sum(bucket(r) == channel for r in sent),
            sum(bucket(r) == channel and r.replied_on is not None for r in sent),
        )
        for channel, _ in selectors.CHANNELS
    }
    assert {row["kind"]: row["requests_sent"] for row in result["reply_rate_by_kind"]} == {
        kind: sum(r.kind == kind for r in sent) for kind in REQUEST_KINDS
    }

    # Conversations per offer, since the start: a figure only with a dozen conversations and
    # an offer credited to the network; a sentence otherwise.
    all_held = sum(h.held_at is not None for h in held)
    credited = sum(lead.offer_on is not None and lead.credited for lead in leads)
    detail = result["conversations_per_offer_detail"]
    assert (detail["conversations_held"], detail["offers_from_conversations_or_contacts"]) == (
        all_held,
        credited,
    )
    assert result["conversations_per_offer"] == (
        round(all_held / credited, 1) if credited and all_held >= 12 else None
    )


def _seed(owner: User, n: int, today: dt.date) -> None:
    """n requests (half replied), n held conversations, n/2 leads with a round each."""
    target = Target.objects.create(owner=owner, name=f"Seed target {n}")
    contact = Contact.objects.create(owner=owner, first_name="Seed", last_name=str(n))
    now = dt.datetime.combine(today, dt.time(12), dt.UTC)
    for i in range(n):
        conversation = Conversation.objects.create(
            owner=owner, contact=contact, status=Status.HELD, held_at=now - dt.timedelta(days=i)
        )
        conversation.targets.add(target)
        Outreach.objects.create(
            owner=owner,
            conversation=conversation,
            contact=contact,
            kind=DraftKind.REQUEST_EMAIL,
            channel=Channel.EMAIL,
            sent_on=today - dt.timedelta(days=i + 3),
            replied_on=today - dt.timedelta(days=i) if i % 2 else None,
        )
        Contact.objects.create(owner=owner, first_name=f"Referred {i}", introduced_by=contact)
    for i in range(n // 2):
        lead = Lead.objects.create(
            owner=owner,
            role="Rep",
            heard_on=today - dt.timedelta(days=i),
            target=target,
            applied_on=today,
            offer_on=today if i == 0 else None,
            source_contact=contact,
            status=LeadStatus.APPLIED,
        )
        FormalInterview.objects.create(owner=owner, lead=lead, starts_at=now)


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/funnel/", "/funnel/?by=month&months=24", "/funnel/?weeks=52"])
def test_the_page_runs_the_same_queries_however_much_the_account_holds(
    owner: User, owner_client: Client, url: str
) -> None:
    today = dt.date.today()
    owner_client.get("/")  # the session's first request stores the time zone
    _seed(owner, 2, today)
    small = _queries(owner_client, url)
    _seed(owner, 40, today)
    assert _queries(owner_client, url) == small
    assert small <= 20, small


def _cells(html: str, heading: str) -> dict[str, str]:
    """The rows of the table under ``heading``: first column -> second column."""
    section = html.split(f">{heading}</h2>", 1)[1].split("</section>", 1)[0]
    return {
        re.sub(r"<[^>]+>", "", th).strip(): td.strip()
        for th, td in re.findall(
            r'<th scope="row">(.*?)</th><td class="num">(.*?)</td>', section, re.S
        )
    }


def test_the_page_shows_the_commands_numbers(owner: User, owner_client: Client) -> None:
    today = dt.date.today()
    _seed(owner, 14, today)
    result = _funnel_json(owner, "week", 12)
    html = owner_client.get("/funnel/").content.decode()
    stages = _cells(html, "Stages")
    assert stages == {s["label"]: f"{s['count']:,}" for s in result["stages"]}
    assert stages["Conversations held"] == "14" and stages["Offers"] == "1"
    # The chart says the same in its bars' titles, and names itself for screen readers.
    assert 'role="img" aria-labelledby="stages-title stages-desc"' in html
    assert "<title>Conversations held: 14" in html
    # Fourteen conversations, one offer credited to a contact: a figure beside the 12.
    assert result["conversations_per_offer"] == 14.0
    assert "14 conversations per offer: 1 offer from 14 conversations." in html
    assert "about 12" in html
    channels = _cells(html, "By channel")
    assert channels["Email"] == "14"


def test_few_conversations_get_words_not_a_ratio(owner: User, owner_client: Client) -> None:
    _seed(owner, 4, dt.date.today())
    result = _funnel_json(owner, "week", 4)
    assert result["conversations_per_offer"] is None
    assert (
        "too few conversations for a fair figure"
        in result["conversations_per_offer_detail"]["sentence"]
    )
    html = owner_client.get("/funnel/").content.decode()
    assert "1 offer from 4 conversations so far: too few conversations" in html


@pytest.mark.parametrize(
    "query, says, current",
    [
        ("?by=year", "The period must be week or month: showing weeks.", "?by=week&amp;weeks=12"),
        ("?weeks=0", "from 1 to 52: showing 12.", "?by=week&amp;weeks=12"),
        ("?weeks=9999999999999999999999", "from 1 to 52", "?by=week&amp;weeks=12"),
        # Longer than int() takes (4,300 digits): a sentence, not an error page.
        ("?weeks=" + "9" * 5000, "from 1 to 52", "?by=week&amp;weeks=12"),
        ("?weeks=0012", None, "?by=week&amp;weeks=12"),
        ("?by=month&months=-3", "from 1 to 24: showing 6.", "?by=month&amp;months=6"),
        ("?by=month&months=%C2%B2", "from 1 to 24", "?by=month&amp;months=6"),
        ("?by=month&months=12", None, "?by=month&amp;months=12"),
        ("?weeks=26", None, "?by=week&amp;weeks=26"),
    ],
)
def test_the_period_switch_takes_only_what_it_can_show(
    owner_client: Client, query: str, says: str | None, current: str
) -> None:
    response = owner_client.get("/funnel/" + query)
    assert response.status_code == 200
    html = response.content.decode()
    if says:
        assert says in html
    else:
        assert 'class="warning"' not in html
    assert f'href="{current}" aria-current="page"' in html


def test_an_outsider_sees_only_their_own_funnel(
    owner: User, outsider: User, outsider_client: Client
) -> None:
    _seed(owner, 5, dt.date.today())
    html = outsider_client.get("/funnel/").content.decode()
    assert "Seed target" not in html
    assert _cells(html, "Stages")["Conversations held"] == "0"
    assert "No offer from your conversations yet (0 conversations held so far)" in html


def test_the_markdown_has_every_table(owner: User) -> None:
    _seed(owner, 3, dt.date.today())
    out = StringIO()
    call_command("funnel", "--months", "3", "--user", owner.username, stdout=out)
    text = out.getvalue()
    for heading in (
        "## Stages",
        "## Conversations per offer",
        "## By month",
        "## By target",
        "## By channel",
        "## Reply rate per kind of request",
    ):
        assert heading in text
    assert "| Conversations held | 3 |" in text
    assert "| Seed target 3 | 3 | 1 | 3 | 1 | 1 | 1 | 1 |" in text


def test_the_command_from_the_shell(tmp_path: Path) -> None:
    assert (
        run(
            "createuser", "maya", "--password-stdin", data_dir=tmp_path, stdin="a long password 1\n"
        ).returncode
        == 0
    )
    done = run("funnel", "--format", "json", data_dir=tmp_path)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert set(data) >= {"stages", "conversations_per_offer", "by_target", "by_channel"}
    assert [s["count"] for s in data["stages"]] == [0] * 8
    assert data["conversations_per_offer"] is None
    md = run("funnel", "--weeks", "4", data_dir=tmp_path)
    assert md.returncode == 0 and "| Requests sent | 0 |" in md.stdout
    bad = run("funnel", "--weeks", "0", data_dir=tmp_path)
    assert bad.returncode != 0 and "--weeks must be from 1 to 52." in bad.stderr
    both = run("funnel", "--weeks", "4", "--months", "2", data_dir=tmp_path)
    assert both.returncode != 0 and "not allowed with argument" in both.stderr
