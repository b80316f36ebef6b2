"""What a delete takes with it, in sentences, read from the database's own cascade rules.

Django's deletion Collector knows every row a delete removes (CASCADE) and every link it
empties (SET_NULL). Asking it, rather than listing related tables by hand in each view, keeps
the confirmation page true when a new app adds a table that points at contacts, and keeps the
base apps from importing the apps built on them just to count their rows.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db import models, router
from django.db.models.deletion import Collector

from coffeechat.core.text import plural

# How people call the rows a delete can take along, by model label; a model missing here is
# named by its verbose name. Parts of something already named (the questions of a prep plan,
# the clock of interview mode) are left out: "its prep plan" says enough.
NAMES: dict[str, tuple[str, str]] = {
    # Contacts pointing at a contact are the people they introduced.
    "contacts.contact": ("person they introduced", "people they introduced"),
    "conversations.conversation": ("conversation", "conversations"),
    "conversations.learning": ("learning", "learnings"),
    "notes.note": ("note", "notes"),
    "followups.followup": ("follow-up", "follow-ups"),
    "leads.lead": ("lead", "leads"),
    "leads.formalinterview": ("formal interview round", "formal interview rounds"),
    "outreach.outreach": ("logged message", "logged messages"),
    "outreach.keepintouch": ("keep-in-touch cadence", "keep-in-touch cadences"),
    "prep.prepplan": ("prep plan", "prep plans"),
    "prep.researchitem": ("research item", "research items"),
    "prep.targetresearch": ("page of research notes", "pages of research notes"),
    "interview.questionnote": (
        "question noted in interview mode",
        "questions noted in interview mode",
    ),
    "interview.referral": ("referral record", "referral records"),
    "interview.shadowing": ("shadowing plan", "shadowing plans"),
    "network.knows": ("“knows” link", "“knows” links"),
    "contacts.jobhistory": ("earlier job", "earlier jobs"),
    "contacts.notduplicate": ("“not the same person” mark", "“not the same person” marks"),
    "fit.fitline": ("fit assessment line", "fit assessment lines"),
    "fit.openquestion": ("open question", "open questions"),
    "questions.question": ("question of your own", "questions of your own"),
    "questions.questionmark": ("star or hide on a question", "stars or hides on questions"),
}
SILENT = {"prep.prepitem", "interview.interviewsession"}

# What a SET_NULL leaves behind, by "model.field": the rows stay, without the link.
KEPT: dict[str, tuple[str, str, str]] = {
    "contacts.contact.organization": ("contact", "contacts", "without an organization"),
    "contacts.contact.introduced_by": (
        "person they introduced",
        "people they introduced",
        "without an introducer",
    ),
    "contacts.jobhistory.organization": ("earlier job", "earlier jobs", "without an organization"),
    "targets.target.organization": ("target", "targets", "without an organization"),
    "leads.lead.source_conversation": ("lead", "leads", "without the conversation it came from"),
    "leads.lead.source_contact": ("lead", "leads", "without the contact it came from"),
    "leads.lead.organization": ("lead", "leads", "without an organization"),
    "leads.lead.target": ("lead", "leads", "without a target"),
    "interview.shadowing.conversation": (
        "shadowing plan",
        "shadowing plans",
        "without the conversation it came from",
    ),
}


# Links (many-to-many rows) worth a sentence when the deleted row is the one they point at,
# keyed by (link table, deleted model): the rows on the other side stay, unlinked.
LINKS: dict[tuple[str, str], tuple[str, str, str]] = {
    ("conversations.conversation_targets", "targets.target"): (
        "conversation",
        "conversations",
        "no longer about it",
    ),
    ("contacts.contact_tags", "contacts.tag"): ("contact", "contacts", "no longer tagged with it"),
    ("leads.formalinterview_interviewers", "contacts.contact"): (
        "formal interview round",
        "formal interview rounds",
        "without them among the interviewers",
    ),
    ("fit.fitline_learnings", "conversations.learning"): (
        "fit assessment line",
        "fit assessment lines",
        "no longer citing it as evidence",
    ),
    ("fit.fitline_notes", "notes.note"): (
        "fit assessment line",
        "fit assessment lines",
        "no longer citing it as evidence",
    ),
}
# Listed first: what the user thinks of as the main things.
_ORDER = {label: index for index, label in enumerate(NAMES)}


def name_of(model: type[models.Model], count: int) -> str:
    """``count`` rows of ``model`` in words: "3 notes", "1 “knows” link"."""
    label = model._meta.label_lower
    singular, plural_form = NAMES.get(
        label, (str(model._meta.verbose_name), str(model._meta.verbose_name_plural))
    )
    return plural(count, singular, plural_form)


def _count(rows: Any) -> int:
    """Collector keeps a field update's rows as a queryset or as a list of instances."""
    return rows.count() if isinstance(rows, models.QuerySet) else len(rows)


def delete_consequences(obj: models.Model) -> list[str]:
    """One sentence per kind of row that deleting ``obj`` removes or unlinks."""
    collector = Collector(using=router.db_for_write(type(obj)), origin=obj)
    collector.collect([obj])
    removed: Counter[type[models.Model]] = Counter()
    for model, instances in collector.data.items():
        removed[model] += len(instances)
    for queryset in collector.fast_deletes:
        removed[queryset.model] += queryset.count()
    removed[type(obj)] -= 1
    origin = type(obj)._meta.label_lower
    lines = []
    for model in sorted(removed, key=lambda m: _ORDER.get(m._meta.label_lower, len(_ORDER))):
        count, label = removed[model], model._meta.label_lower
        if count <= 0 or label in SILENT:
            continue
        if model._meta.auto_created:
            if (label, origin) in LINKS:
                singular, plural_form, how = LINKS[(label, origin)]
                verb = "stays" if count == 1 else "stay"
                lines.append(f"{plural(count, singular, plural_form)} {verb}, {how}.")
            continue
        lines.append(f"{name_of(model, count)} will be deleted with it.")
    kept: Counter[tuple[type[models.Model], str]] = Counter()
    for (field, _value), targets in collector.field_updates.items():
        key = f"{field.model._meta.label_lower}.{field.name}"
        for rows in targets:
            kept[(field.model, key)] += _count(rows)
    for (_model, key), count in kept.most_common():
        if count and key in KEPT:
            verb = "stays" if count == 1 else "stay"
            singular, plural_form, how = KEPT[key]
            lines.append(f"{plural(count, singular, plural_form)} {verb}, {how}.")
    return lines
