"""Links to addresses the user stored or imported: only http(s) ones become links."""

from __future__ import annotations

from django import template

from coffeechat.core.validators import is_web_url

register = template.Library()


@register.filter
def safe_url(value: object) -> str:
    """The address itself when it is an http(s) one, else "": ``javascript:`` or ``data:``
    addresses (an imported file can hold anything) are shown as text, never linked."""
    return str(value).strip() if is_web_url(value) else ""
