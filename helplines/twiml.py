"""TwiML: what callers and advertisers hear, and what Twilio dials next.

Built with ``twilio.twiml.voice_response`` from a ``services.NextStep``. Every URL handed to
Twilio is absolute and built from the current request, so it carries the scheme and host that
Twilio used (https behind a TLS proxy, thanks to ``SECURE_PROXY_SSL_HEADER``); Twilio signs its
callback with exactly that URL, so the signature check on the callback passes.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from twilio.twiml.voice_response import Dial, VoiceResponse

from .models import CallAttempt
from .services import Announcement, NextStep

SAMHSA_NUMBER = "+18006624357"
# Digits spaced so text-to-speech reads them one by one, not as "eight hundred".
SAMHSA_SPOKEN = "1, 8 0 0, 6 6 2, 4 3 5 7"
CRISIS = "If you are in crisis or thinking about suicide, hang up and call or text 9 8 8."
GENERAL_NOTICE = (
    "Thank you for calling. This helpline is answered by treatment providers who pay to "
    "advertise on our directory. We are not a public service. Free, confidential help is "
    f"available any time from the SAMHSA National Helpline at {SAMHSA_SPOKEN}. {CRISIS}"
)
# Nothing comes after the fallback line, so it may ring longer than an advertiser.
FALLBACK_DIAL_TIMEOUT = 60


def fallback_name() -> str:
    if settings.HELPLINE_FALLBACK_NUMBER == SAMHSA_NUMBER:
        return "the SAMHSA National Helpline, which is free and confidential"
    return "our fallback helpline"


def words(step: NextStep) -> str:
    """What the caller hears before ``step``'s dial, or before hanging up."""
    attempt = step.attempt
    name = attempt.destination_name() if attempt else ""
    match step.announcement:
        case Announcement.FIRST_ADVERTISER:
            return f"{GENERAL_NOTICE} Connecting you now to {name}, a paid advertiser."
        case Announcement.NEXT_ADVERTISER:
            return f"That provider did not answer. Trying {name}, another paid advertiser."
        case Announcement.NO_ADVERTISER_AVAILABLE:
            return (
                f"{GENERAL_NOTICE} No advertiser can take your call right now, so we are "
                f"connecting you to {fallback_name()}."
            )
        case Announcement.NO_ADVERTISER_ANSWERED:
            return f"No advertiser answered. Connecting you now to {fallback_name()}."
        case Announcement.UNKNOWN_NUMBER:
            return (
                "We are sorry: this number is not in service. Connecting you now to "
                f"{fallback_name()}. {CRISIS}"
            )
        case Announcement.CENTER:
            return f"Connecting you to {name}."
        case Announcement.CENTER_UNANSWERED:
            return (
                "We are sorry: the center could not take your call. Please try again later. "
                f"Connecting you now to {fallback_name()}."
            )
        case Announcement.FALLBACK_UNANSWERED:
            return (
                "We are sorry: we could not connect your call. You can call the SAMHSA "
                f"National Helpline yourself, free, at {SAMHSA_SPOKEN}. {CRISIS} Goodbye."
            )
    return ""


def respond(step: NextStep, *, request: HttpRequest) -> HttpResponse:
    """The TwiML for ``step``: the words, then a ``<Dial>`` or ``<Hangup>``."""
    response = VoiceResponse()
    text = words(step)
    if text:
        response.say(text)
    if step.attempt is None:
        response.hangup()
    else:
        response.append(_dial(step.attempt, request=request))
    return twiml_response(response)


def lost_call(*, answered: bool) -> HttpResponse:
    """For a callback about a call we have no record of: never leave a caller in silence."""
    response = VoiceResponse()
    if not answered:
        response.say(f"We are sorry, something went wrong. Connecting you to {fallback_name()}.")
        dial = Dial(timeout=FALLBACK_DIAL_TIMEOUT)
        dial.number(settings.HELPLINE_FALLBACK_NUMBER)
        response.append(dial)
    response.hangup()
    return twiml_response(response)


def whisper(line: str) -> HttpResponse:
    """What the person answering hears before the caller is put through."""
    response = VoiceResponse()
    if line == CallAttempt.Destination.CENTER:
        response.say("This call comes from your listing on the treatment directory. Connecting.")
    else:
        response.say(
            "This call comes from a general helpline on the treatment directory. The caller "
            "was told that the line is answered by paid advertisers, that you are one, and "
            "that free help is available from SAMHSA. Connecting."
        )
    return twiml_response(response)


def twiml_response(response: VoiceResponse) -> HttpResponse:
    return HttpResponse(response.to_xml(), content_type="text/xml; charset=utf-8")


def _dial(attempt: CallAttempt, *, request: HttpRequest) -> Dial:
    is_fallback = attempt.destination == CallAttempt.Destination.FALLBACK
    dial = Dial(
        action=_absolute(request, "helplines:voice-dial-status", attempt=attempt.order),
        method="POST",
        timeout=FALLBACK_DIAL_TIMEOUT if is_fallback else settings.HELPLINE_DIAL_TIMEOUT,
    )
    number, _, extension = attempt.number.partition(";ext=")
    if is_fallback:
        # A public helpline gets no whisper: it owes us nothing and expects plain calls.
        dial.number(number)
    else:
        dial.number(
            number,
            # "w" waits half a second: let the switchboard pick up before the extension.
            send_digits=f"ww{extension}" if extension else None,
            url=_absolute(request, "helplines:voice-whisper", line=attempt.destination),
            method="POST",
        )
    return dial


def _absolute(request: HttpRequest, name: str, **query: object) -> str:
    return request.build_absolute_uri(f"{reverse(name)}?{urlencode(query)}")
