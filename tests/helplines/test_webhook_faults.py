"""The Twilio webhooks under faults and hostile input: a caller always gets a line.

A signed request is Twilio's, about a real caller, so whatever it carries and whatever is down,
it must be answered with TwiML that parses and dials or speaks. Unsigned requests stay 403.
"""

import xml.etree.ElementTree as ET
from collections import Counter
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from helplines import services
from helplines.models import Call, CallAttempt, Helpline
from tests.factories import make_center
from tests.threads import run_together

from .conftest import (
    CALLER,
    dial_action,
    dialed,
    make_advertiser,
    make_helpline,
    new_call_sid,
    offered_language,
    spoken,
    twiml,
)

pytestmark = pytest.mark.django_db


@contextmanager
def database_down():
    """Point the connection at a closed port (nothing listens on port 1) for the duration."""
    original_port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = "1"
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["PORT"] = original_port


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
class TestDatabaseDown:
    def test_an_incoming_call_hears_the_notice_and_dials_the_fallback(
        self, twilio, settings, caplog
    ):
        sid = new_call_sid()
        with database_down():
            response = twilio.incoming(to="+12025550101", call_sid=sid)
        words = spoken(response)
        assert "pay to advertise" in words
        assert "1, 8 0 0, 6 6 2, 4 3 5 7" in words
        assert "9 8 8" in words
        assert dialed(response) == [settings.HELPLINE_FALLBACK_NUMBER]
        # Logged for reconciling: the call, the number called, what it heard; not the caller.
        assert "database unavailable" in caplog.text
        assert sid in caplog.text and "+12025550101" in caplog.text
        assert f"dialed {settings.HELPLINE_FALLBACK_NUMBER}" in caplog.text
        assert CALLER not in caplog.text
        assert any(record.levelname == "ERROR" for record in caplog.records)

    def test_a_dial_result_still_gets_a_line(self, twilio, settings):
        params = {"CallSid": new_call_sid(), "DialCallStatus": "no-answer"}
        with database_down():
            response = twilio.post("voice-dial-status", params, query={"attempt": 1})
        assert dialed(response) == [settings.HELPLINE_FALLBACK_NUMBER]

    def test_an_answered_dial_result_hangs_up(self, twilio):
        params = {"CallSid": new_call_sid(), "DialCallStatus": "completed"}
        with database_down():
            response = twilio.post("voice-dial-status", params, query={"attempt": 1})
        assert [verb.tag for verb in twiml(response)] == ["Hangup"]

    def test_the_status_callback_is_acknowledged(self, twilio, caplog):
        with database_down():
            response = twilio.status(call_sid=new_call_sid(), status="completed", duration=30)
        assert twiml(response).tag == "Response"
        assert "CallDuration" in caplog.text

    def test_the_whisper_is_still_said(self, twilio):
        query = {"line": "advertiser", "call": new_call_sid(), "attempt": 1}
        with database_down():
            response = twilio.post("voice-whisper", {"CallSid": new_call_sid()}, query=query)
        assert "general helpline" in spoken(response)

    def test_the_whisper_still_asks_for_1_and_hangs_up_without_it(self, twilio):
        query = {"line": "advertiser", "call": new_call_sid(), "attempt": 1}
        with database_down():
            response = twilio.post("voice-whisper", {"CallSid": new_call_sid()}, query=query)
        assert [verb.tag for verb in twiml(response)] == ["Gather", "Gather", "Say", "Hangup"]

    @pytest.mark.parametrize(("digits", "last"), [("1", "Say"), ("2", "Hangup"), ("", "Hangup")])
    def test_a_key_press_still_gets_its_answer(self, twilio, digits, last, caplog):
        query = {"call": new_call_sid(), "attempt": 1}
        with database_down():
            response = twilio.post(
                "voice-screen", {"CallSid": new_call_sid(), "Digits": digits}, query=query
            )
        # A person who pressed 1 gets the caller even though it cannot be recorded (logged);
        # any other key needs no database to be refused.
        assert [verb.tag for verb in twiml(response)][-1] == last
        assert ("database unavailable" in caplog.text) == (digits == "1")

    def test_unsigned_is_still_forbidden_without_touching_the_database(self, client, twilio):
        with database_down():
            response = client.post("/helplines/voice/incoming/", {"CallSid": new_call_sid()})
        assert response.status_code == 403


def test_the_signature_check_runs_no_query(client, twilio, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.post("/helplines/voice/incoming/", {"To": "+1"}).status_code == 403


class TestInvalidParameters:
    def test_a_long_sip_caller_is_routed_as_usual(self, twilio, advertisers, detox_line):
        sip = "sip:" + "a" * 48 + "@example.sip.twilio.com"
        assert len(sip) == 75
        response = twilio.incoming(to=detox_line.number, caller=sip)
        assert dialed(response) == [advertisers.maple.intake_number]
        assert Call.objects.get().caller_hash == ""

    @pytest.mark.parametrize("to", ["+1202555010" + "1" * 60, "+1202555\x000101"])
    def test_a_to_too_long_or_with_nul_reaches_the_fallback_and_is_recorded(
        self, twilio, settings, to, caplog
    ):
        sid = new_call_sid()
        response = twilio.incoming(to=to, call_sid=sid)
        assert dialed(response) == [settings.HELPLINE_FALLBACK_NUMBER]
        call = Call.objects.get()
        assert call.call_sid == sid
        assert "\x00" not in call.to_number and len(call.to_number) <= 64
        assert call.attempts.get().destination == CallAttempt.Destination.FALLBACK
        assert "invalid parameters (To)" in caplog.text

    def test_a_retried_invalid_call_is_recorded_once(self, twilio):
        sid = new_call_sid()
        twilio.incoming(to="x" * 80, call_sid=sid)
        twilio.incoming(to="x" * 80, call_sid=sid)
        assert Call.objects.count() == 1

    @pytest.mark.postgres
    @pytest.mark.django_db(transaction=True)
    def test_an_invalid_call_delivered_ten_times_at_once_is_recorded_once(self):
        sid = new_call_sid()

        def deliver(index: int) -> bool:
            call = services.record_unrouted_call(
                call_sid=sid, to_number="x" * 80, caller_number=CALLER
            )
            return call is not None

        assert sorted(run_together(10, deliver)) == [False] * 9 + [True]
        assert Call.objects.get().attempts.count() == 1

    def test_unsigned_stays_forbidden(self, client, twilio):
        response = client.post("/helplines/voice/incoming/", {"To": "x" * 80})
        assert response.status_code == 403
        assert not Call.objects.exists()


def test_a_center_named_with_control_characters_gets_parseable_twiml(twilio):
    center = make_center(name="Ctrl\x01Char\x08Center\x1b", phone="+12025550123")
    # Saved past every form, as a raw import or a database edit could.
    type(center).objects.filter(pk=center.pk).update(name="Ctrl\x01Char\x08Center\x1b")
    line = make_helpline(kind=Helpline.Kind.CENTER, center=center)
    assert spoken(twilio.incoming(to=line.number)) == "Connecting you to CtrlCharCenter."


def test_an_advertiser_named_with_control_characters_gets_parseable_twiml(twilio, detox_line):
    make_advertiser(name="Ctrl\x01Char\x08Center\x1b", intake_number="+12025550160")
    assert "Connecting you now to CtrlCharCenter" in spoken(twilio.incoming(to=detox_line.number))


class TestStuckAttempts:
    @pytest.fixture
    def capped(self, db):
        return make_advertiser(name="Solo Intake", concurrent_cap=1)

    def stuck(self, advertiser, *, age: timedelta, connected: bool = False) -> CallAttempt:
        now = timezone.now()
        call = Call.objects.create(call_sid=new_call_sid(), started_at=now - age)
        return CallAttempt.objects.create(
            call=call,
            order=1,
            destination=CallAttempt.Destination.ADVERTISER,
            advertiser=advertiser,
            number=advertiser.intake_number,
            announcement="first-advertiser",
            started_at=now - age,
            connected_at=now - age if connected else None,
        )

    def test_a_ringing_attempt_holds_the_cap_while_it_can_ring(self, capped):
        self.stuck(capped, age=timedelta(seconds=30))
        assert services.next_advertiser(now=timezone.now()) is None

    def test_a_ringing_attempt_without_result_expires_in_minutes(self, capped, settings):
        limit = timedelta(seconds=settings.HELPLINE_DIAL_TIMEOUT) + services.RINGING_MARGIN
        self.stuck(capped, age=limit + timedelta(seconds=1))
        assert services.next_advertiser(now=timezone.now()) == capped

    def test_a_connected_attempt_holds_the_cap_for_hours(self, capped):
        self.stuck(capped, age=timedelta(hours=1), connected=True)
        assert services.next_advertiser(now=timezone.now()) is None

    def test_a_connected_attempt_expires_after_the_longest_call(self, capped):
        self.stuck(capped, age=services.LONGEST_CALL + timedelta(minutes=1), connected=True)
        assert services.next_advertiser(now=timezone.now()) == capped

    def test_the_whisper_records_the_connection(self, twilio, advertisers, detox_line):
        response = twilio.incoming(to=detox_line.number)
        url = twiml(response).find("Dial/Number").attrib["url"]
        assert "general helpline" in spoken(twilio.post_url(url, {"CallSid": new_call_sid()}))
        assert CallAttempt.objects.get().connected_at is not None

    def test_the_status_callback_reconciles_open_attempts(self, twilio, advertisers, detox_line):
        sid = new_call_sid()
        response = twilio.incoming(to=detox_line.number, call_sid=sid)
        twilio.accept(response)
        twilio.status(call_sid=sid, status="completed", duration=100)
        attempt = CallAttempt.objects.get()
        assert (attempt.outcome, attempt.outcome_inferred) == ("completed", True)
        assert attempt.ended_at is not None
        assert Call.objects.get().answered_advertiser == advertisers.maple

    def test_a_caller_who_hangs_up_while_the_advertiser_screens_is_canceled(
        self, twilio, advertisers, detox_line
    ):
        sid = new_call_sid()
        response = twilio.incoming(to=detox_line.number, call_sid=sid)
        twilio.pick_up(response)
        twilio.status(call_sid=sid, status="completed", duration=40)
        attempt = CallAttempt.objects.get()
        assert (attempt.outcome, attempt.outcome_inferred) == ("canceled", True)
        assert Call.objects.get().answered_by == ""

    def test_an_attempt_that_never_connected_is_reconciled_as_canceled(
        self, twilio, advertisers, detox_line
    ):
        sid = new_call_sid()
        twilio.incoming(to=detox_line.number, call_sid=sid)
        twilio.status(call_sid=sid, status="completed", duration=10)
        attempt = CallAttempt.objects.get()
        assert (attempt.outcome, attempt.outcome_inferred) == ("canceled", True)
        assert Call.objects.get().answered_by == ""


# --- The hostile battery -------------------------------------------------------------------

hostile_text = st.one_of(
    st.text(max_size=120),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=60, max_size=300),
    st.sampled_from(
        [
            "",
            "\x00",
            "+12025550101",
            "+12025550101\x00",
            "sip:" + "a" * 71 + "@example.sip.twilio.com",
            "client:anonymous",
            "2147483648",
            "-1",
            "9" * 5000,
            "CA" + "0" * 200,
            "Ctrl\x01Char\x08Center\x1b",
            "<Say>&amp;</Say>",
        ]
    ),
)
# Each parameter is either what Twilio normally sends or hostile text, so that the battery
# reaches the normal flow (an advertiser dialed, a call recorded) as well as every fallback.
call_sids = st.uuids().map(lambda value: f"CA{value.hex}")
incoming_parameters = st.fixed_dictionaries(
    {},
    optional={
        "CallSid": st.one_of(call_sids, hostile_text),
        "To": st.one_of(st.just("+12025550101"), hostile_text),
        "From": st.one_of(st.just(CALLER), hostile_text),
        "Caller": hostile_text,
        "CallStatus": st.one_of(st.just("ringing"), hostile_text),
    },
)
status_parameters = st.fixed_dictionaries(
    {},
    optional={
        "CallSid": st.one_of(call_sids, hostile_text),
        "CallStatus": st.one_of(st.sampled_from(["completed", "no-answer"]), hostile_text),
        "CallDuration": hostile_text,
        "From": hostile_text,
    },
)
dial_parameters = st.fixed_dictionaries(
    {
        "DialCallStatus": st.one_of(
            st.sampled_from(["no-answer", "busy", "completed"]), hostile_text
        )
    },
    optional={"DialCallDuration": hostile_text, "DialCallSid": hostile_text},
)


def battery(*, max_examples: int):
    """Hypothesis settings for a webhook battery: the same examples on every run (CI must not
    turn red by chance) and no example database written into the checkout."""
    return hypothesis_settings(
        max_examples=max_examples, deadline=None, derandomize=True, database=None
    )


def answer_of(response) -> str:
    """``"dials"`` or ``"speaks"`` for a TwiML document that does either (parsed as XML)."""
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/xml")
    root = ET.fromstring(response.content)
    assert root.tag == "Response"
    verbs = {verb.tag for verb in root}
    if "Dial" in verbs:
        assert all((number.text or "").strip() for number in root.iter("Number"))
        return "dials"
    assert "Say" in verbs, response.content
    return "speaks"


def test_every_signed_incoming_call_is_answered_with_a_line(
    twilio, advertisers, detox_line, settings
):
    dialed_to = Counter()

    @battery(max_examples=500)
    @given(params=incoming_parameters, digits=st.one_of(st.none(), st.just("2"), hostile_text))
    def call(params, digits):
        response = twilio.post("voice-incoming", params)
        if offered_language(response) is not None:
            # The caller waits, presses 2 or sends whatever Twilio relays as Digits.
            response = twilio.choose_language(response, params, press=digits)
        assert answer_of(response) == "dials"
        dialed_to.update(dialed(response))

    call()
    assert sum(dialed_to.values()) == 500
    # Both flows were exercised: advertisers rung normally, the fallback for the rest.
    assert dialed_to[settings.HELPLINE_FALLBACK_NUMBER] >= 50
    intake_numbers = [
        a.intake_number for a in (advertisers.maple, advertisers.birch, advertisers.cedar)
    ]
    assert sum(dialed_to[number] for number in intake_numbers) >= 20, dialed_to


def test_every_signed_dial_result_is_answered(twilio, advertisers, detox_line):
    @battery(max_examples=100)
    @given(
        params=dial_parameters,
        known_call=st.booleans(),
        call_sid=st.one_of(call_sids, hostile_text),
        attempt=st.one_of(st.just("1"), hostile_text),
    )
    def dial_result(params, known_call, call_sid, attempt):
        if known_call:
            # A result for a call we routed, as Twilio sends it, with hostile values.
            incoming = twilio.incoming(to=detox_line.number)
            call_sid = Call.objects.latest("pk").call_sid
            response = twilio.post_url(dial_action(incoming), {"CallSid": call_sid, **params})
        else:
            response = twilio.post(
                "voice-dial-status", {"CallSid": call_sid, **params}, query={"attempt": attempt}
            )
        root = ET.fromstring(response.content)
        if [verb.tag for verb in root] != ["Hangup"]:
            answer_of(response)
        else:
            # Hanging up is right only once someone answered, or the caller hung up.
            assert params["DialCallStatus"] in {"completed", "answered", "canceled"}

    dial_result()


def test_every_signed_status_is_acknowledged_with_twiml(twilio):
    @battery(max_examples=100)
    @given(params=status_parameters)
    def status(params):
        response = twilio.post("voice-status", params)
        assert response.status_code == 200
        assert ET.fromstring(response.content).tag == "Response"

    status()


def test_every_signed_key_press_is_answered_and_only_a_1_accepts_once(
    twilio, advertisers, detox_line
):
    @battery(max_examples=100)
    @given(
        digits=st.one_of(st.just("1"), hostile_text),
        known_call=st.booleans(),
        same_leg=st.booleans(),
        leg_sid=st.one_of(call_sids, hostile_text),
        query=st.fixed_dictionaries(
            {}, optional={"call": hostile_text, "attempt": hostile_text, "lang": hostile_text}
        ),
        twice=st.booleans(),
    )
    def press(digits, known_call, same_leg, leg_sid, query, twice):
        if known_call:
            incoming = twilio.incoming(to=detox_line.number)
            picked = new_call_sid()
            whisper = twilio.pick_up(incoming, leg_sid=picked)
            url = twiml(whisper).find("Gather").attrib["action"]
            params = {"CallSid": picked if same_leg else leg_sid, "Digits": digits}
            responses = [twilio.post_url(url, params) for _ in range(2 if twice else 1)]
        else:
            params = {"CallSid": leg_sid, "Digits": digits}
            responses = [twilio.post("voice-screen", params, query=query)]
        for response in responses:
            verbs = [verb.tag for verb in twiml(response)]
            accepted = "Hangup" not in verbs
            # Only a 1 from the leg that picked up of a call we know puts the caller through;
            # everything else ends that leg, so the caller rings on.
            assert accepted == (known_call and digits == "1" and (same_leg or leg_sid == picked))
        if known_call:
            attempt = CallAttempt.objects.latest("pk")
            assert (attempt.accepted_at is not None) == accepted
            assert (
                Call.objects.filter(answered_by="advertiser").count()
                == CallAttempt.objects.filter(accepted_at__isnull=False).count()
            )

    press()
