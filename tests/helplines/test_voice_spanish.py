"""Spanish on the phone: a Spanish general line, and "para español, oprima 2" on an English one.

Personas: ``maple`` (5) and ``birch`` (3) answer in English only; ``sol`` (Clínica Sol de
Mayo) and ``luna`` (Casa Luna Recovery) answer in Spanish (``luna`` in English too). The lines:
``detox_line`` (English) and ``linea`` (Spanish, "Línea de ayuda").
"""

import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from helplines.models import Advertiser, Call, CallAttempt, Helpline

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
from .test_webhook_faults import database_down

pytestmark = pytest.mark.django_db

SPANISH_NOTICE = "Esta línea la atienden proveedores de tratamiento que pagan por anunciarse"


def speaking(advertiser: Advertiser, *languages: str) -> Advertiser:
    advertiser.languages = list(languages)
    advertiser.save(update_fields=["languages"])
    return advertiser


@pytest.fixture
def sol(db) -> Advertiser:
    return speaking(
        make_advertiser(name="Clínica Sol de Mayo", weight=2, intake_number="+13055550121"),
        "es",
    )


@pytest.fixture
def luna(db) -> Advertiser:
    return speaking(
        make_advertiser(name="Casa Luna Recovery", weight=1, intake_number="+13055550122"),
        "en",
        "es",
    )


@pytest.fixture
def english_only(db):
    return [
        make_advertiser(name="Maple Grove Recovery", weight=5, intake_number="+12025550147"),
        make_advertiser(name="Birch House Treatment", weight=3, intake_number="+13125550163"),
    ]


@pytest.fixture
def linea(db) -> Helpline:
    line = make_helpline(label="Línea de ayuda", number="+12025550102")
    line.language = "es"
    line.save(update_fields=["language"])
    return line


@pytest.fixture
def detox_line(db) -> Helpline:
    return make_helpline(label="Detox helpline", number="+12025550101")


def says_in_spanish(response) -> bool:
    says = list(twiml(response).iter("Say"))
    return bool(says) and all(say.attrib.get("language") == "es-MX" for say in says)


def ring_out(twilio, response, *, call_sid: str):
    """Let every dial in turn go unanswered; the numbers dialed, in order."""
    numbers = dialed(response)
    while twiml(response).find("Dial") is not None and "dial-status" in dial_action(response):
        response = twilio.dial_status(response, call_sid=call_sid, status="no-answer")
        numbers += dialed(response)
    return numbers


class TestSpanishLine:
    def test_speaks_spanish_and_dials_a_spanish_speaking_advertiser(
        self, twilio, english_only, sol, linea
    ):
        response = twilio.incoming(to=linea.number)
        assert offered_language(response) is None  # a Spanish line asks nothing
        assert says_in_spanish(response)
        words = spoken(response)
        assert SPANISH_NOTICE in words
        assert "1, 8 0 0, 6 6 2, 4 3 5 7" in words
        assert "llame al 9 8 8; para español, oprima 2" in words
        assert "Le comunicamos ahora con Clínica Sol de Mayo" in words
        assert dialed(response) == [sol.intake_number]

    def test_rings_only_spanish_speaking_advertisers_then_the_fallback(
        self, twilio, english_only, sol, luna, linea, settings
    ):
        sid = new_call_sid()
        response = twilio.incoming(to=linea.number, call_sid=sid)
        numbers = ring_out(twilio, response, call_sid=sid)
        assert numbers == [sol.intake_number, luna.intake_number, settings.HELPLINE_FALLBACK_NUMBER]
        call = Call.objects.get()
        assert call.language == "es"
        assert {a.advertiser for a in call.attempts.exclude(advertiser=None)} == {sol, luna}

    def test_every_step_is_in_spanish(self, twilio, sol, linea):
        sid = new_call_sid()
        first = twilio.incoming(to=linea.number, call_sid=sid)
        fallback = twilio.dial_status(first, call_sid=sid, status="busy")
        assert says_in_spanish(fallback)
        assert "Ningún anunciante contestó" in spoken(fallback)
        assert "le atiende en español" in spoken(fallback)
        unanswered = twilio.dial_status(fallback, call_sid=sid, status="no-answer")
        assert says_in_spanish(unanswered)
        assert "Adiós" in spoken(unanswered)

    def test_no_spanish_speaking_advertiser_goes_to_the_fallback_in_spanish(
        self, twilio, english_only, linea, settings
    ):
        response = twilio.incoming(to=linea.number)
        assert dialed(response) == [settings.HELPLINE_FALLBACK_NUMBER]
        assert says_in_spanish(response)
        assert "ningún anunciante que atienda en español" in spoken(response)
        assert Call.objects.get().attempts.get().destination == CallAttempt.Destination.FALLBACK

    def test_the_whisper_url_and_the_dial_action_carry_the_language(self, twilio, sol, linea):
        response = twilio.incoming(to=linea.number)
        whisper_url = twiml(response).find("Dial/Number").attrib["url"]
        assert parse_qs(urlsplit(whisper_url).query)["lang"] == ["es"]
        assert parse_qs(urlsplit(dial_action(response)).query) == {
            "attempt": ["1"],
            "lang": ["es"],
        }

    def test_a_center_line_is_unchanged(self, twilio):
        from tests.factories import make_center

        line = make_helpline(kind=Helpline.Kind.CENTER, center=make_center(phone="2025550144"))
        line.language = "es"
        line.save(update_fields=["language"])
        response = twilio.incoming(to=line.number)
        assert offered_language(response) is None
        assert spoken(response).startswith("Connecting you to")
        assert Call.objects.get().language == "en"


class TestEnglishLineOffersSpanish:
    def test_the_offer_comes_first_and_is_short(self, twilio, english_only, detox_line):
        response = twilio.incoming(to=detox_line.number, follow=False)
        root = twiml(response)
        assert [child.tag for child in root] == ["Gather", "Redirect"]
        gather = offered_language(response)
        assert gather.attrib["numDigits"] == "1"
        assert gather.attrib["timeout"] == "3"
        assert gather.attrib["action"] == "http://testserver/helplines/voice/language/"
        say = gather.find("Say")
        assert (say.text, say.attrib["language"]) == ("Para español, oprima 2.", "es-MX")
        # No key: Twilio reads on to the same webhook.
        assert root.find("Redirect").text == gather.attrib["action"]
        # Nothing is recorded until the caller has chosen.
        assert Call.objects.count() == 0

    def test_pressing_2_continues_in_spanish(self, twilio, english_only, sol, detox_line):
        sid = new_call_sid()
        response = twilio.incoming(to=detox_line.number, call_sid=sid, press="2")
        assert says_in_spanish(response)
        assert SPANISH_NOTICE in spoken(response)
        assert dialed(response) == [sol.intake_number]
        call = Call.objects.get()
        assert (call.call_sid, call.language, call.helpline) == (sid, "es", detox_line)

    def test_pressing_2_rings_only_spanish_speaking_advertisers_then_the_fallback(
        self, twilio, english_only, sol, detox_line, settings
    ):
        sid = new_call_sid()
        response = twilio.incoming(to=detox_line.number, call_sid=sid, press="2")
        assert ring_out(twilio, response, call_sid=sid) == [
            sol.intake_number,
            settings.HELPLINE_FALLBACK_NUMBER,
        ]

    @pytest.mark.parametrize("press", [None, "1", "9", "*", "#", "22", ""])
    def test_no_key_or_another_key_continues_in_english(
        self, twilio, english_only, sol, detox_line, press
    ):
        response = twilio.incoming(to=detox_line.number, press=press)
        assert not says_in_spanish(response)
        assert "answered by treatment providers who pay to advertise" in spoken(response)
        assert dialed(response) == [english_only[0].intake_number]
        assert Call.objects.get().language == "en"

    def test_an_english_call_never_rings_a_spanish_only_advertiser(
        self, twilio, sol, detox_line, settings
    ):
        response = twilio.incoming(to=detox_line.number)
        assert dialed(response) == [settings.HELPLINE_FALLBACK_NUMBER]

    def test_a_retried_choice_is_routed_once(self, twilio, sol, detox_line):
        params = {"CallSid": new_call_sid(), "To": detox_line.number, "From": CALLER}
        offer = twilio.post("voice-incoming", params)
        first = twilio.choose_language(offer, params, press="2")
        again = twilio.choose_language(offer, params, press="2")
        assert first.content == again.content
        assert CallAttempt.objects.count() == 1

    def test_the_language_url(self):
        assert reverse("helplines:voice-language") == "/helplines/voice/language/"


class TestHostileLanguageChoice:
    URL = "http://testserver/helplines/voice/language/"

    @pytest.mark.parametrize(
        "digits", ["2\x00", "２", "٢", "<Say>2</Say>", "2" * 5000, "\x1b[2", "-2", " 2 "]
    )
    def test_garbage_digits_still_get_a_line(self, twilio, english_only, sol, detox_line, digits):
        params = {"CallSid": new_call_sid(), "To": detox_line.number, "Digits": digits}
        response = twilio.post_url(self.URL, params)
        assert dialed(response)
        ET.fromstring(response.content)

    @pytest.mark.parametrize(
        "params",
        [{}, {"Digits": "2"}, {"CallSid": new_call_sid()}, {"To": "+12025550101", "Digits": "2"}],
    )
    def test_missing_parameters_reach_the_fallback(self, twilio, params, settings):
        response = twilio.post_url(self.URL, params)
        assert dialed(response) == [settings.HELPLINE_FALLBACK_NUMBER]
        assert says_in_spanish(response) == (params.get("Digits") == "2")

    def test_unsigned_is_forbidden(self, client, twilio):
        response = client.post("/helplines/voice/language/", {"Digits": "2"})
        assert response.status_code == 403

    def test_get_is_not_allowed(self, twilio, client):
        assert client.get("/helplines/voice/language/").status_code == 405


class TestWhisper:
    def test_says_the_caller_chose_spanish(self, twilio):
        query = {"line": "advertiser", "call": new_call_sid(), "attempt": 1, "lang": "es"}
        response = twilio.post("voice-whisper", {"CallSid": "CA01"}, query=query)
        words = spoken(response)
        assert "The caller chose Spanish: please answer in Spanish." in words
        assert "La persona que llama eligió español." in words

    def test_an_english_caller_is_not_announced_as_spanish(self, twilio):
        query = {"line": "advertiser", "call": new_call_sid(), "attempt": 1}
        response = twilio.post("voice-whisper", {"CallSid": "CA01"}, query=query)
        assert "Spanish" not in spoken(response)

    def test_a_garbage_language_is_english(self, twilio):
        query = {"line": "advertiser", "call": "x", "attempt": 1, "lang": "es\x00<"}
        response = twilio.post("voice-whisper", {"CallSid": "CA01"}, query=query)
        assert "Spanish" not in spoken(response)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
class TestDatabaseDown:
    def test_pressing_2_hears_spanish_and_dials_the_fallback(self, twilio, settings):
        params = {"CallSid": new_call_sid(), "To": "+12025550101", "Digits": "2"}
        with database_down():
            response = twilio.post("voice-language", params)
        assert says_in_spanish(response)
        assert SPANISH_NOTICE in spoken(response)
        assert dialed(response) == [settings.HELPLINE_FALLBACK_NUMBER]

    def test_no_key_hears_english_and_dials_the_fallback(self, twilio, settings):
        params = {"CallSid": new_call_sid(), "To": "+12025550101"}
        with database_down():
            response = twilio.post("voice-language", params)
        assert "pay to advertise" in spoken(response)
        assert dialed(response) == [settings.HELPLINE_FALLBACK_NUMBER]

    def test_a_spanish_dial_result_still_gets_a_line_in_spanish(self, twilio, settings):
        params = {"CallSid": new_call_sid(), "DialCallStatus": "no-answer"}
        with database_down():
            response = twilio.post("voice-dial-status", params, query={"attempt": 1, "lang": "es"})
        assert says_in_spanish(response)
        assert dialed(response) == [settings.HELPLINE_FALLBACK_NUMBER]
