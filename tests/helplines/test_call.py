"""GET /helplines/call/<slug>/: a tap on a helpline number on the site."""

import pytest
from django.urls import reverse

from helplines.models import Call
from tests.factories import make_helpline

pytestmark = pytest.mark.django_db


def test_records_a_web_call_and_hands_over_to_the_phone(client, detox_line):
    response = client.get(reverse("helplines:call", args=[detox_line.slug]))
    assert response.status_code == 302
    assert response["Location"] == "tel:+12025550101"
    call = Call.objects.get()
    assert (call.helpline, call.source, call.status) == (detox_line, "web", "clicked")
    assert (call.call_sid, call.caller_hash) == ("", "")


def test_is_never_cached_or_indexed(client, detox_line):
    response = client.get(reverse("helplines:call", args=[detox_line.slug]))
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_url_shape(detox_line):
    assert reverse("helplines:call", args=["detox"]) == "/helplines/call/detox/"


def test_inactive_or_unknown_lines_are_not_found(client):
    hidden = make_helpline(active=False)
    assert client.get(reverse("helplines:call", args=[hidden.slug])).status_code == 404
    assert client.get(reverse("helplines:call", args=["nope"])).status_code == 404
    assert not Call.objects.exists()


def test_only_get(client, detox_line):
    assert client.post(reverse("helplines:call", args=[detox_line.slug])).status_code == 405


def test_two_queries(client, detox_line, django_assert_num_queries):
    with django_assert_num_queries(2):
        client.get(reverse("helplines:call", args=[detox_line.slug]))
