"""general_helplines on every page, and the two partials the site includes."""

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import RequestFactory

from helplines.context_processors import helplines
from tests.factories import make_center, make_helpline

pytestmark = pytest.mark.django_db


def render(template: str, **context) -> str:
    request = RequestFactory().get("/")
    return render_to_string(template, context, request=request)


def test_only_active_general_lines_in_order(detox_line):
    rehab = make_helpline(label="Rehab helpline", position=1)
    make_helpline(label="Switched off", active=False)
    make_helpline(label="A center's line", kind="center", center=make_center())
    lines = helplines(RequestFactory().get("/"))["general_helplines"]
    assert list(lines) == [detox_line, rehab]


def test_costs_nothing_until_used(django_assert_num_queries):
    with django_assert_num_queries(0):
        helplines(RequestFactory().get("/"))


def test_one_query_however_often_the_page_shows_the_numbers(detox_line, django_assert_num_queries):
    """Header and footer both include the partial: they share one query."""
    template = Template(
        '{% include "helplines/_site_numbers.html" %}{% include "helplines/_site_numbers.html" %}'
    )
    with django_assert_num_queries(1):
        html = template.render(Context(helplines(None)))
    assert html.count("Detox helpline: (202) 555-0101") == 2


def test_site_numbers_link_through_the_call_view_and_say_they_are_paid(detox_line):
    html = render("helplines/_site_numbers.html", **helplines(None))
    assert f'href="/helplines/call/{detox_line.slug}/"' in html
    assert "answered by treatment providers who pay to advertise here" in html
    assert 'href="/where-calls-go/"' in html
    assert 'rel="nofollow"' in html


def test_site_numbers_render_nothing_without_lines(db):
    assert render("helplines/_site_numbers.html", **helplines(None)).strip() == ""


def test_paid_badge_links_to_the_explanation():
    html = render("helplines/_paid_badge.html")
    assert "Paid advertiser" in html
    assert 'href="/where-calls-go/#paid-advertisers"' in html


def test_every_page_shows_the_numbers(client, detox_line):
    html = client.get("/where-calls-go/").content.decode()
    assert f'href="/helplines/call/{detox_line.slug}/"' in html
