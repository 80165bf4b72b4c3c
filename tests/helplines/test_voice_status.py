"""POST /helplines/voice/status/: Twilio's status callback, with the call's final status."""

import pytest
from django.urls import reverse

from helplines.models import Call

from .conftest import new_call_sid, twiml

pytestmark = pytest.mark.django_db


@pytest.fixture
def call_sid(twilio, advertisers, detox_line) -> str:
    sid = new_call_sid()
    twilio.incoming(to=detox_line.number, call_sid=sid)
    return sid


def test_url():
    assert reverse("helplines:voice-status") == "/helplines/voice/status/"


def test_records_the_final_status_and_length(twilio, call_sid):
    response = twilio.status(call_sid=call_sid, status="completed", duration=431)
    assert response.status_code == 200
    call = Call.objects.get()
    assert (call.status, call.duration) == ("completed", 431)
    assert call.ended_at is not None


@pytest.mark.parametrize("status", ["busy", "no-answer", "failed", "canceled"])
def test_every_final_status_is_kept(twilio, call_sid, status):
    twilio.status(call_sid=call_sid, status=status)
    assert Call.objects.get().status == status


def test_the_first_final_status_wins(twilio, call_sid):
    twilio.status(call_sid=call_sid, status="completed", duration=431)
    ended_at = Call.objects.get().ended_at
    assert twilio.status(call_sid=call_sid, status="completed", duration=999).status_code == 200
    assert twilio.status(call_sid=call_sid, status="failed").status_code == 200
    call = Call.objects.get()
    assert (call.status, call.duration, call.ended_at) == ("completed", 431, ended_at)


def test_an_interim_status_after_the_final_one_changes_nothing(twilio, call_sid):
    twilio.status(call_sid=call_sid, status="completed", duration=12)
    twilio.status(call_sid=call_sid, status="in-progress")
    twilio.status(call_sid=call_sid, status="ringing")
    assert Call.objects.get().status == "completed"


def test_an_interim_status_keeps_the_call_open(twilio, call_sid):
    twilio.status(call_sid=call_sid, status="ringing")
    call = Call.objects.get()
    assert (call.status, call.ended_at) == ("in-progress", None)


def test_an_unknown_call_is_acknowledged(twilio, caplog):
    assert twilio.status(call_sid=new_call_sid(), status="completed").status_code == 200
    assert not Call.objects.exists()


@pytest.mark.parametrize("missing", ["CallSid", "CallStatus"])
def test_missing_parameters_are_acknowledged_and_logged(twilio, call_sid, missing, caplog):
    params = {"CallSid": call_sid, "CallStatus": "completed"}
    del params[missing]
    assert twiml(twilio.post("voice-status", params)).tag == "Response"
    assert f"invalid parameters ({missing})" in caplog.text
    assert Call.objects.get().ended_at is None


def test_unsigned_is_forbidden(client, call_sid):
    response = client.post(
        "/helplines/voice/status/", {"CallSid": call_sid, "CallStatus": "completed"}
    )
    assert response.status_code == 403
    assert Call.objects.get().ended_at is None


def test_a_call_duration_out_of_range_is_clamped(twilio, call_sid):
    twiml(twilio.status(call_sid=call_sid, status="completed", duration=2147483648))
    assert Call.objects.get().duration == 86400
