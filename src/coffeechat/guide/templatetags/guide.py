"""{% term "LAMP" %}: a word of the method, explained where it appears (guide/terms.py)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from coffeechat.guide.terms import term_html

register = template.Library()


@register.simple_tag
def term(key: str, text: object = "", note: object = "") -> SafeString:
    """``{% term "3B7" %}`` prints the code as a button that opens its explanation in place;
    ``{% term "LAMP" text=target.lamp_label note="motivation 3 of 3, ..." %}`` prints other
    words for it (a target's label) and says what they mean before the definition."""
    return term_html(key, text=str(text or ""), note=str(note or ""))
