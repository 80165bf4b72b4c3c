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

from directory.text import strip_control

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
# Heard after a fallback dial that has no action URL, whether or not anyone answered.
STILL_NEED_HELP = (
    "If you still need help, call the SAMHSA National Helpline, free, at "
    f"{SAMHSA_SPOKEN}. {CRISIS} Goodbye."
)


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
        case Announcement.NOT_ROUTED:
            return (
                f"{GENERAL_NOTICE} We cannot put you through to an advertiser right now, so "
                f"we are connecting you to {fallback_name()}."
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
    _say(response, words(step))
    if step.attempt is None:
        response.hangup()
    else:
        response.append(_dial(step.attempt, request=request))
    return twiml_response(response)


def lost_call(*, answered: bool) -> HttpResponse:
    """For a callback about a call we have no record of: never leave a caller in silence."""
    response = VoiceResponse()
    if not answered:
        _say(response, f"We are sorry, something went wrong. Connecting you to {fallback_name()}.")
        _dial_fallback_without_us(response)
    response.hangup()
    return twiml_response(response)


def not_routed() -> HttpResponse:
    """For a new call we cannot route (the database is down, or Twilio's parameters make no
    sense): the notice with the free lines, then the fallback line.

    The dial has no action URL, so nothing more depends on us: when it ends Twilio reads on,
    and the caller hears the free numbers again.
    """
    response = VoiceResponse()
    _say(response, words(NextStep(Announcement.NOT_ROUTED)))
    _dial_fallback_without_us(response)
    response.hangup()
    return twiml_response(response)


def acknowledged() -> HttpResponse:
    """An empty TwiML document: for callbacks whose answer Twilio ignores."""
    return twiml_response(VoiceResponse())


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


def _say(response: VoiceResponse, text: str) -> None:
    """Speak ``text``, if any. Names come from imports and the admin: whatever they hold, a
    control character must not make the document unreadable XML, which Twilio would answer
    with its error message instead of connecting the caller."""
    text = strip_control(text, single_line=True)
    if text:
        response.say(text)


def _dial_fallback_without_us(response: VoiceResponse) -> None:
    dial = Dial(timeout=FALLBACK_DIAL_TIMEOUT)
    dial.number(settings.HELPLINE_FALLBACK_NUMBER)
    response.append(dial)
    response.say(STILL_NEED_HELP)


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
            # The whisper is fetched for the answered leg, whose own CallSid is not ours: the
            # query names the call and attempt, so that the answer can be recorded (routing
            # counts a ringing attempt for minutes, an answered one for hours).
            url=_absolute(
                request,
                "helplines:voice-whisper",
                line=attempt.destination,
                call=attempt.call.call_sid,
                attempt=attempt.order,
            ),
            method="POST",
        )
    return dial


def _absolute(request: HttpRequest, name: str, **query: object) -> str:
    return request.build_absolute_uri(f"{reverse(name)}?{urlencode(query)}")
