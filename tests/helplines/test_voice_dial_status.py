"""POST /helplines/voice/dial-status/: the <Dial action>, reporting how one attempt ended."""

import pytest
from django.urls import reverse

from helplines.models import AnsweredBy, Call, CallAttempt, Helpline
from tests.factories import make_center

from .conftest import dial_action, dialed, hangs_up, make_helpline, new_call_sid, spoken

pytestmark = pytest.mark.django_db


@pytest.fixture
def ringing(twilio, advertisers, detox_line):
    """A call to the detox line, ringing Maple Grove Recovery."""
    sid = new_call_sid()
    return sid, twilio.incoming(to=detox_line.number, call_sid=sid)


def test_url():
    assert reverse("helplines:voice-dial-status") == "/helplines/voice/dial-status/"


def test_completed_records_who_answered_and_hangs_up(twilio, ringing, advertisers):
    sid, response = ringing
    leg = twilio.accept(response)
    done = twilio.dial_status(
        response, call_sid=sid, status="completed", duration=312, dial_call_sid=leg
    )
    assert hangs_up(done)
    assert spoken(done) == ""
    call = Call.objects.get()
    assert call.answered_by == AnsweredBy.ADVERTISER
    assert call.answered_advertiser == advertisers.maple
    attempt = call.attempts.get()
    assert (attempt.outcome, attempt.duration) == ("completed", 312)
    assert attempt.ended_at is not None
    assert attempt.dial_call_sid == leg
    assert attempt.accepted_at is not None


def test_completed_without_a_1_pressed_is_declined_and_moves_on(twilio, ringing, advertisers):
    """Twilio reports the leg as completed whoever picked up: a voicemail is not an answer."""
    sid, response = ringing
    twilio.pick_up(response)
    following = twilio.dial_status(response, call_sid=sid, status="completed", duration=31)
    assert dialed(following) == [advertisers.birch.intake_number]
    assert list(CallAttempt.objects.values_list("order", "outcome")) == [
        (1, "declined"),
        (2, ""),
    ]
    assert Call.objects.get().answered_by == ""


@pytest.mark.parametrize("status", ["no-answer", "busy", "failed"])
def test_unanswered_moves_to_the_next_advertiser(twilio, ringing, status):
    sid, response = ringing
    following = twilio.dial_status(response, call_sid=sid, status=status)
    assert dialed(following) == ["+13125550163"]
    assert spoken(following) == (
        "That provider did not answer. Trying Birch House Treatment, another paid advertiser."
    )
    assert dial_action(following).endswith("?attempt=2")
    assert list(CallAttempt.objects.values_list("order", "outcome")) == [(1, status), (2, "")]


def test_canceled_means_the_caller_hung_up(twilio, ringing):
    sid, response = ringing
    assert hangs_up(twilio.dial_status(response, call_sid=sid, status="canceled"))
    assert CallAttempt.objects.count() == 1
    assert Call.objects.get().answered_by == ""


def test_after_three_advertisers_the_fallback_then_its_answer_is_recorded(
    twilio, ringing, settings
):
    sid, response = ringing
    for _ in range(3):
        response = twilio.dial_status(response, call_sid=sid, status="no-answer")
    assert dialed(response) == [settings.HELPLINE_FALLBACK_NUMBER]
    assert spoken(response).startswith("No advertiser answered.")
    assert "SAMHSA National Helpline" in spoken(response)
    done = twilio.dial_status(response, call_sid=sid, status="completed", duration=900)
    assert hangs_up(done)
    call = Call.objects.get()
    assert call.answered_by == AnsweredBy.FALLBACK
    assert call.answered_advertiser is None
    assert list(call.attempts.values_list("destination", flat=True)) == [
        "advertiser",
        "advertiser",
        "advertiser",
        "fallback",
    ]


def test_an_unanswered_fallback_ends_with_the_numbers_to_call(twilio, ringing):
    sid, response = ringing
    for _ in range(3):
        response = twilio.dial_status(response, call_sid=sid, status="no-answer")
    last = twilio.dial_status(response, call_sid=sid, status="busy")
    assert hangs_up(last)
    assert "1, 8 0 0, 6 6 2, 4 3 5 7" in spoken(last)
    assert "9 8 8" in spoken(last)


def test_an_unanswered_center_goes_to_the_fallback(twilio, advertisers, settings):
    center = make_center(phone="+12025550124")
    line = make_helpline(kind=Helpline.Kind.CENTER, center=center)
    sid = new_call_sid()
    response = twilio.incoming(to=line.number, call_sid=sid)
    following = twilio.dial_status(response, call_sid=sid, status="no-answer")
    assert dialed(following) == [settings.HELPLINE_FALLBACK_NUMBER]
    assert "the center could not take your call" in spoken(following)


def test_an_answered_center_is_recorded_as_the_center(twilio):
    center = make_center(phone="+12025550125")
    line = make_helpline(kind=Helpline.Kind.CENTER, center=center)
    sid = new_call_sid()
    response = twilio.incoming(to=line.number, call_sid=sid)
    twilio.dial_status(response, call_sid=sid, status="completed", duration=60)
    call = Call.objects.get()
    assert (call.answered_by, call.answered_center) == (AnsweredBy.CENTER, center)


class TestIdempotence:
    def test_a_duplicate_result_is_not_counted_twice(self, twilio, ringing):
        sid, response = ringing
        first = twilio.dial_status(response, call_sid=sid, status="no-answer")
        again = twilio.dial_status(response, call_sid=sid, status="no-answer")
        assert again.content == first.content
        assert CallAttempt.objects.count() == 2

    def test_a_duplicate_completed_result_changes_nothing(self, twilio, ringing, advertisers):
        sid, response = ringing
        twilio.accept(response)
        twilio.dial_status(response, call_sid=sid, status="completed", duration=40)
        again = twilio.dial_status(response, call_sid=sid, status="no-answer", duration=0)
        assert hangs_up(again)
        attempt = CallAttempt.objects.get()
        assert (attempt.outcome, attempt.duration) == ("completed", 40)
        assert Call.objects.get().answered_advertiser == advertisers.maple

    def test_a_late_result_after_the_call_ended_is_recorded_without_dialing(
        self, twilio, ringing, advertisers
    ):
        sid, response = ringing
        twilio.accept(response)
        twilio.status(call_sid=sid, status="completed", duration=200)
        late = twilio.dial_status(response, call_sid=sid, status="completed", duration=180)
        assert hangs_up(late)
        call = Call.objects.get()
        assert call.answered_advertiser == advertisers.maple
        assert call.duration == 200

    def test_a_late_no_answer_after_the_call_ended_rings_nobody(self, twilio, ringing):
        sid, response = ringing
        twilio.status(call_sid=sid, status="completed", duration=20)
        assert hangs_up(twilio.dial_status(response, call_sid=sid, status="no-answer"))
        assert CallAttempt.objects.count() == 1


class TestBadInput:
    def test_an_unknown_call_still_reaches_the_fallback(self, twilio, settings):
        response = twilio.post(
            "voice-dial-status",
            {"CallSid": new_call_sid(), "DialCallStatus": "no-answer"},
            query={"attempt": 1},
        )
        assert dialed(response) == [settings.HELPLINE_FALLBACK_NUMBER]
        assert not Call.objects.exists()

    def test_an_unknown_answered_call_just_hangs_up(self, twilio):
        response = twilio.post(
            "voice-dial-status",
            {"CallSid": new_call_sid(), "DialCallStatus": "completed"},
            query={"attempt": 1},
        )
        assert hangs_up(response)

    def test_an_unknown_status_is_treated_as_failed(self, twilio, ringing, caplog):
        sid, response = ringing
        following = twilio.dial_status(response, call_sid=sid, status="exploded")
        assert dialed(following) == ["+13125550163"]
        assert CallAttempt.objects.get(order=1).outcome == "failed"
        assert "unknown DialCallStatus" in caplog.text

    @pytest.mark.parametrize("missing", ["CallSid", "DialCallStatus"])
    def test_missing_parameters_reach_the_fallback(self, twilio, ringing, missing, settings):
        sid, _ = ringing
        params = {"CallSid": sid, "DialCallStatus": "no-answer"}
        del params[missing]
        response = twilio.post("voice-dial-status", params, query={"attempt": 1})
        assert dialed(response) == [settings.HELPLINE_FALLBACK_NUMBER]
        assert CallAttempt.objects.get().outcome == ""

    @pytest.mark.parametrize("query", [None, {"attempt": "x"}, {"attempt": 0}])
    def test_a_missing_or_bad_attempt_reaches_the_fallback(self, twilio, ringing, query, settings):
        sid, _ = ringing
        params = {"CallSid": sid, "DialCallStatus": "no-answer"}
        response = twilio.post("voice-dial-status", params, query=query)
        assert dialed(response) == [settings.HELPLINE_FALLBACK_NUMBER]

    @pytest.mark.parametrize("duration", ["-4", "2147483648", "9" * 5000, "1e3", "x"])
    def test_a_duration_out_of_range_is_clamped_or_unknown(self, twilio, ringing, duration):
        sid, response = ringing
        twilio.accept(response)
        params = {"CallSid": sid, "DialCallStatus": "completed", "DialCallDuration": duration}
        assert hangs_up(twilio.post_url(dial_action(response), params))
        attempt = CallAttempt.objects.get()
        assert attempt.outcome == "completed"
        assert attempt.duration == (86400 if duration == "2147483648" else None)

    def test_unsigned_is_forbidden(self, client, ringing):
        sid, _ = ringing
        response = client.post(
            "/helplines/voice/dial-status/?attempt=1",
            {"CallSid": sid, "DialCallStatus": "completed"},
        )
        assert response.status_code == 403
        assert CallAttempt.objects.get().outcome == ""
