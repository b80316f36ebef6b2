"""``{% url %}``, without a full ``reverse()`` for each row of a list.

Lists link every row to its page: ``{% url 'conversations:detail' learning.conversation_id %}``.
Django resolves such a link from scratch each time (about 30 µs: the resolver's lookups, the
converters, quoting), and a page of a few dozen rows spent 3 ms on it (the weekly review at
30,000 contacts). For a link with a single argument that is a non-negative integer, this tag
reverses the name once with a probe number, keeps what comes before and after it, and then
writes ``before + id + after``; a link without arguments (the menu's) is reversed once.
Anything else (keyword arguments, strings, ``as``) goes through Django's own tag. Loaded as
a builtin after Django's, so every template's ``{% url %}`` is this one; tests/test_id_urls.py
checks that both give the same links.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
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


def _urlconf() -> str:
    # The request's own URLconf if it set one, else the settings' (which a test may change).
    return get_urlconf() or settings.ROOT_URLCONF  # type: ignore[no-any-return]


def _parts(view_name: str, current_app: str | None) -> tuple[str, str] | None:
    key = (view_name, current_app, get_script_prefix(), _urlconf())
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


def _current_app(context: template.Context) -> str | None:
    """As Django's tag finds it."""
    try:
        return context.request.current_app  # type: ignore[attr-defined,no-any-return]
    except AttributeError:
        try:
            return context.request.resolver_match.namespace  # type: ignore[attr-defined,no-any-return]
        except AttributeError:
            return None


def _fixed(view_name: str, current_app: str | None) -> str:
    """A link without arguments (the menu's, a list's own page): reversed once."""
    key = (view_name, current_app, get_script_prefix(), _urlconf())
    if key not in _whole:
        _whole[key] = reverse(view_name, current_app=current_app)
    return _whole[key]


_whole: dict[tuple[Any, ...], str] = {}


class IdURLNode(URLNode):
    def render(self, context: template.Context) -> str:
        url: str | None = None
        if self.kwargs or self.asvar is not None:
            pass
        elif not self.args:
            url = _fixed(self.view_name.resolve(context), _current_app(context))
        elif len(self.args) == 1:
            value = self.args[0].resolve(context)
            if type(value) is int and value >= 0:
                parts = _parts(self.view_name.resolve(context), _current_app(context))
                if parts is not None:
                    url = f"{parts[0]}{value}{parts[1]}"
        if url is None:
            return super().render(context)
        return conditional_escape(url) if context.autoescape else SafeString(url)


@register.tag
def url(parser: template.base.Parser, token: template.base.Token) -> URLNode:
    node = django_url(parser, token)
    return IdURLNode(node.view_name, node.args, node.kwargs, node.asvar)
