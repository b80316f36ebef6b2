"""What Maya's conversations led to, on top of the demo's world: the openings she heard of
(leads), each credited to the conversation or the contact it came from, how far each went, and
the formal interviews of those that reached them, as demo/data/leads.toml describes them."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import User

from coffeechat.contacts.models import Contact
from coffeechat.demo.clock import Clock, roll_to_weekday
from coffeechat.demo.dataset import LEADS
from coffeechat.demo.loop import Stamps
from coffeechat.demo.world import World
from coffeechat.leads.models import FormalInterview, Lead, LeadStatus


def _interviewer(world: World, reference: str) -> Contact:
    """A handle, or "@Employer: Title": the first contact there with that title, by name
    (someone from the generated network, whom Maya has not talked with)."""
    if not reference.startswith("@"):
        return world.contacts[reference]
    employer, title = reference[1:].split(": ", 1)
    organization = world.organizations[employer]
    found = sorted(
        (c for c in world.everyone if c.organization_id == organization.pk and c.title == title),
        key=lambda c: (c.last_name, c.first_name, c.pk),
    )
    assert found, reference
    return found[0]


# Steps the user takes any day (hearing of an opening, applying at night); the others are an
# employer's, on a weekday.
_ANY_DAY = (LeadStatus.HEARD, LeadStatus.APPLIED)


def _lead_days(clock: Clock, steps: tuple[tuple[str, int], ...]) -> dict[str, date]:
    """The day of each step: an employer's step on a weekend moves back to the Friday, never
    before the step it follows."""
    days: dict[str, date] = {}
    previous = None
    for status, offset in steps:
        on = clock.today + timedelta(days=offset)
        if status not in _ANY_DAY:
            on = roll_to_weekday(on, forward=False)
        on = max(on, previous) if previous else on
        days[status] = previous = on
    return days


def leads_build(*, user: User, world: World, clock: Clock) -> int:
    """Written with the ORM in bulk, as the world is: no service writes a lead yet, so the
    status and the day of each step (``<status>_on``) are set here together, from a path the
    data file checked against the app's transitions. A lead heard of in a conversation credits
    that conversation; its target is Maya's choice, given in the data."""

    def evening(on: date) -> datetime:
        return clock.evening((on - clock.today).days)

    stamps = Stamps()  # created and updated as in the story, one update per table at the end
    leads: list[Lead] = []
    steps: list[dict[str, date]] = []
    for spec in LEADS:
        organization = world.organizations[spec.organization]
        days = _lead_days(clock, spec.steps)
        steps.append(days)
        leads.append(
            Lead(
                owner=user,
                role=spec.role,
                organization=organization,
                source_conversation=world.conversations[spec.conversation]
                if spec.conversation
                else None,
                source_contact=world.contacts[spec.contact] if spec.contact else None,
                target=world.targets[spec.target],
                link=f"{organization.website}/{spec.link}" if spec.link else "",
                status=spec.status,
                notes=spec.notes,
                **{f"{status}_on": on for status, on in days.items()},
            )
        )
    Lead.objects.bulk_create(leads)
    rounds: list[FormalInterview] = []
    panels: list[list[Contact]] = []
    moments: list[tuple[datetime, datetime]] = []
    for spec, lead, days in zip(LEADS, leads, steps, strict=True):
        stamps.add(lead, evening(min(days.values())), evening(max(days.values())))
        # The first round was set up the day the lead reached "interviewing"; each later one
        # after the round before it.
        arranged = days.get(LeadStatus.INTERVIEWING, clock.today)
        for item in spec.rounds:
            offset, hour, minute = item.starts
            on = roll_to_weekday(clock.today + timedelta(days=offset), forward=offset > 0)
            starts_at = datetime.combine(on, time(hour, minute), clock.tz)
            rounds.append(
                FormalInterview(
                    owner=user,
                    lead=lead,
                    kind=item.kind,
                    starts_at=starts_at,
                    time_zone=str(clock.tz),
                    minutes=item.minutes,
                    place=item.place,
                    notes=item.notes,
                    outcome=item.outcome,
                )
            )
            panels.append([_interviewer(world, reference) for reference in item.interviewers])
            # Set up at the latest the evening before (a weekend can put both on one Friday).
            scheduled = min(evening(arranged), starts_at - timedelta(hours=16), clock.now)
            # A round that took place had its outcome written an hour after it ended.
            ended = starts_at + timedelta(minutes=item.minutes + 60)
            moments.append((scheduled, ended if ended < clock.now else scheduled))
            arranged = on
    FormalInterview.objects.bulk_create(rounds)
    Through = FormalInterview.interviewers.through
    Through.objects.bulk_create(
        [
            Through(formalinterview_id=row.pk, contact_id=person.pk)
            for row, people in zip(rounds, panels, strict=True)
            for person in people
        ]
    )
    for row, (created, updated) in zip(rounds, moments, strict=True):
        stamps.add(row, created, updated)
    stamps.flush()
    return len(leads)
