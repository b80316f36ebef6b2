"""``{% url %}``, without a full ``reverse()`` for each row of a list.

Lists link every row to its page: ``{% url 'conversations:detail' learning.conversation_id %}``.
Django resolves such a link from scratch each time (about 30 µs: the resolver's lookups, the
converters, quoting), and a page of a few dozen rows spent 3 ms on it (the weekly review at
30,000 contacts). For a link with a single argument that is a non-negative integer, this tag
reverses the name once with a probe number, keeps what comes before and after it, and then
writes ``before + id + after``. Anything else (keyword arguments, strings, ``as`` variables
are fine) goes through Django's own tag. Loaded as a builtin after Django's, so every
template's ``{% url %}`` is this one; tests/test_id_urls.py checks both give the same links.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

register = template.Library()

# Two numbers that no URL pattern holds literally: a link whose reversal with both differs
# only in that number is "before + id + after" for every id the int converter accepts.
_PROBES = (7340561, 9182736)
# (view name, current app, script prefix, urlconf) -> (before, after), or None when the
# link is not of that shape (another converter, a fixed format): Django's tag then.
_split: dict[tuple[Any, ...], tuple[str, str] | None] = {}


def _parts(view_name: str, current_app: str | None) -> tuple[str, str] | None:
    key = (view_name, current_app, get_script_prefix(), get_urlconf())
    if key not in _split:
        found: tuple[str, str] | None = None
        try:
            first, second = (
                reverse(view_name, args=[probe], current_app=current_app) for probe in _PROBES
            )
        except NoReverseMatch:
            pass
        else:
            pieces = first.split(str(_PROBES[0]))
            if len(pieces) == 2 and second == pieces[0] + str(_PROBES[1]) + pieces[1]:
                found = (pieces[0], pieces[1])
        _split[key] = found
    return _split[key]


class IdURLNode(URLNode):
    def render(self, context: template.Context) -> str:
        if len(self.args) == 1 and not self.kwargs and self.asvar is None:
            value = self.args[0].resolve(context)
            if type(value) is int and value >= 0:
                # As Django's tag finds it.
                try:
                    current_app = context.request.current_app  # type: ignore[attr-defined]
                except AttributeError:
                    try:
                        current_app = context.request.resolver_match.namespace  # type: ignore[attr-defined]
                    except AttributeError:
                        current_app = None
                parts = _parts(self.view_name.resolve(context), current_app)
                if parts is not None:
                    url = f"{parts[0]}{value}{parts[1]}"
                    return conditional_escape(url) if context.autoescape else SafeString(url)
        return super().render(context)


@register.tag
def url(parser: template.base.Parser, token: template.base.Token) -> URLNode:
    node = django_url(parser, token)
    return IdURLNode(node.view_name, node.args, node.kwargs, node.asvar)
