"""A caller's number is never stored or logged: only its keyed hash is kept."""

import logging

import pytest
from django.db import connection
from django.test import RequestFactory
from django.views.debug import SafeExceptionReporterFilter
from twilio.request_validator import RequestValidator

from helplines import views
from helplines.models import Call, hash_caller

from .conftest import AUTH_TOKEN, new_call_sid

pytestmark = pytest.mark.django_db

RAW = "+12025550177"
# Every way the number could have been written down.
FORMS = ("+12025550177", "12025550177", "2025550177", "555-0177", "5550177")


def every_text_value() -> list[str]:
    """Every non-null value of every column of every table, as text."""
    values: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            columns = [
                c.name for c in connection.introspection.get_table_description(cursor, table)
            ]
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)}")  # noqa: S608
            values.extend(str(value) for row in cursor.fetchall() for value in row if value)
    return values


def test_the_raw_number_appears_in_no_column_of_any_table(twilio, advertisers, detox_line):
    sid = new_call_sid()
    incoming = twilio.incoming(to=detox_line.number, call_sid=sid, caller=RAW)
    nobody = twilio.dial_status(incoming, call_sid=sid, status="no-answer")
    twilio.dial_status(nobody, call_sid=sid, status="completed", duration=30)
    twilio.status(call_sid=sid, status="completed", duration=45)
    twilio.client.get(f"/helplines/call/{detox_line.slug}/")

    values = every_text_value()
    assert values, "the scan found nothing at all: it is broken"
    for form in FORMS:
        assert not [value for value in values if form in value], form
    assert Call.objects.get(call_sid=sid).caller_hash == hash_caller(RAW)


def test_the_raw_number_is_never_logged(twilio, advertisers, detox_line, caplog):
    caplog.set_level(logging.DEBUG)
    sid = new_call_sid()
    incoming = twilio.incoming(to=detox_line.number, call_sid=sid, caller=RAW)
    twilio.dial_status(incoming, call_sid=sid, status="busy")
    twilio.status(call_sid=sid, status="completed")
    # The error paths log too: a bad request, a forgery, an unknown call.
    twilio.post("voice-incoming", {"From": RAW, "To": detox_line.number})
    twilio.client.post("/helplines/voice/incoming/", {"From": RAW, "CallSid": "CA1", "To": "x"})
    twilio.post("voice-status", {"CallSid": new_call_sid(), "CallStatus": "completed", "From": RAW})
    assert caplog.records, "nothing was logged: the test is not looking"
    for record in caplog.records:
        for form in FORMS:
            assert form not in record.getMessage()


def test_error_reports_hide_every_twilio_parameter(settings, detox_line):
    """If a webhook ever fails, Django's error report must not print From or Caller."""
    settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
    params = {"CallSid": new_call_sid(), "To": detox_line.number, "From": RAW, "Caller": RAW}
    url = "http://testserver/helplines/voice/incoming/"
    request = RequestFactory().post(
        "/helplines/voice/incoming/",
        params,
        headers={"X-Twilio-Signature": RequestValidator(AUTH_TOKEN).compute_signature(url, params)},
    )
    views.voice_incoming(request)
    cleansed = SafeExceptionReporterFilter().get_post_parameters(request)
    assert RAW not in cleansed.values()
    assert cleansed["From"] == cleansed["Caller"] == SafeExceptionReporterFilter.cleansed_substitute


def test_no_call_is_ever_recorded(twilio, advertisers, detox_line):
    """No <Record>, and no <Dial record=...>: the audio of a call is never kept."""
    sid = new_call_sid()
    incoming = twilio.incoming(to=detox_line.number, call_sid=sid)
    responses = [incoming]
    for _ in range(3):
        responses.append(twilio.dial_status(responses[-1], call_sid=sid, status="no-answer"))
    for response in responses:
        body = response.content.decode()
        assert "<Record" not in body
        assert "record=" not in body.lower()
        assert "<Dial" in body
