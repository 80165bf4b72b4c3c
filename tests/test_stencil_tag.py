"""{% stencil %}: markup kept per key, holes rendered per request (directory/templatetags)."""

import logging

import pytest
from django.template import TemplateSyntaxError, engines
from django.utils import translation

from helplines.context_processors import SiteNumbers
from tests.factories import make_helpline

TEMPLATE = (
    "{% load stencils i18n %}{% stencil LANGUAGE_CODE tone=page.tone %}"
    '<p class="{{ tone }}" lang="{{ LANGUAGE_CODE }}">{% translate "Find a center" %}: '
    "{% hole %}{{ name }}{% endhole %} ({% hole %}{{ count }}{% endhole %})</p>"
    "{% endstencil %}"
)


def compile_(source: str):
    return engines["django"].from_string(source)


def kept_keys(template) -> dict:
    (node,) = [n for n in template.template.nodelist if type(n).__name__ == "StencilNode"]
    return node._kept


def test_each_request_fills_the_kept_markup_with_its_own_values():
    template = compile_(TEMPLATE)
    context = {"LANGUAGE_CODE": "en", "page": {"tone": "calm"}}
    first = template.render({**context, "name": "A & B", "count": 3})
    second = template.render({**context, "name": "<C>", "count": 40})
    assert first == '<p class="calm" lang="en">Find a center: A &amp; B (3)</p>'
    assert second == '<p class="calm" lang="en">Find a center: &lt;C&gt; (40)</p>'
    assert list(kept_keys(template).values()) == [
        (('<p class="calm" lang="en">Find a center: ', " (", ")</p>"), (0, 1))
    ]


def test_a_new_key_value_or_language_draws_its_own_markup():
    template = compile_(TEMPLATE)
    assert template.render({"LANGUAGE_CODE": "en", "page": {"tone": "loud"}, "name": "x"}) == (
        '<p class="loud" lang="en">Find a center: x ()</p>'
    )
    with translation.override("es"):
        spanish = template.render({"LANGUAGE_CODE": "es", "page": {"tone": "loud"}, "name": "x"})
    assert spanish == '<p class="loud" lang="es">Buscar un centro: x ()</p>'
    assert len(kept_keys(template)) == 2


def test_markup_that_reads_a_name_outside_its_key_is_rendered_directly(caplog):
    template = compile_(
        "{% load stencils %}{% stencil tone %}<p>{{ tone }} {{ mood }}</p>"
        "{% hole %}{{ name }}{% endhole %}{% endstencil %}"
    )
    with caplog.at_level(logging.WARNING, logger="directory.templatetags.stencils"):
        # Even when the name it reads is empty the first time, which a comparison cannot see.
        assert template.render({"tone": "a", "name": "n"}) == "<p>a </p>n"
    assert "it reads ['mood']" in caplog.text
    assert template.render({"tone": "a", "mood": "sad", "name": "m"}) == "<p>a sad</p>m"
    assert list(kept_keys(template).values()) == [None]


def test_markup_that_differs_from_its_drawing_is_rendered_directly(caplog):
    """A tag that reads something other than the context (here a counter) is caught by the
    comparison of the first request's two renderings."""
    from django import template as django_template

    library = django_template.Library()
    calls = iter(range(1000))

    @library.simple_tag
    def ticket() -> int:
        return next(calls)

    engine = engines["django"].engine
    engine.template_builtins.append(library)
    try:
        template = compile_("{% load stencils %}{% stencil %}#{% ticket %}{% endstencil %}")
        with caplog.at_level(logging.WARNING, logger="directory.templatetags.stencils"):
            assert template.render({}) == "#0"
        assert "cannot be kept" in caplog.text
        assert template.render({}) == "#2"  # its drawing took #1
    finally:
        engine.template_builtins.remove(library)


def test_a_key_that_cannot_be_hashed_renders_directly():
    template = compile_("{% load stencils %}{% stencil tags %}{{ tags|join:',' }}{% endstencil %}")
    assert template.render({"tags": ["a", "b"]}) == "a,b"
    assert kept_keys(template) == {}


def test_a_block_outside_a_hole_is_refused_when_the_template_loads():
    with pytest.raises(TemplateSyntaxError, match="inside a {% hole %}"):
        compile_("{% load stencils %}{% stencil %}{% block title %}{% endblock %}{% endstencil %}")


def test_a_hole_sees_the_page_and_what_earlier_holes_set():
    template = compile_(
        "{% load stencils page_meta %}{% stencil %}"
        "{% hole %}{% capture title %}{{ name }}!{% endcapture %}{% endhole %}"
        "<h1>{% hole %}{{ title }}{% endhole %}</h1>{% endstencil %}"
    )
    assert template.render({"name": "One"}) == "<h1>One!</h1>"
    assert template.render({"name": "Two"}) == "<h1>Two!</h1>"


@pytest.mark.django_db
def test_the_page_frame_changes_with_the_general_helplines(client):
    line = make_helpline(label="Detox help", number="+12025550142")
    assert "Detox help: (202) 555-0142" in client.get("/where-calls-go/").content.decode()
    line.label = "Recovery help"
    line.save()
    html = client.get("/where-calls-go/").content.decode()
    assert "Recovery help: (202) 555-0142" in html
    assert "Detox help" not in html
    line.active = False
    line.save()
    assert "Recovery help" not in client.get("/where-calls-go/").content.decode()


@pytest.mark.django_db
def test_site_numbers_are_equal_when_they_show_the_same():
    line = make_helpline(label="Detox help")
    before = SiteNumbers()
    assert before == SiteNumbers()
    assert hash(before) == hash(SiteNumbers())
    make_helpline(label="Rehab help")
    first, second = SiteNumbers(), SiteNumbers()
    assert len(first) == 2
    assert first == second
    assert first != before  # another line: another frame
    line.label = "Detox and withdrawal"
    line.save()
    assert SiteNumbers() != first  # a label changed: another frame


def test_loops_and_plurals_inside_a_stencil_are_kept():
    """{% for %} and {% blocktranslate count %} ask whether a name is set before setting it:
    asking is not reading, so such markup is still kept."""
    template = compile_(
        "{% load stencils i18n %}{% stencil miles %}{% for n in miles %}"
        "{% blocktranslate count counter=n %}{{ counter }} mile{% plural %}{{ counter }} miles"
        "{% endblocktranslate %};{% endfor %}{% hole %}{{ near }}{% endhole %}{% endstencil %}"
    )
    assert template.render({"miles": (1, 5), "near": "60601"}) == "1 mile;5 miles;60601"
    assert template.render({"miles": (1, 5), "near": "10001"}) == "1 mile;5 miles;10001"
    assert None not in kept_keys(template).values()


@pytest.mark.django_db
def test_a_process_reads_the_general_helplines_at_most_every_few_seconds(
    client, settings, django_assert_num_queries
):
    from helplines.context_processors import _read_general_lines
    from helplines.models import Helpline

    settings.SITE_NUMBERS_SECONDS = 60
    line = make_helpline(label="Detox help")
    with django_assert_num_queries(1):
        assert [h.label for h in _read_general_lines()] == ["Detox help"]
    with django_assert_num_queries(0):
        _read_general_lines()
    # A change made without a save (another process's, here an update) shows after the delay.
    Helpline.objects.filter(pk=line.pk).update(label="Renamed")
    assert [h.label for h in _read_general_lines()] == ["Detox help"]
    settings.SITE_NUMBERS_SECONDS = 0
    assert [h.label for h in _read_general_lines()] == ["Renamed"]
    # A save in this process shows at once.
    settings.SITE_NUMBERS_SECONDS = 60
    line.refresh_from_db()
    line.label = "Saved here"
    line.save()
    assert "Saved here: " in client.get("/where-calls-go/").content.decode()
