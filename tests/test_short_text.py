"""The templates' truncatechars gives what Django's gives, for any text and limit."""

from __future__ import annotations

from django.template import Context, Template
from django.template.defaultfilters import truncatechars as django_truncatechars
from hypothesis import given
from hypothesis import strategies as st

from coffeechat.core.templatetags.short_text import truncatechars


@given(text=st.text(max_size=60), length=st.integers(-2, 70))
def test_truncatechars_gives_what_django_gives(text: str, length: int) -> None:
    assert truncatechars(text, length) == django_truncatechars(text, length)
    assert truncatechars(text, str(length)) == django_truncatechars(text, str(length))


def test_templates_use_it_and_still_cut_long_text() -> None:
    rendered = Template("{{ text|truncatechars:5 }}|{{ short|truncatechars:'x' }}").render(
        Context({"text": "Cafe\u0301 au lait", "short": "e\u0301"})
    )
    assert rendered == "Café…|e\u0301"
    node = Template("{{ text|truncatechars:5 }}").nodelist[0]
    assert node.filter_expression.filters[0][0] is truncatechars  # type: ignore[attr-defined]
