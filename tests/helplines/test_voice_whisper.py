"""POST /helplines/voice/whisper/: what the person answering hears before the caller."""

import pytest
from django.urls import reverse

from .conftest import spoken, twiml

URL = "/helplines/voice/whisper/"


def test_url():
    assert reverse("helplines:voice-whisper") == URL


def test_an_advertiser_hears_where_the_call_comes_from_and_what_the_caller_was_told(twilio):
    response = twilio.post("voice-whisper", {"CallSid": "CA01"}, query={"line": "advertiser"})
    words = spoken(response)
    assert "general helpline" in words
    assert "answered by paid advertisers" in words
    assert "free help is available from SAMHSA" in words
    # The whisper only speaks: when it ends, Twilio connects the two parties.
    assert [child.tag for child in twiml(response)] == ["Say"]


def test_a_center_hears_it_comes_from_its_listing(twilio):
    response = twilio.post("voice-whisper", {"CallSid": "CA01"}, query={"line": "center"})
    assert spoken(response).startswith("This call comes from your listing")


def test_unsigned_is_forbidden(client, settings):
    settings.TWILIO_AUTH_TOKEN = "a-token"
    assert client.post(f"{URL}?line=advertiser", {"CallSid": "CA01"}).status_code == 403


def test_get_is_not_allowed(client):
    assert client.get(URL).status_code == 405


pytestmark = pytest.mark.django_db
