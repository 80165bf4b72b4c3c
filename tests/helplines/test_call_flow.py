"""A whole general call, as Twilio drives it: incoming, no answer, next, answered, status."""

from collections import Counter

import pytest

from helplines.models import AnsweredBy, Call

from .conftest import dialed, hangs_up, new_call_sid, spoken

pytestmark = pytest.mark.django_db


def test_incoming_no_answer_next_completed_status(twilio, advertisers, detox_line):
    sid = new_call_sid()

    incoming = twilio.incoming(to=detox_line.number, call_sid=sid)
    assert dialed(incoming) == [advertisers.maple.intake_number]
    assert "paid advertiser" in spoken(incoming)

    nobody = twilio.dial_status(incoming, call_sid=sid, status="no-answer", duration=0)
    assert dialed(nobody) == [advertisers.birch.intake_number]

    leg = twilio.accept(nobody)
    answered = twilio.dial_status(
        nobody, call_sid=sid, status="completed", duration=287, dial_call_sid=leg
    )
    assert hangs_up(answered)

    assert twilio.status(call_sid=sid, status="completed", duration=318).status_code == 200

    call = Call.objects.get(call_sid=sid)
    assert call.status == Call.Status.COMPLETED
    assert call.duration == 318
    assert call.answered_by == AnsweredBy.ADVERTISER
    assert call.answered_advertiser == advertisers.birch
    assert list(call.attempts.values_list("order", "advertiser__name", "outcome", "duration")) == [
        (1, "Maple Grove Recovery", "no-answer", 0),
        (2, "Birch House Treatment", "completed", 287),
    ]


def test_callbacks_out_of_order_give_the_same_record(twilio, advertisers, detox_line):
    sid = new_call_sid()
    incoming = twilio.incoming(to=detox_line.number, call_sid=sid)
    twilio.accept(incoming)
    # The status callback overtakes the Dial action, then both are retried.
    twilio.status(call_sid=sid, status="completed", duration=75)
    twilio.dial_status(incoming, call_sid=sid, status="completed", duration=60)
    twilio.status(call_sid=sid, status="completed", duration=75)
    twilio.dial_status(incoming, call_sid=sid, status="completed", duration=60)
    call = Call.objects.get()
    assert (call.status, call.duration, call.answered_advertiser) == (
        "completed",
        75,
        advertisers.maple,
    )
    assert call.attempts.count() == 1


def test_one_hundred_webhook_calls_follow_the_weights(twilio, advertisers, detox_line):
    for _ in range(100):
        sid = new_call_sid()
        incoming = twilio.incoming(to=detox_line.number, call_sid=sid)
        twilio.accept(incoming)
        twilio.dial_status(incoming, call_sid=sid, status="completed", duration=30)
        twilio.status(call_sid=sid, status="completed", duration=40)
    answered = Counter(Call.objects.values_list("answered_advertiser__name", flat=True))
    assert answered == {
        "Maple Grove Recovery": 50,
        "Birch House Treatment": 30,
        "Cedar Path Counseling": 20,
    }
