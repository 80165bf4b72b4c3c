"""POST /helplines/voice/whisper/ and /helplines/voice/screen/: what the person answering hears
before the caller, and their "press 1".

Twilio bridges the call as soon as the whisper's TwiML ends, pressed or not, so every path that
does not accept must end in ``<Hangup/>``.
"""

import pytest
from django.urls import reverse

from helplines.models import Call, CallAttempt

from .conftest import dialed, hangs_up, new_call_sid, spoken, twiml

URL = "/helplines/voice/whisper/"


def test_urls():
    assert reverse("helplines:voice-whisper") == URL
    assert reverse("helplines:voice-screen") == "/helplines/voice/screen/"


@pytest.fixture
def ringing(twilio, advertisers, detox_line):
    """A call to the detox line ringing Maple Grove Recovery, and its TwiML."""
    sid = new_call_sid()
    return sid, twilio.incoming(to=detox_line.number, call_sid=sid)


def verbs(response) -> list[str]:
    return [child.tag for child in twiml(response)]


class TestWhisper:
    def test_the_advertiser_is_asked_to_press_1_twice_then_hung_up_on(self, twilio, ringing):
        _, response = ringing
        whisper = twilio.pick_up(response)
        assert verbs(whisper) == ["Gather", "Gather", "Say", "Hangup"]
        first = twiml(whisper).find("Gather")
        assert first.attrib["numDigits"] == "1"
        assert first.attrib["actionOnEmptyResult"] == "false"
        assert first.attrib["action"].startswith("http://testserver/helplines/voice/screen/?")
        assert spoken(whisper).startswith(
            "A caller from the general helpline, told this is paid advertising. "
            "Press 1 to take the call."
        )

    def test_the_dial_keeps_the_caller_ringing_until_the_bridge(self, ringing):
        _, response = ringing
        assert twiml(response).find("Dial").attrib["answerOnBridge"] == "true"
        assert "machineDetection" not in twiml(response).find("Dial/Number").attrib

    def test_machine_detection_is_a_setting(self, twilio, advertisers, detox_line, settings):
        settings.HELPLINE_MACHINE_DETECTION = True
        response = twilio.incoming(to=detox_line.number)
        assert twiml(response).find("Dial/Number").attrib["machineDetection"] == "Enable"

    @pytest.mark.parametrize("answered_by", ["machine_start", "fax", "machine_end_beep"])
    def test_a_machine_is_hung_up_on_at_once(self, twilio, ringing, answered_by):
        _, response = ringing
        whisper = twilio.pick_up(response, answered_by=answered_by)
        assert verbs(whisper) == ["Hangup"]
        assert CallAttempt.objects.get().connected_at is None

    def test_a_person_detected_as_human_is_screened_as_usual(self, twilio, ringing):
        _, response = ringing
        assert verbs(twilio.pick_up(response, answered_by="human"))[0] == "Gather"

    def test_a_spanish_call_says_so_in_both_languages(self, twilio, advertisers, detox_line):
        advertisers.maple.languages = ["en", "es"]
        advertisers.maple.save(update_fields=["languages"])
        response = twilio.incoming(to=detox_line.number, press="2")
        words = spoken(twilio.pick_up(response))
        assert "The caller chose Spanish: please answer in Spanish. Press 1" in words
        assert "Para tomar la llamada, oprima 1." in words
        says = twiml(twilio.pick_up(response)).find("Gather").findall("Say")
        assert says[1].attrib["language"] == "es-MX"

    def test_a_center_hears_it_comes_from_its_listing_and_is_not_screened(self, twilio):
        response = twilio.post("voice-whisper", {"CallSid": "CA01"}, query={"line": "center"})
        assert spoken(response).startswith("This call comes from your listing")
        assert verbs(response) == ["Say"]

    def test_a_whisper_url_without_its_call_hangs_up_rather_than_bridge(self, twilio):
        response = twilio.post("voice-whisper", {"CallSid": "CA01"}, query={"line": "advertiser"})
        assert verbs(response) == ["Hangup"]


class TestScreening:
    def test_1_accepts_once_however_often_it_is_posted(self, twilio, ringing, advertisers):
        sid, response = ringing
        leg = new_call_sid()
        whisper = twilio.pick_up(response, leg_sid=leg)
        first = twilio.press(whisper, leg_sid=leg)
        again = twilio.press(whisper, leg_sid=leg)
        # Accepted: the document ends without a hang-up, so Twilio bridges the call.
        assert verbs(first) == ["Say"] and first.content == again.content
        attempt = CallAttempt.objects.get()
        assert attempt.accepted_at is not None and attempt.dial_call_sid == leg
        call = Call.objects.get()
        assert call.answered_advertiser == advertisers.maple

    @pytest.mark.parametrize("digits", ["2", "0", "*", "#", "", "11", "1\x00", "x" * 30])
    def test_anything_but_1_ends_the_advertiser_leg(self, twilio, ringing, digits):
        _, response = ringing
        leg = new_call_sid()
        screened = twilio.press(twilio.pick_up(response, leg_sid=leg), leg_sid=leg, digits=digits)
        assert verbs(screened)[-1] == "Hangup"
        assert CallAttempt.objects.get().accepted_at is None

    def test_missing_digits_ends_the_advertiser_leg(self, twilio, ringing):
        _, response = ringing
        leg = new_call_sid()
        gather = twiml(twilio.pick_up(response, leg_sid=leg)).find("Gather")
        screened = twilio.post_url(gather.attrib["action"], {"CallSid": leg})
        assert verbs(screened)[-1] == "Hangup"
        assert CallAttempt.objects.get().accepted_at is None

    def test_a_1_from_another_leg_does_not_accept(self, twilio, ringing):
        _, response = ringing
        whisper = twilio.pick_up(response, leg_sid=new_call_sid())
        assert verbs(twilio.press(whisper, leg_sid=new_call_sid()))[-1] == "Hangup"
        assert CallAttempt.objects.get().accepted_at is None

    def test_a_1_for_an_unknown_call_hangs_up(self, twilio, db):
        query = {"call": new_call_sid(), "attempt": 1}
        screened = twilio.post(
            "voice-screen", {"CallSid": new_call_sid(), "Digits": "1"}, query=query
        )
        assert verbs(screened)[-1] == "Hangup"

    @pytest.mark.parametrize(
        "query", [None, {"call": "CA1"}, {"attempt": 1}, {"call": "x", "attempt": "y"}]
    )
    def test_a_bad_query_hangs_up(self, twilio, db, query):
        screened = twilio.post(
            "voice-screen", {"CallSid": new_call_sid(), "Digits": "1"}, query=query
        )
        assert verbs(screened)[-1] == "Hangup"

    def test_a_1_after_the_caller_hung_up_hangs_up(self, twilio, ringing):
        sid, response = ringing
        leg = new_call_sid()
        whisper = twilio.pick_up(response, leg_sid=leg)
        twilio.status(call_sid=sid, status="completed", duration=30)
        assert verbs(twilio.press(whisper, leg_sid=leg))[-1] == "Hangup"
        assert Call.objects.get().answered_by == ""

    def test_the_caller_rings_on_after_a_refusal(self, twilio, ringing, advertisers):
        sid, response = ringing
        leg = new_call_sid()
        twilio.press(twilio.pick_up(response, leg_sid=leg), leg_sid=leg, digits="9")
        following = twilio.dial_status(
            response, call_sid=sid, status="completed", dial_call_sid=leg
        )
        assert dialed(following) == [advertisers.birch.intake_number]
        assert not hangs_up(following)

    def test_after_a_1_no_dial_result_rings_anyone_else(self, twilio, ringing, advertisers):
        sid, response = ringing
        leg = twilio.accept(response)
        done = twilio.dial_status(response, call_sid=sid, status="no-answer", dial_call_sid=leg)
        assert hangs_up(done)
        assert CallAttempt.objects.get().outcome == "completed"
        assert Call.objects.get().answered_advertiser == advertisers.maple

    def test_unsigned_is_forbidden(self, client, settings):
        settings.TWILIO_AUTH_TOKEN = "a-token"
        response = client.post("/helplines/voice/screen/?call=CA1&attempt=1", {"Digits": "1"})
        assert response.status_code == 403


def test_unsigned_is_forbidden(client, settings):
    settings.TWILIO_AUTH_TOKEN = "a-token"
    assert client.post(f"{URL}?line=advertiser", {"CallSid": "CA01"}).status_code == 403


def test_get_is_not_allowed(client):
    assert client.get(URL).status_code == 405


pytestmark = pytest.mark.django_db


class TestQueryCount:
    def test_the_whisper_records_the_pick_up_in_one_update(
        self, twilio, ringing, django_assert_num_queries
    ):
        _, response = ringing
        with django_assert_num_queries(1):
            twilio.pick_up(response)

    def test_an_acceptance(self, twilio, ringing, django_assert_num_queries):
        _, response = ringing
        leg = new_call_sid()
        whisper = twilio.pick_up(response, leg_sid=leg)
        # BEGIN; the call locked; its attempt; the attempt's and the call's updates; COMMIT.
        with django_assert_num_queries(6):
            twilio.press(whisper, leg_sid=leg)
        # A retry finds the acceptance: BEGIN, the call, the attempt, COMMIT.
        with django_assert_num_queries(4):
            twilio.press(whisper, leg_sid=leg)

    def test_a_refusal_reads_nothing(self, twilio, ringing, django_assert_num_queries):
        _, response = ringing
        leg = new_call_sid()
        whisper = twilio.pick_up(response, leg_sid=leg)
        with django_assert_num_queries(0):
            twilio.press(whisper, leg_sid=leg, digits="2")
