"""The top bar's current section: which one a page belongs to."""

from __future__ import annotations

from django import template

register = template.Library()

# Apps without a section of their own, by the section their pages belong to: interview mode,
# the prep plan and a message draft are steps of a conversation; an import fills the contacts.
SECTION_OF_APP = {
    "interview": "conversations",
    "prep": "conversations",
    "outreach": "conversations",
    "calendar": "conversations",
    "imports": "contacts",
    "notes": "contacts",
    "review": "dashboard",
}
# Pages of those apps that belong elsewhere, by (app, URL name).
SECTION_OF_PAGE = {
    ("outreach", "keep_in_touch"): "followups",
    ("interview", "shadowing"): "contacts",
    # A formal interview's prep sheet is a step of the lead, not of a conversation.
    ("prep", "round_sheet"): "leads",
    ("prep", "round_print"): "leads",
    ("calendar", "round_ics"): "leads",
}


@register.simple_tag(takes_context=True)
def nav_section(context: template.Context) -> str:
    """The view's own ``section`` if it gives one, else the section of its app and page."""
    if context.get("section"):
        return str(context["section"])
    match = getattr(context.get("request"), "resolver_match", None)
    if match is None:
        return ""
    app = match.app_name
    return SECTION_OF_PAGE.get((app, match.url_name), SECTION_OF_APP.get(app, app))
