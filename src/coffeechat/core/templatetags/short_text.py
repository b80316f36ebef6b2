"""``truncatechars``, without its cost for text already short enough.

Django's filter walks the text character by character, through a lazy object, even when it
is shorter than the limit: most notes and learnings are, and a list of thirty paid 4 ms for
it (the weekly review at 30,000 contacts). Loaded as a builtin after Django's own, so every
template's ``truncatechars`` is this one; the result is the same, Django's for long text.
"""

from __future__ import annotations

import unicodedata

from django import template
from django.template.defaultfilters import stringfilter
from django.template.defaultfilters import truncatechars as django_truncatechars

register = template.Library()


@register.filter(is_safe=True)
@stringfilter
def truncatechars(value: str, arg: object) -> str:
    try:
        length = int(arg)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return value
    # Django's returns the text in its composed form (NFC) when it is short enough.
    text = unicodedata.normalize("NFC", value)
    if 0 < length and len(text) <= length:
        return text
    return str(django_truncatechars(value, length))
