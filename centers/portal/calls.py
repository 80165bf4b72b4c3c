"""The call that proves a claim: Twilio's REST API rings the listing's own phone and reads the
code. The words are written here rather than in the catalog, for speech (digits one by one)
and so that a missing compiled catalog can never leave a Spanish claimant's call in English."""

import logging

import requests
from django.conf import settings
from twilio.base.exceptions import TwilioException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client
from twilio.twiml.voice_response import VoiceResponse

logger = logging.getLogger(__name__)

# Seconds to wait for Twilio's API before telling the claimant to try again.
API_TIMEOUT = 10


class CallFailed(Exception):
    """The call could not be placed; the claimant is told to try again later."""


_SPEECH = {
    "en": {
        "voice": "en-US",
        "intro": (
            "Hello. This is the Treatment Directory, calling the number on this center's "
            "listing. {name}, who says they are {role} at {center}, asked to manage the "
            "listing, with the email address {email}. If you do not know this person, you do "
            "not need to do anything: without the code they cannot manage it."
        ),
        "code": "The code is: {digits}.",
        "again": "Once more, the code is: {digits}. Goodbye.",
    },
    "es": {
        "voice": "es-MX",
        "intro": (
            "Hola. Le llama el Directorio de Tratamiento, al número que figura en la ficha de "
            "este centro. {name}, que dice ser {role} en {center}, pidió administrar la ficha, "
            "con el correo {email}. Si no conoce a esta persona, no tiene que hacer nada: sin "
            "el código no puede administrarla."
        ),
        "code": "El código es: {digits}.",
        "again": "Repito, el código es: {digits}. Adiós.",
    },
}


def code_twiml(*, code: str, name: str, role: str, email: str, center: str, language: str) -> str:
    """What the listing's phone hears: who asked, then the code, twice, digit by digit."""
    words = _SPEECH.get(language, _SPEECH["en"])
    digits = ", ".join(code)
    response = VoiceResponse()
    response.pause(length=1)
    intro = words["intro"].format(name=name, role=role, center=center, email=email)
    response.say(intro, language=words["voice"])
    response.pause(length=1)
    response.say(words["code"].format(digits=digits), language=words["voice"])
    response.pause(length=2)
    response.say(words["again"].format(digits=digits), language=words["voice"])
    return str(response)


def place_call(*, to: str, twiml: str) -> str:
    """Ring ``to`` (stored form, maybe with ``;ext=``) and play ``twiml``; return the call's
    sid. Raises ``CallFailed`` when Twilio is not configured, unreachable or refuses."""
    if not (
        settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN and settings.CLAIM_CALLER_ID
    ):
        raise CallFailed("Twilio is not configured for claim calls")
    client = Client(
        settings.TWILIO_ACCOUNT_SID,
        settings.TWILIO_AUTH_TOKEN,
        http_client=TwilioHttpClient(timeout=API_TIMEOUT),
    )
    client.api.base_url = settings.TWILIO_API_BASE_URL
    number, _, extension = to.partition(";ext=")
    # An extension is dialled once the line answers, after a second's pause ("w" is half).
    extra = {"send_digits": f"ww{extension}"} if extension else {}
    try:
        call = client.calls.create(to=number, from_=settings.CLAIM_CALLER_ID, twiml=twiml, **extra)
    except (TwilioException, requests.RequestException) as error:
        # The number is the listing's public phone; the error says what Twilio answered.
        logger.error("Claim call to a listing could not be placed: %s", error)
        raise CallFailed(str(error)) from error
    return call.sid
