"""POST /helplines/voice/incoming/: Twilio asks what to do with a new call."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from twilio.request_validator import RequestValidator

from centers.models import Center
from helplines.models import Call, CallAttempt, Helpline, hash_caller
from tests.factories import make_center

from .conftest import (
    AUTH_TOKEN,
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

URL = "/helplines/voice/incoming/"


def test_url():
    assert reverse("helplines:voice-incoming") == URL


class TestGeneralLine:
    def test_dials_an_advertiser_after_the_notice(self, twilio, advertisers, detox_line, settings):
        response = twilio.incoming(to=detox_line.number)
        words = spoken(response)
        assert "answered by treatment providers who pay to advertise" in words
        assert "1, 8 0 0, 6 6 2, 4 3 5 7" in words
        assert "call or text 9 8 8" in words
        assert "Connecting you now to Maple Grove Recovery, a paid advertiser." in words
        assert dialed(response) == ["+12025550147"]
        dial = twiml(response).find("Dial")
        assert dial.attrib["timeout"] == str(settings.HELPLINE_DIAL_TIMEOUT)
        assert dial.attrib["method"] == "POST"
        assert dial.attrib["action"] == "http://testserver/helplines/voice/dial-status/?attempt=1"
        number = dial.find("Number")
        call_sid = Call.objects.get().call_sid
        assert number.attrib["url"] == (
            f"http://testserver/helplines/voice/whisper/?line=advertiser&call={call_sid}&attempt=1"
        )
        assert number.attrib["method"] == "POST"

    def test_the_words_come_before_the_dial(self, twilio, advertisers, detox_line):
        root = twiml(twilio.incoming(to=detox_line.number))
        assert [child.tag for child in root] == ["Say", "Dial"]

    def test_records_the_call(self, twilio, advertisers, detox_line):
        sid = new_call_sid()
        twilio.incoming(to=detox_line.number, call_sid=sid)
        call = Call.objects.get()
        assert call.call_sid == sid
        assert call.helpline == detox_line
        assert call.source == Call.Source.VOICE
        assert call.status == Call.Status.IN_PROGRESS
        assert call.caller_hash == hash_caller(CALLER)
        assert call.to_number == detox_line.number
        attempt = call.attempts.get()
        assert (attempt.order, attempt.advertiser, attempt.outcome) == (1, advertisers.maple, "")

    def test_to_may_come_in_any_format(self, twilio, advertisers, detox_line):
        response = twilio.incoming(to="(202) 555-0101")
        assert dialed(response) == ["+12025550147"]

    def test_an_extension_is_dialed_after_the_call_connects(self, twilio, detox_line):
        make_advertiser(intake_number="+12025550150;ext=42")
        number = twiml(twilio.incoming(to=detox_line.number)).find("Dial/Number")
        assert number.text == "+12025550150"
        assert number.attrib["sendDigits"] == "ww42"

    def test_nobody_open_goes_to_the_fallback_with_the_notice(self, twilio, detox_line, settings):
        response = twilio.incoming(to=detox_line.number)
        assert "pay to advertise" in spoken(response)
        assert "No advertiser can take your call right now" in spoken(response)
        assert dialed(response) == [settings.HELPLINE_FALLBACK_NUMBER]
        # The public line gets no whisper.
        assert "url" not in twiml(response).find("Dial/Number").attrib
        assert Call.objects.get().attempts.get().destination == "fallback"

    def test_a_retried_webhook_replays_the_same_answer(self, twilio, advertisers, detox_line):
        sid = new_call_sid()
        first = twilio.incoming(to=detox_line.number, call_sid=sid)
        second = twilio.incoming(to=detox_line.number, call_sid=sid)
        assert second.content == first.content
        assert Call.objects.count() == 1
        assert CallAttempt.objects.count() == 1
        advertisers.birch.refresh_from_db()
        assert advertisers.birch.current_weight == 3  # the rotation moved once, not twice


class TestCenterLine:
    def test_rings_the_center_directly(self, twilio, advertisers):
        center = make_center(name="Riverside Clinic", phone="+12025550123")
        line = make_helpline(kind=Helpline.Kind.CENTER, center=center)
        response = twilio.incoming(to=line.number)
        assert spoken(response) == "Connecting you to Riverside Clinic."
        assert dialed(response) == ["+12025550123"]
        assert "?line=center&" in twiml(response).find("Dial/Number").attrib["url"]
        attempt = CallAttempt.objects.get()
        assert (attempt.destination, attempt.center) == ("center", center)

    def test_a_center_without_a_phone_goes_to_the_fallback(self, twilio, settings):
        center = make_center()
        Center.objects.filter(pk=center.pk).update(phone="")
        line = make_helpline(kind=Helpline.Kind.CENTER, center=center)
        response = twilio.incoming(to=line.number)
        assert dialed(response) == [settings.HELPLINE_FALLBACK_NUMBER]


class TestUnknownNumber:
    def test_apologises_and_dials_the_fallback(self, twilio, advertisers, settings):
        response = twilio.incoming(to="+12025550199")
        assert spoken(response).startswith("We are sorry: this number is not in service.")
        assert dialed(response) == [settings.HELPLINE_FALLBACK_NUMBER]
        call = Call.objects.get()
        assert (call.helpline, call.to_number) == (None, "+12025550199")
        assert call.attempts.get().destination == "fallback"

    def test_an_inactive_line_is_treated_the_same(self, twilio, advertisers, settings):
        line = make_helpline(active=False)
        response = twilio.incoming(to=line.number)
        assert dialed(response) == [settings.HELPLINE_FALLBACK_NUMBER]
        assert Call.objects.get().helpline == line

    def test_a_to_that_is_not_a_number(self, twilio, settings):
        response = twilio.incoming(to="client:anonymous")
        assert dialed(response) == [settings.HELPLINE_FALLBACK_NUMBER]

    def test_a_fallback_that_is_not_samhsa_is_not_called_samhsa(self, twilio, settings):
        settings.HELPLINE_FALLBACK_NUMBER = "+12025550111"
        response = twilio.incoming(to="+12025550199")
        assert "Connecting you now to our fallback helpline." in spoken(response)
        assert dialed(response) == ["+12025550111"]


class TestSignature:
    PARAMS = {"CallSid": "CA00000000000000000000000000000001", "To": "+12025550101"}

    def post(self, client, signature: str | None, params=None, headers=None):
        headers = dict(headers or {})
        if signature is not None:
            headers["X-Twilio-Signature"] = signature
        return client.post(URL, params or self.PARAMS, headers=headers)

    def test_missing_signature_is_forbidden(self, client, settings, detox_line):
        settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
        assert self.post(client, None).status_code == 403
        assert not Call.objects.exists()

    def test_forged_signature_is_forbidden(self, client, settings, detox_line):
        settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
        forged = RequestValidator("not-our-token").compute_signature(
            f"http://testserver{URL}", self.PARAMS
        )
        assert self.post(client, forged).status_code == 403
        assert not Call.objects.exists()

    def test_signature_over_other_parameters_is_forbidden(self, client, settings, detox_line):
        settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
        signature = RequestValidator(AUTH_TOKEN).compute_signature(
            f"http://testserver{URL}", self.PARAMS
        )
        tampered = {**self.PARAMS, "To": "+12025550102"}
        assert self.post(client, signature, tampered).status_code == 403

    def test_without_an_auth_token_everything_is_refused(self, client, settings, caplog):
        settings.TWILIO_AUTH_TOKEN = ""
        signature = RequestValidator("").compute_signature(f"http://testserver{URL}", self.PARAMS)
        assert self.post(client, signature).status_code == 403
        assert "TWILIO_AUTH_TOKEN is not set" in caplog.text

    def test_get_is_not_allowed(self, client):
        assert client.get(URL).status_code == 405

    def test_hmac_sha256_signatures_are_accepted(self, client, settings, detox_line):
        settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
        signature = RequestValidator(AUTH_TOKEN).compute_signature(
            f"http://testserver{URL}", self.PARAMS, algorithm="HMAC_SHA256"
        )
        response = client.post(
            URL,
            self.PARAMS,
            headers={
                "X-Twilio-Signature": signature,
                "X-Twilio-Webhooks-Signature-Settings": "key=k1,algorithm=HMAC_SHA256",
            },
        )
        assert response.status_code == 200

    def test_behind_a_tls_proxy_the_https_url_is_verified(self, client, settings, advertisers):
        """Twilio signs https://...; the proxy forwards plain http with X-Forwarded-Proto."""
        settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
        settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
        make_helpline(number="+12025550101")
        signature = RequestValidator(AUTH_TOKEN).compute_signature(
            f"https://testserver{URL}", self.PARAMS
        )
        # A proxy forwards the Host header too (nginx: proxy_set_header Host $host).
        headers = {"X-Forwarded-Proto": "https", "Host": "testserver"}
        response = self.post(client, signature, headers=headers)
        assert response.status_code == 200
        # The callbacks Twilio will sign are https too: the language offer's, then the dial's.
        assert offered_language(response).attrib["action"].startswith("https://testserver/")
        assert twiml(response).find("Redirect").text.startswith("https://testserver/")

    def test_without_the_proxy_setting_an_https_signature_fails(self, client, settings):
        settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
        settings.SECURE_PROXY_SSL_HEADER = None
        signature = RequestValidator(AUTH_TOKEN).compute_signature(
            f"https://testserver{URL}", self.PARAMS
        )
        response = self.post(client, signature, headers={"X-Forwarded-Proto": "https"})
        assert response.status_code == 403


class TestBadInput:
    @pytest.mark.parametrize("missing", ["CallSid", "To"])
    def test_missing_parameters_still_reach_the_fallback(
        self, twilio, detox_line, missing, settings, caplog
    ):
        params = {"CallSid": new_call_sid(), "To": detox_line.number, "From": CALLER}
        del params[missing]
        response = twilio.post("voice-incoming", params)
        assert "pay to advertise" in spoken(response)
        assert dialed(response) == [settings.HELPLINE_FALLBACK_NUMBER]
        assert f"invalid parameters ({missing})" in caplog.text
        assert CALLER not in response.content.decode() + caplog.text
        call = Call.objects.get()
        assert call.caller_hash == hash_caller(CALLER)
        assert call.attempts.get().announcement == "not-routed"

    def test_a_withheld_caller_id_is_fine(self, twilio, advertisers, detox_line):
        response = twilio.incoming(to=detox_line.number, caller="anonymous")
        assert dialed(response) == ["+12025550147"]
        assert Call.objects.get().caller_hash == ""

    def test_no_from_at_all_is_fine(self, twilio, advertisers, detox_line):
        params = {"CallSid": new_call_sid(), "To": detox_line.number}
        response = twilio.choose_language(twilio.post("voice-incoming", params), params)
        assert dialed(response) == ["+12025550147"]


def test_the_dial_action_carries_only_the_attempt(twilio, advertisers, detox_line):
    query = parse_qs(urlsplit(dial_action(twilio.incoming(to=detox_line.number))).query)
    assert query == {"attempt": ["1"]}


# Query counts in a real transaction (as in production), not the test's, whose atomic blocks
# would turn BEGIN and COMMIT into a SAVEPOINT and a RELEASE. Each is a round trip.
@pytest.mark.django_db(transaction=True)
def _offered(twilio, line):
    """An English general line's offer of Spanish, and the parameters of its call."""
    params = {"CallSid": new_call_sid(), "To": line.number, "From": CALLER}
    return twilio.post("voice-incoming", params), params


class TestQueryCount:
    def test_the_offer_of_spanish_reads_only_the_helpline(
        self, twilio, advertisers, detox_line, django_assert_num_queries
    ):
        with django_assert_num_queries(1):
            _offered(twilio, detox_line)

    def test_a_general_line(self, twilio, advertisers, detox_line, django_assert_num_queries):
        twilio.incoming(to=detox_line.number)
        offer, params = _offered(twilio, detox_line)
        # After the offer: the helpline; BEGIN; the call's insert; the advertisers locked with
        # their hours; their calls in progress; the rotation's update; the attempt's insert;
        # COMMIT.
        with django_assert_num_queries(8):
            twilio.choose_language(offer, params)

    def test_one_advertiser_open_needs_no_rotation_update(
        self, twilio, detox_line, django_assert_num_queries
    ):
        alone = make_advertiser(weight=4)
        offer, params = _offered(twilio, detox_line)
        with django_assert_num_queries(7):
            twilio.choose_language(offer, params)
        alone.refresh_from_db()
        assert alone.current_weight == 0  # +4 for being eligible, -4 for being chosen

    def test_a_daily_cap_adds_the_day_s_callbacks(
        self, twilio, detox_line, django_assert_num_queries
    ):
        make_advertiser(daily_cap=10)
        offer, params = _offered(twilio, detox_line)
        # One more than an advertiser alone without a cap.
        with django_assert_num_queries(8):
            twilio.choose_language(offer, params)

    def test_a_center_line(self, twilio, django_assert_num_queries):
        line = make_helpline(kind=Helpline.Kind.CENTER, center=make_center(phone="2025550144"))
        # The helpline; BEGIN; the call's insert; the center; the attempt's insert; COMMIT.
        with django_assert_num_queries(6):
            twilio.incoming(to=line.number)

    def test_an_unknown_number(self, twilio, django_assert_num_queries):
        # The helpline (none); BEGIN; the call's insert; the fallback attempt's insert; COMMIT.
        with django_assert_num_queries(5):
            twilio.incoming(to="+12025550199")
