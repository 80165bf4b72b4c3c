"""Helpline fixtures: fictional numbers only (NXX-555-0100 to 0199), signed Twilio requests.

Personas: three advertisers whose weights are the issue's example, 5/3/2,
``maple`` (Maple Grove Recovery), ``birch`` (Birch House Treatment) and ``cedar`` (Cedar Path
Counseling), all open around the clock unless a test says otherwise; the general helpline
``detox_line``.
"""

import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from twilio.request_validator import RequestValidator

from centers.models import Center
from helplines.models import Advertiser, Helpline
from tests.factories import (  # noqa: F401 - re-exported for the test modules
    ALWAYS,
    fictional_number,
    make_advertiser,
    make_center,
    make_helpline,
)

AUTH_TOKEN = "test-twilio-token-0123456789abcdef"
CALLER = "+12025550177"


@pytest.fixture
def admin_client(client):
    """Ada, a superuser who runs the helplines."""
    # No password: hashing one costs a second per test, and force_login needs none.
    ada = User.objects.create(username="ada", is_staff=True, is_superuser=True)
    client.force_login(ada)
    return client


@pytest.fixture
def fresh_rate_limits():
    """Every test client posts from 127.0.0.1: each test starts with that client's count at 0."""
    cache.clear()


@pytest.fixture
def harbor(db) -> Center:
    """A center with no advertiser, for callbacks asked of a center's own page."""
    return make_center(name="Harbor Light Recovery")


def new_call_sid() -> str:
    return f"CA{uuid.uuid4().hex}"


@dataclass
class Personas:
    maple: Advertiser
    birch: Advertiser
    cedar: Advertiser

    def by_pk(self) -> dict[int, str]:
        return {self.maple.pk: "maple", self.birch.pk: "birch", self.cedar.pk: "cedar"}


@pytest.fixture
def advertisers(db) -> Personas:
    return Personas(
        maple=make_advertiser(name="Maple Grove Recovery", weight=5, intake_number="+12025550147"),
        birch=make_advertiser(name="Birch House Treatment", weight=3, intake_number="+13125550163"),
        cedar=make_advertiser(name="Cedar Path Counseling", weight=2, intake_number="+14155550188"),
    )


@pytest.fixture
def detox_line(db) -> Helpline:
    return make_helpline(label="Detox helpline", number="+12025550101")


class TwilioClient:
    """Posts to our webhooks as Twilio does: form-encoded and signed over the full URL."""

    def __init__(self, client: Client, token: str = AUTH_TOKEN) -> None:
        self.client = client
        self.token = token

    def post_url(self, url: str, params: dict[str, str], **headers: str):
        """POST to an absolute URL (one we put in TwiML), signed as Twilio signs it."""
        signature = RequestValidator(self.token).compute_signature(url, params)
        parts = urlsplit(url)
        path = f"{parts.path}?{parts.query}" if parts.query else parts.path
        return self.client.post(
            path,
            params,
            headers={"X-Twilio-Signature": signature, **headers},
            secure=parts.scheme == "https",
        )

    def post(self, name: str, params: dict[str, str], *, query: dict | None = None):
        path = reverse(f"helplines:{name}") + (f"?{urlencode(query)}" if query else "")
        return self.post_url(f"http://testserver{path}", params)

    def incoming(
        self,
        *,
        to: str,
        call_sid: str | None = None,
        caller: str = CALLER,
        press: str | None = None,
        follow: bool = True,
    ):
        """A new call. On an English general line it first hears "para español, oprima 2":
        with ``follow`` (the default) the caller then presses ``press`` (Twilio posts to the
        Gather's action with ``Digits``), or, with ``press=None``, waits (Twilio reads on to
        the ``<Redirect>``, posting without ``Digits``), and that answer is returned."""
        params = {"CallSid": call_sid or new_call_sid(), "To": to, "From": caller, "Caller": caller}
        response = self.post("voice-incoming", params)
        if not follow or response.status_code != 200:
            return response
        return self.choose_language(response, params, press=press)

    def choose_language(self, response, params: dict[str, str], *, press: str | None = None):
        """Follow a language offer in ``response`` (if any) as Twilio would."""
        gather = offered_language(response)
        if gather is None:
            return response
        if press is None:
            return self.post_url(twiml(response).find("Redirect").text, params)
        return self.post_url(gather.attrib["action"], {**params, "Digits": press})

    def pick_up(self, response, *, leg_sid: str | None = None, answered_by: str | None = None):
        """Someone picks up the number ``response`` dials: Twilio fetches its whisper for the
        new leg (``leg_sid``). Returns the whisper's response."""
        number = twiml(response).find("Dial/Number")
        assert number is not None, response.content
        params = {"CallSid": leg_sid or new_call_sid()}
        if answered_by is not None:
            params["AnsweredBy"] = answered_by
        return self.post_url(number.attrib["url"], params)

    def press(self, whisper, *, leg_sid: str, digits: str = "1"):
        """The person who picked up presses ``digits`` at the whisper's "press 1"."""
        gather = twiml(whisper).find("Gather")
        assert gather is not None, whisper.content
        return self.post_url(gather.attrib["action"], {"CallSid": leg_sid, "Digits": digits})

    def accept(self, response, *, leg_sid: str | None = None) -> str:
        """An advertiser picks up the dial of ``response`` and presses 1; returns its leg's
        sid (the DialCallSid of the Dial result)."""
        leg_sid = leg_sid or new_call_sid()
        screened = self.press(self.pick_up(response, leg_sid=leg_sid), leg_sid=leg_sid)
        assert twiml(screened).find("Hangup") is None, screened.content
        return leg_sid

    def dial_status(
        self,
        response,
        *,
        call_sid: str,
        status: str,
        duration: int | None = None,
        dial_call_sid: str | None = None,
    ):
        """Follow the ``<Dial action>`` of ``response``, reporting ``status``."""
        params = {
            "CallSid": call_sid,
            "DialCallStatus": status,
            "DialCallSid": dial_call_sid or new_call_sid(),
        }
        if duration is not None:
            params["DialCallDuration"] = str(duration)
        return self.post_url(dial_action(response), params)

    def status(self, *, call_sid: str, status: str, duration: int | None = None):
        params = {"CallSid": call_sid, "CallStatus": status, "From": CALLER}
        if duration is not None:
            params["CallDuration"] = str(duration)
        return self.post("voice-status", params)


@pytest.fixture
def twilio(settings, client) -> TwilioClient:
    settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
    return TwilioClient(client)


def twiml(response) -> ET.Element:
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/xml")
    return ET.fromstring(response.content)


def offered_language(response) -> ET.Element | None:
    """The ``<Gather>`` of "para español, oprima 2", if the response offers it."""
    return twiml(response).find("Gather")


def spoken(response) -> str:
    return " ".join(say.text or "" for say in twiml(response).iter("Say"))


def dialed(response) -> list[str]:
    """The numbers the TwiML dials, in order."""
    return [(number.text or "").strip() for number in twiml(response).iter("Number")]


def dial_action(response) -> str:
    dial = twiml(response).find("Dial")
    assert dial is not None, response.content
    return dial.attrib["action"]


def accept_call(call_sid: str, attempt_order: int, *, leg_sid: str | None = None) -> None:
    """Services-level: the advertiser of that attempt picks up and presses 1."""
    from helplines import services

    leg_sid = leg_sid or new_call_sid()
    services.record_connected(call_sid=call_sid, attempt_order=attempt_order, leg_sid=leg_sid)
    assert services.record_acceptance(
        call_sid=call_sid, attempt_order=attempt_order, leg_sid=leg_sid, digits="1"
    )


def hangs_up(response) -> bool:
    root = twiml(response)
    return root.find("Dial") is None and root.find("Hangup") is not None
