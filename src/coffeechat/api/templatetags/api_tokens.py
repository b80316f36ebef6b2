"""{% api_tokens %}: the API tokens card of the settings page (accounts knows nothing of the
API; it shows what this tag renders)."""

from __future__ import annotations

from typing import Any

from django import template

from coffeechat.api.forms import TokenForm
from coffeechat.api.selectors import tokens_for

register = template.Library()


@register.inclusion_tag("api/_tokens.html", takes_context=True)
def api_tokens(context: template.Context) -> dict[str, Any]:
    request = context["request"]
    return {
        "tokens": list(tokens_for(user=request.user)[:50]),
        "form": TokenForm(),
        "csrf_token": context.get("csrf_token"),
    }
