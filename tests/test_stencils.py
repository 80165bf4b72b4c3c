"""Stencils: markup rendered once with holes, filled per request (directory/stencils.py)."""

import pytest
from django.core.cache import caches
from django.template import engines
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from directory.stencils import (
    Skeletons,
    StandIn,
    Stencil,
    StencilError,
    hole,
    holes,
    list_shape,
    stand_ins,
)

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


# --- skeletons: one rendering per shape, each object filled in ---------------------------------

SKELETON_TEMPLATES = {
    "card.html": (
        "<h2 id='c-{{ item.pk }}'>{{ item.name }}</h2>{% if item.note %}<p>{{ item.note }}</p>"
        "{% endif %}<p>{% for t in item.tags.all %}<i>{{ t.label }}</i>{% if not forloop.last %}"
        ", {% endif %}{% empty %}none{% endfor %}</p><a href='{{ item.phone|tel }}'>"
        "{{ item.phone|phone }}</a>{{ live.next }}"
    ),
    "counter.html": "{% for t in item.tags.all %}{{ forloop.counter }}:{{ t.label }};{% endfor %}",
    "unknown.html": "{{ item.name }}{% if item.secret %}!{% endif %}",
    "upper.html": "{{ item.name|upper }}",
}


@pytest.fixture
def skeleton_templates(settings):
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {
                "loaders": [("django.template.loaders.locmem.Loader", SKELETON_TEMPLATES)],
                "builtins": ["centers.templatetags.listing"],
            },
        }
    ]


class Item:
    def __init__(self, pk, name, note="", tags=(), phone="+12025550147", secret=False):
        self.pk, self.name, self.note, self.phone, self.secret = pk, name, note, phone, secret
        self.tags = type(
            "Tags", (), {"all": lambda _: [type("T", (), {"label": t}) for t in tags]}
        )()


def draw(skeletons: Skeletons, item: Item) -> tuple[str, str]:
    """(from the skeleton, from the template) for ``item``."""
    values = {
        "pk": str(item.pk),
        "name": item.name,
        "note": item.note,
        "phone": item.phone,
        "tags": list(item.tags.all()),
        "next": hole("next"),
    }
    values["tags"] = [tag.label for tag in values["tags"]]
    shape = (bool(item.note), list_shape(values["tags"]))

    def figure(unknown):
        tags = stand_ins("tags", len(values["tags"]), lambda h: StandIn({"label": h}, unknown))
        attributes = {
            "pk": hole("pk"),
            "name": hole("name"),
            "note": hole("note") if item.note else "",
            "phone": hole("phone"),
            "tags": StandIn({"all": lambda: tags}, unknown),
        }
        return {"item": StandIn(attributes, unknown), "live": holes("next")}

    def render():
        return render_to_string(skeletons.template_name, {"item": item, "live": holes("next")})

    lists = ["tags"] if len(values["tags"]) > 1 else []
    return skeletons.draw(shape, figure, values, lists, render), render()


def test_a_skeleton_draws_each_object_as_its_template_renders_it(skeleton_templates):
    skeletons = Skeletons("card.html")
    items = [
        Item(1, "A & B", tags=["x"]),
        Item(2, "<C>", note="n'1", tags=["p", "q<", "r", "s"]),
        Item(3, "D", note="", tags=[]),
        Item(4, "E", note="m", tags=["only"], phone="+12025550148;ext=12"),
        Item(5, "F", tags=["one", "two"]),
        Item(6, '"G"', note="&", tags=["a", "b", "c"]),
        Item(7, "H", tags=[]),
    ]
    for item in items:
        drawn, rendered = draw(skeletons, item)
        assert drawn == rendered
    # Seven objects, five shapes, none refused: later objects were filled, not rendered.
    assert len(skeletons._skeletons) == 5
    assert all(skeleton is not None for skeleton in skeletons._skeletons.values())
    assert "(202) 555-0148 ext. 12" in draw(skeletons, items[3])[0]


@pytest.mark.parametrize(
    ("template", "why"),
    [
        ("counter.html", "items not joined alike"),
        ("unknown.html", "an attribute the stand-in lacks"),
        ("upper.html", "a filter that rewrites the hole"),
    ],
)
def test_a_template_a_skeleton_cannot_model_is_rendered_directly(skeleton_templates, template, why):
    skeletons = Skeletons(template)
    items = [Item(1, "a", tags=["x", "y", "z"], secret=True), Item(2, "b", tags=["u", "v", "w"])]
    for item in items:
        drawn, rendered = draw(skeletons, item)
        assert drawn == rendered, why
    assert list(skeletons._skeletons.values()) == [None], why
