"""The builtin ``{% url %}`` (core/templatetags/id_urls.py) writes the same links as Django's
for every link of the templates, and leaves every other case to Django's tag."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Engine, Template
from django.urls import NoReverseMatch, reverse

import coffeechat

TEMPLATES = Path(coffeechat.__file__).parent
NAMED = re.compile(r"{%\s*url\s+'([\w:-]+)'\s+[\w.]+\s*%}")
IDS = [0, 1, 7, 42, 10**6, 2**53]


def _names_with_one_argument() -> list[str]:
    """Every view name a template links to with one argument."""
    names = set()
    for path in TEMPLATES.rglob("*.html"):
        names.update(NAMED.findall(path.read_text(encoding="utf-8")))
    return sorted(names)


def _render(source: str, **context: object) -> str:
    return Template(source).render(Context(context))


def test_the_templates_link_to_many_pages_this_way() -> None:
    assert len(_names_with_one_argument()) > 20


@pytest.mark.parametrize("name", _names_with_one_argument())
def test_each_link_is_the_one_django_writes(name: str) -> None:
    for pk in IDS:
        try:
            expected = reverse(name, args=[pk])
        except NoReverseMatch:
            # Not an integer link (a week, a token): Django's tag answers, and fails alike.
            with pytest.raises(NoReverseMatch):
                _render(f"{{% url '{name}' pk %}}", pk=pk)
            continue
        assert _render(f"{{% url '{name}' pk %}}", pk=pk) == expected


def test_links_without_arguments_are_djangos() -> None:
    names = set()
    for path in TEMPLATES.rglob("*.html"):
        names.update(re.findall(r"{%\s*url\s+'([\w:-]+)'\s*%}", path.read_text(encoding="utf-8")))
    assert len(names) > 10
    for name in sorted(names):
        assert _render(f"{{% url '{name}' %}}") == reverse(name)
        assert _render(f"{{% url '{name}' %}}") == reverse(name)  # the second time, kept


def test_other_links_go_through_djangos_tag() -> None:
    assert _render("{% url 'review:week' week %}", week="2026-11-23") == reverse(
        "review:week", args=["2026-11-23"]
    )
    assert _render("{% url 'contacts:detail' contact_id=5 %}") == reverse(
        "contacts:detail", args=[5]
    )
    assert _render("{% url 'contacts:detail' '5' %}") == reverse("contacts:detail", args=["5"])
    assert _render("{% url 'contacts:detail' 5 as link %}[{{ link }}]") == (
        f"[{reverse('contacts:detail', args=[5])}]"
    )
    with pytest.raises(NoReverseMatch):
        _render("{% url 'contacts:detail' pk %}", pk=-1)
    with pytest.raises(NoReverseMatch):
        _render("{% url 'contacts:detail' pk %}", pk=True)


def test_it_is_the_builtin_every_template_gets() -> None:
    assert "coffeechat.core.templatetags.id_urls" in settings.TEMPLATES[0]["OPTIONS"]["builtins"]
    node = Engine.get_default().from_string("{% url 'contacts:detail' 3 %}").nodelist[0]
    assert type(node).__name__ == "IdURLNode"


def test_a_script_prefix_moves_the_links(settings) -> None:
    from django.urls import set_script_prefix

    set_script_prefix("/cc/")
    try:
        assert _render("{% url 'contacts:detail' 9 %}").startswith("/cc/")
        assert _render("{% url 'contacts:detail' 9 %}") == reverse("contacts:detail", args=[9])
    finally:
        set_script_prefix("/")
