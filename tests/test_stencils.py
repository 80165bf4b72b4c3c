"""Stencils: markup rendered once with holes, filled per request (directory/stencils.py)."""

import pytest
from django.core.cache import caches
from django.template import engines
from django.utils.safestring import mark_safe

from directory.stencils import Stencil, StencilError, hole, holes

# A partial of the project's that writes a value where kept() puts a hole: an option's name.
TEMPLATE = "centers/center_list.html#state_options"


def stencil_of(source: str, **context) -> Stencil:
    return Stencil.of(engines["django"].from_string(source).render(context))


def test_a_filled_stencil_is_the_template_rendered_with_the_values():
    template = "<p title='{{ live.title }}'>{{ name }}: {{ live.count }} ({{ live.count }})</p>"
    stencil = stencil_of(template, name="A & B", live=holes("title", "count"))
    assert stencil.names == ("title", "count", "count")
    filled = stencil.fill({"title": "x", "count": 7})
    assert filled == "<p title='x'>A &amp; B: 7 (7)</p>"
    assert filled == engines["django"].from_string(template).render(
        {"name": "A & B", "live": {"title": "x", "count": 7}}
    )


def test_values_are_escaped_unless_marked_safe():
    stencil = stencil_of(
        "<a href='{{ live.next }}'>{{ live.extra }}</a>", live=holes("next", "extra")
    )
    filled = stencil.fill({"next": '/centers/?q="><script>', "extra": mark_safe("<b>ok</b>")})
    assert filled == "<a href='/centers/?q=&quot;&gt;&lt;script&gt;'><b>ok</b></a>"


def test_a_stencil_without_holes_is_its_markup():
    assert stencil_of("<p>{{ x }}</p>", x="plain").fill({}) == "<p>plain</p>"


def test_every_hole_needs_a_value():
    stencil = stencil_of("{{ live.a }}{{ live.b }}", live=holes("a", "b"))
    with pytest.raises(KeyError):
        stencil.fill({"a": "1"})


def test_a_hole_a_filter_cut_is_refused_not_filled_wrong():
    with pytest.raises(StencilError, match="cut in two"):
        stencil_of("{{ live.a|slice:':12' }}", live=holes("a"))


def test_unknown_holes_are_refused_when_the_names_are_given():
    markup = f"<p>{hole('a')}{hole('b')}</p>"
    assert Stencil.of(markup, expected=["a", "b"]).fill({"a": 1, "b": 2}) == "<p>12</p>"
    with pytest.raises(StencilError, match="unknown holes"):
        Stencil.of(markup, expected=["a"])


def test_text_that_looks_like_a_marker_is_refused_never_taken_for_a_hole():
    # The marker is NUL, a fixed prefix and a random part chosen at start. A NUL alone is text;
    # text with the prefix (which our data cannot hold) fails loudly rather than fill wrong.
    stencil = stencil_of("{{ x }}{{ live.a }}", x="\x00 text", live=holes("a"))
    assert stencil.fill({"a": "!"}) == "\x00 text!"
    with pytest.raises(StencilError):
        stencil_of("{{ x }}{{ live.a }}", x="\x00stencil-0000000000000000\x00", live=holes("a"))


def test_a_kept_stencil_is_rendered_once_per_key_and_never_kept_without_one():
    caches["fragments"].clear()
    shapes = []

    def shape():
        shapes.append(1)
        return {"states": [("CA", hole("a"), "")]}

    for _ in range(3):
        filled = Stencil.kept("k", TEMPLATE, shape).fill({"a": "<"})
        assert filled == '<option value="CA" translate="no">&lt;</option>'

    assert len(shapes) == 1
    for _ in range(2):
        Stencil.kept(None, TEMPLATE, shape)
    assert len(shapes) == 3
    with pytest.raises(StencilError, match="unknown holes"):
        Stencil.kept(None, TEMPLATE, lambda: {"states": [("CA", hole("b"), "")]}, expected=["a"])
