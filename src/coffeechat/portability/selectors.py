"""Everything of one account, out: JSON (complete, restorable), CSV and vCard (contacts, for
other address books) and Markdown (to read).

The JSON walks the app registry: every model with an ``owner`` foreign key to the user is
exported, so a capability added later is covered without touching this file. Many-to-many
fields travel as lists of ids on their rows (auto-created through tables), or as rows of their
own (an explicit through model that is not itself owned).
"""

from __future__ import annotations

import base64
import csv
import io
import re
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import vobject
from django.contrib.auth.models import User
from django.db import models
from django.utils import timezone

from coffeechat.accounts.models import Profile
from coffeechat.core.owned import is_owner_field, owned_models, portable_models

SCHEMA = "coffeechat-export"
VERSION = 1
FORMATS = ("json", "csv", "vcard", "markdown")


def exported_fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if not f.primary_key and not is_owner_field(f)]


def to_json(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    return value


def _through_models(model: type[models.Model]) -> list[tuple[models.ManyToManyField, Any]]:
    return [(m2m, m2m.remote_field.through) for m2m in model._meta.many_to_many]  # type: ignore[misc]


def relations() -> dict[str, dict[str, str]]:
    """For each exported model, which field points at which model: the map a restore (and a
    comparison of two exports) needs to follow ids."""
    result: dict[str, dict[str, str]] = {}
    for model in portable_models():
        links = {
            f.name: f.related_model._meta.label_lower
            for f in exported_fields(model)
            if f.is_relation and f.related_model is not None
        }
        for m2m, through in _through_models(model):
            if through._meta.auto_created:
                links[m2m.name] = m2m.related_model._meta.label_lower  # type: ignore[union-attr]
        result[model._meta.label_lower] = links
    return result


def profile_fields() -> list[str]:
    """The profile's fields an export carries and a restore sets: those the user edits."""
    from coffeechat.accounts.forms import ProfileForm

    return list(ProfileForm.Meta.fields)


def _owned_prefetch(m2m: models.ManyToManyField, user: User) -> models.Prefetch | str:
    """The rows at the other end of a many-to-many field, read among the user's own (by the
    owner index) when they have an owner: without it PostgreSQL may hash every user's rows
    to join them."""
    related = m2m.related_model
    if isinstance(related, type) and any(is_owner_field(f) for f in related._meta.fields):
        return models.Prefetch(m2m.name, queryset=related._default_manager.filter(owner=user))
    return m2m.name


def account_export(*, user: User) -> dict[str, Any]:
    profile = Profile.objects.filter(user=user).first()
    data: dict[str, Any] = {
        "schema": SCHEMA,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        "account": {
            "username": user.username,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
        },
        # What the user set on the settings page, and nothing the app keeps for itself: the
        # calendar feed's secret would let anyone who reads the file read the calendar.
        "profile": {name: to_json(getattr(profile, name)) for name in profile_fields()}
        if profile
        else {},
        "relations": relations(),
        "models": {},
        "through": {},
    }
    for model in portable_models():
        fields = exported_fields(model)
        m2ms = _through_models(model)
        rows = []
        queryset = model._default_manager.filter(owner=user).order_by("pk")
        auto = [m2m for m2m, through in m2ms if through._meta.auto_created]
        if auto:
            queryset = queryset.prefetch_related(*[_owned_prefetch(m2m, user) for m2m in auto])
        for obj in queryset.iterator(chunk_size=2000):
            row = {"id": obj.pk}
            for f in fields:
                row[f.name] = to_json(getattr(obj, f.attname))
            for m2m in auto:
                row[m2m.name] = sorted(o.pk for o in getattr(obj, m2m.name).all())
            rows.append(row)
        data["models"][model._meta.label_lower] = rows
        for m2m, through in m2ms:
            if through._meta.auto_created or through in owned_models():
                continue
            source = m2m.m2m_field_name()  # type: ignore[attr-defined]
            through_rows = through._default_manager.filter(**{f"{source}__owner": user})
            data["through"][through._meta.label_lower] = [
                {f.name: to_json(getattr(r, f.attname)) for f in through._meta.concrete_fields}
                for r in through_rows.order_by("pk")
            ]
    return data


# ---------------------------------------------------------------------------------------------
# Contacts for other address books, and a document to read
# ---------------------------------------------------------------------------------------------


def _contacts(user: User) -> models.QuerySet:
    from coffeechat.contacts.models import Contact, Tag

    return (
        Contact.objects.filter(owner=user)
        .select_related("organization")
        .prefetch_related(models.Prefetch("tags", queryset=Tag.objects.filter(owner=user)))
        .order_by("last_name", "first_name", "id")
    )


# Google Contacts' current layout: any address book (and coffeechat's own importer) reads it.
CSV_HEADER = [
    "First Name",
    "Last Name",
    "Organization Name",
    "Organization Title",
    "Notes",
    "Labels",
    "E-mail 1 - Label",
    "E-mail 1 - Value",
    "Phone 1 - Label",
    "Phone 1 - Value",
    "Website 1 - Label",
    "Website 1 - Value",
]


# A cell that begins with one of these is a formula to a spreadsheet (=, + and - compute, @
# calls a function; tab and carriage return hide one after them): OWASP's CSV injection rule.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: str) -> str:
    """A value that a spreadsheet shows as text, never runs: a formula-like start gets a single
    quote before it (OWASP). "+1 617 555 0100" becomes "'+1 617 555 0100", by design."""
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def contacts_csv(*, user: User) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for c in _contacts(user).iterator(chunk_size=2000):
        writer.writerow(
            csv_cell(value)
            for value in [
                c.first_name,
                c.last_name,
                c.organization.name if c.organization_id else "",
                c.title,
                c.notes,
                " ::: ".join(["* myContacts", *(t.name for t in c.tags.all())]),
                "Work" if c.email else "",
                c.email,
                "Mobile" if c.phone else "",
                c.phone,
                "LinkedIn" if c.linkedin_url else "",
                c.linkedin_url,
            ]
        )
    return out.getvalue()


# Control characters other than tab and line breaks: no vCard value may hold them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _vtext(value: str) -> str:
    # Line breaks of any kind become the writer's escaped newline (vobject escapes "\n" only).
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def contact_vcard(contact: Any) -> str:
    """One contact as a vCard 3.0, written by vobject: every value escaped and folded by the
    library (RFC 6350), so that no name, note or URL with a line break can start a property."""
    card = vobject.vCard()
    card.add("n").value = vobject.vcard.Name(
        family=_vtext(contact.last_name), given=_vtext(contact.first_name)
    )
    card.add("fn").value = _vtext(contact.full_name)
    if contact.organization_id:
        card.add("org").value = [_vtext(contact.organization.name)]
    if contact.title:
        card.add("title").value = _vtext(contact.title)
    if contact.email:
        email = card.add("email")
        email.value = _vtext(contact.email)
        email.type_param = "INTERNET"
    if contact.phone:
        card.add("tel").value = _vtext(contact.phone)
    if contact.linkedin_url:
        card.add("url").value = _vtext(contact.linkedin_url)
    if contact.notes:
        card.add("note").value = _vtext(contact.notes)
    tags = [_vtext(t.name) for t in contact.tags.all()]
    if tags:
        card.add("categories").value = tags
    return card.serialize()


def contacts_vcard(*, user: User) -> str:
    return "".join(contact_vcard(c) for c in _contacts(user).iterator(chunk_size=2000))


def account_markdown(*, user: User) -> str:
    from coffeechat.conversations.models import Conversation
    from coffeechat.followups.models import FollowUp
    from coffeechat.notes.models import Note
    from coffeechat.targets.models import Target

    out = [
        f"# coffeechat export of {user.username}",
        "",
        f"Exported {timezone.now():%Y-%m-%d}.",
        "",
    ]
    out += ["## Targets", ""]
    for t in Target.objects.filter(owner=user).order_by(*Target.LAMP_ORDER):
        out.append(f"- **{t.name}** ({t.get_kind_display()}, {t.lamp_label}, {t.status})")
        if t.why:
            out.append(f"  {' '.join(t.why.split())}")
    notes: dict[int, list[Note]] = {}
    for note in Note.objects.filter(owner=user, contact__isnull=False).order_by("created_at"):
        notes.setdefault(note.contact_id or 0, []).append(note)
    out += ["", "## Contacts", ""]
    for c in _contacts(user):
        job = " at ".join(
            p for p in (c.title, c.organization.name if c.organization_id else "") if p
        )
        out.append(f"### {c.full_name}" + (f", {job}" if job else ""))
        facts = [
            c.get_how_connected_display(),
            c.connection_detail,
            c.email,
            c.phone,
            c.linkedin_url,
        ]
        out.append(" · ".join(f for f in facts if f))
        if c.notes:
            out += ["", c.notes]
        for note in notes.get(c.pk, []):
            out.append(f"- {note.created_at:%Y-%m-%d}: {' '.join(note.text.split())}")
        out.append("")
    out += ["## Conversations", ""]
    conversations = (
        Conversation.objects.filter(owner=user)
        .select_related("contact")
        .prefetch_related("learnings", "note_set")
        .order_by("created_at")
    )
    for conv in conversations:
        when = f"{conv.starts_at:%Y-%m-%d}" if conv.starts_at else "not scheduled"
        out.append(f"### {conv.contact.full_name}: {conv.status_label}, {when}")
        for learning in conv.learnings.all():
            out.append(f"- {learning.get_kind_display()}: {' '.join(learning.text.split())}")
        for note in conv.note_set.all():
            out.append(f"- Note: {' '.join(note.text.split())}")
        out.append("")
    out += ["## Follow-ups", ""]
    for f in FollowUp.objects.filter(owner=user).order_by("due_on", "id"):
        out.append(f"- [{'x' if f.is_done else ' '}] {f.due_on:%Y-%m-%d} {f.what}")
    return "\n".join(out) + "\n"


def export_as(*, user: User, format: str) -> tuple[str, str, str]:
    """(content, media type, file name) for one of FORMATS."""
    import json

    stamp = timezone.localdate().isoformat()
    if format == "csv":
        return contacts_csv(user=user), "text/csv", f"coffeechat-contacts-{stamp}.csv"
    if format == "vcard":
        return contacts_vcard(user=user), "text/vcard", f"coffeechat-contacts-{stamp}.vcf"
    if format == "markdown":
        return account_markdown(user=user), "text/markdown", f"coffeechat-{stamp}.md"
    content = json.dumps(account_export(user=user), ensure_ascii=False, indent=1)
    return content, "application/json", f"coffeechat-{stamp}.json"
