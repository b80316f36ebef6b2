"""Sections of other apps' pages that need what interview holds: {% contact_shadowing contact %}
(a contact's shadowing, for their page), {% fit_verdict assessment %} (the fit page's
verdict, which weighs shadowing) and {% target_themes target %} (fit's recurring themes, which
read interview mode's notes too)."""

from __future__ import annotations

from typing import Any

from django import template

from coffeechat.contacts.models import Contact
from coffeechat.fit.insights import held_conversations, names_of, passages, themes
from coffeechat.fit.selectors import Assessment, verdict_section
from coffeechat.interview.models import Shadowing
from coffeechat.interview.selectors import question_notes_said, shadowing_for_target
from coffeechat.targets.models import Target

register = template.Library()


@register.inclusion_tag("interview/_shadowing_for_contact.html")
def contact_shadowing(contact: Contact) -> dict[str, Any]:
    shadowing = Shadowing.objects.filter(owner_id=contact.owner_id, contact=contact).first()
    return {"contact": contact, "shadowing": shadowing}


@register.inclusion_tag("fit/_verdict.html", takes_context=True)
def fit_verdict(context: template.Context, assessment: Assessment) -> dict[str, Any]:
    """{% fit_verdict assessment %}: the verdict card of a fit page. Drawn here because the
    verdict weighs shadowing, which this app holds and fit (below it) cannot read."""
    section = verdict_section(
        assessment=assessment,
        shadowing=shadowing_for_target(target=assessment.target),
        form=context.get("verdict_form"),
    )
    return {
        "card": section,
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }


@register.inclusion_tag("fit/_themes.html")
def target_themes(target: Target) -> dict[str, Any]:
    """{% target_themes target %}: what several held conversations about a target said, from
    their learnings and notes (fit) and the notes under each question (interview mode)."""
    conversations = held_conversations(target=target)
    said = passages(conversations) + question_notes_said(conversations)
    return {
        "target": target,
        "themes": themes(said, ignore=names_of(conversations)),
        "held": len(conversations),
    }
