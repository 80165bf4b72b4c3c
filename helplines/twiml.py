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
from twilio.twiml.voice_response import Dial, Gather, VoiceResponse

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

# Spanish, written by us for the phone (not in the site's catalog: these are heard, not read,
# and are spelled for text-to-speech, digits spaced as above). SAMHSA's line answers in
# Spanish; 988 offers Spanish when the caller presses 2.
SPANISH = "es"
# The <Say> attributes for Spanish: Mexican Spanish, the most widely understood in the US,
# read by Amazon Polly's es-MX voice through Twilio.
SPANISH_SAY = {"language": "es-MX", "voice": "Polly.Mia"}
CRISIS_ES = (
    "Si está en crisis o piensa en el suicidio, cuelgue y llame al 9 8 8; para español, "
    "oprima 2. También puede enviar un mensaje de texto al 9 8 8."
)
GENERAL_NOTICE_ES = (
    "Gracias por llamar. Esta línea la atienden proveedores de tratamiento que pagan por "
    "anunciarse en nuestro directorio. No somos un servicio público. La Línea Nacional de "
    "Ayuda de SAMHSA ofrece ayuda gratuita y confidencial en español, a cualquier hora, en el "
    f"{SAMHSA_SPOKEN}. {CRISIS_ES}"
)
STILL_NEED_HELP_ES = (
    "Si todavía necesita ayuda, llame gratis a la Línea Nacional de Ayuda de SAMHSA, al "
    f"{SAMHSA_SPOKEN}; le atienden en español. {CRISIS_ES} Adiós."
)
# Offered on an English general line before anything else, in Spanish.
OFFER_SPANISH = "Para español, oprima 2."
SPANISH_DIGIT = "2"
# Screening: the advertiser's whisper, a "press 1" asked twice, in English (the intake's
# working language with us); a caller who chose Spanish adds a line in Spanish.
SCREEN_PROMPT = (
    "A caller from the general helpline, told this is paid advertising. Press 1 to take the call."
)
SCREEN_PROMPT_FOR_SPANISH_CALL = (
    "A caller from the general helpline, told this is paid advertising. The caller chose "
    "Spanish: please answer in Spanish. Press 1 to take the call."
)
SCREEN_SPANISH = "La persona que llama eligió español. Para tomar la llamada, oprima 1."
SCREEN_REPEAT = "Press 1 to take the call."
SCREEN_NOT_TAKEN = "The call goes to another provider. Goodbye."
# Seconds each "press 1" waits after it is read.
SCREEN_TIMEOUT = 5
# Seconds the offer waits for a key after it is read: short, so that an English caller, who
# presses nothing, is hardly slowed (Twilio then reads on, to our <Redirect>).
OFFER_TIMEOUT = 3


def fallback_name(language: str = "en") -> str:
    if language == SPANISH:
        if settings.HELPLINE_FALLBACK_NUMBER == SAMHSA_NUMBER:
            return (
                "la Línea Nacional de Ayuda de SAMHSA, que es gratuita, confidencial y le "
                "atiende en español"
            )
        return "nuestra línea de respaldo"
    if settings.HELPLINE_FALLBACK_NUMBER == SAMHSA_NUMBER:
        return "the SAMHSA National Helpline, which is free and confidential"
    return "our fallback helpline"


def words(step: NextStep) -> str:
    """What the caller hears before ``step``'s dial, or before hanging up, in its language."""
    attempt = step.attempt
    name = attempt.destination_name() if attempt else ""
    if step.language == SPANISH:
        return _spanish_words(step.announcement, name)
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


def _spanish_words(announcement: Announcement, name: str) -> str:
    fallback = fallback_name(SPANISH)
    match announcement:
        case Announcement.FIRST_ADVERTISER:
            return (
                f"{GENERAL_NOTICE_ES} Le comunicamos ahora con {name}, un anunciante pagado que "
                "le atiende en español."
            )
        case Announcement.NEXT_ADVERTISER:
            return (
                f"Ese proveedor no contestó. Intentamos con {name}, otro anunciante pagado que "
                "le atiende en español."
            )
        case Announcement.NO_ADVERTISER_AVAILABLE:
            return (
                f"{GENERAL_NOTICE_ES} En este momento ningún anunciante que atienda en español "
                f"puede tomar su llamada, así que le comunicamos con {fallback}."
            )
        case Announcement.NO_ADVERTISER_ANSWERED:
            return f"Ningún anunciante contestó. Le comunicamos ahora con {fallback}."
        case Announcement.UNKNOWN_NUMBER:
            return (
                "Lo sentimos: este número no está en servicio. Le comunicamos ahora con "
                f"{fallback}. {CRISIS_ES}"
            )
        case Announcement.CENTER:
            return f"Le comunicamos con {name}."
        case Announcement.CENTER_UNANSWERED:
            return (
                "Lo sentimos: el centro no pudo tomar su llamada. Por favor, intente más tarde. "
                f"Le comunicamos ahora con {fallback}."
            )
        case Announcement.NOT_ROUTED:
            return (
                f"{GENERAL_NOTICE_ES} En este momento no podemos comunicarle con un anunciante, "
                f"así que le comunicamos con {fallback}."
            )
        case Announcement.FALLBACK_UNANSWERED:
            return (
                "Lo sentimos: no pudimos comunicar su llamada. Puede llamar usted a la Línea "
                f"Nacional de Ayuda de SAMHSA, gratis, al {SAMHSA_SPOKEN}; le atienden en "
                f"español. {CRISIS_ES} Adiós."
            )
    return ""


def respond(step: NextStep, *, request: HttpRequest) -> HttpResponse:
    """The TwiML for ``step``: the words, then a ``<Dial>`` or ``<Hangup>``."""
    response = VoiceResponse()
    _say(response, words(step), language=step.language)
    if step.attempt is None:
        response.hangup()
    else:
        response.append(_dial(step.attempt, request=request, language=step.language))
    return twiml_response(response)


def offer_spanish(*, request: HttpRequest) -> HttpResponse:
    """An English general line's first words: "para español, oprima 2", in Spanish.

    The key pressed is posted to the language webhook; with no key (or when the caller
    cannot press one), Twilio reads on past the ``<Gather>`` to the ``<Redirect>``, which posts
    to the same webhook without ``Digits``: English, as before. Nothing is recorded until then,
    so a webhook that fails here costs the caller nothing the fallback does not give back.
    """
    url = request.build_absolute_uri(reverse("helplines:voice-language"))
    response = VoiceResponse()
    gather = Gather(num_digits=1, timeout=OFFER_TIMEOUT, action=url, method="POST")
    gather.say(OFFER_SPANISH, **SPANISH_SAY)
    response.append(gather)
    response.redirect(url, method="POST")
    return twiml_response(response)


def chosen_language(digits: object) -> str:
    """The caller's language from the key pressed: 2 is Spanish, anything else English."""
    return SPANISH if str(digits or "").strip() == SPANISH_DIGIT else "en"


def lost_call(*, answered: bool, language: str = "en") -> HttpResponse:
    """For a callback about a call we have no record of: never leave a caller in silence."""
    response = VoiceResponse()
    if not answered:
        sorry = (
            f"Lo sentimos, algo salió mal. Le comunicamos con {fallback_name(SPANISH)}."
            if language == SPANISH
            else f"We are sorry, something went wrong. Connecting you to {fallback_name()}."
        )
        _say(response, sorry, language=language)
        _dial_fallback_without_us(response, language=language)
    response.hangup()
    return twiml_response(response)


def not_routed(language: str = "en") -> HttpResponse:
    """For a new call we cannot route (the database is down, or Twilio's parameters make no
    sense): the notice with the free lines, then the fallback line.

    The dial has no action URL, so nothing more depends on us: when it ends Twilio reads on,
    and the caller hears the free numbers again.
    """
    response = VoiceResponse()
    _say(response, words(NextStep(Announcement.NOT_ROUTED, language=language)), language=language)
    _dial_fallback_without_us(response, language=language)
    response.hangup()
    return twiml_response(response)


def acknowledged() -> HttpResponse:
    """An empty TwiML document: for callbacks whose answer Twilio ignores."""
    return twiml_response(VoiceResponse())


def whisper(
    line: str, language: str = "en", *, screen_url: str = "", machine: bool = False
) -> HttpResponse:
    """What the person answering hears before the caller is put through.

    A center's own line hears where the call comes from, then is connected. An advertiser is
    screened: "press 1 to take the call" (a ``<Gather>`` posting to ``screen_url``), asked
    twice; with no key, and at once for a ``machine`` (answering-machine detection), its leg
    ends with ``<Hangup/>``. That matters: a whisper that simply ends bridges the call, pressed
    or not. The caller, ringing all along (``answerOnBridge``), moves on to the next
    advertiser. In English (the intake's working language with us), with a line in Spanish
    for a caller who chose Spanish, so the call is answered in Spanish from the first word.
    """
    response = VoiceResponse()
    if line == CallAttempt.Destination.CENTER:
        response.say("This call comes from your listing on the treatment directory. Connecting.")
        return twiml_response(response)
    if machine or not screen_url:
        response.hangup()
        return twiml_response(response)
    spanish = language == SPANISH
    for prompt in (SCREEN_PROMPT_FOR_SPANISH_CALL if spanish else SCREEN_PROMPT, SCREEN_REPEAT):
        gather = Gather(
            num_digits=1,
            timeout=SCREEN_TIMEOUT,
            action=screen_url,
            method="POST",
            action_on_empty_result=False,
        )
        gather.say(prompt)
        if spanish:
            gather.say(SCREEN_SPANISH, **SPANISH_SAY)
        response.append(gather)
    response.say(SCREEN_NOT_TAKEN)
    response.hangup()
    return twiml_response(response)


def screened(*, accepted: bool) -> HttpResponse:
    """The answer to the whisper's key press: the caller is put through (the document ends
    without a hang-up, so Twilio bridges the two legs), or the advertiser's leg ends."""
    response = VoiceResponse()
    if accepted:
        response.say("Connecting.")
    else:
        response.say(SCREEN_NOT_TAKEN)
        response.hangup()
    return twiml_response(response)


def is_machine(answered_by: object) -> bool:
    """Twilio's answering-machine detection said a machine or a fax picked up."""
    return str(answered_by or "").startswith(("machine", "fax"))


def _say(response: VoiceResponse, text: str, *, language: str = "en") -> None:
    """Speak ``text``, if any, in ``language``. Names come from imports and the admin:
    whatever they hold, a control character must not make the document unreadable XML, which
    Twilio would answer with its error message instead of connecting the caller."""
    text = strip_control(text, single_line=True)
    if text:
        response.say(text, **(SPANISH_SAY if language == SPANISH else {}))


def _dial_fallback_without_us(response: VoiceResponse, *, language: str = "en") -> None:
    dial = Dial(timeout=FALLBACK_DIAL_TIMEOUT)
    dial.number(settings.HELPLINE_FALLBACK_NUMBER)
    response.append(dial)
    _say(
        response, STILL_NEED_HELP_ES if language == SPANISH else STILL_NEED_HELP, language=language
    )


def twiml_response(response: VoiceResponse) -> HttpResponse:
    return HttpResponse(response.to_xml(), content_type="text/xml; charset=utf-8")


def _dial(attempt: CallAttempt, *, request: HttpRequest, language: str = "en") -> Dial:
    is_fallback = attempt.destination == CallAttempt.Destination.FALLBACK
    # The caller's language rides on the action URL too, so that a failed webhook's fallback
    # still speaks it.
    action_query: dict[str, object] = {"attempt": attempt.order}
    if language != "en":
        action_query["lang"] = language
    screened = attempt.destination == CallAttempt.Destination.ADVERTISER
    dial = Dial(
        action=_absolute(request, "helplines:voice-dial-status", **action_query),
        method="POST",
        timeout=FALLBACK_DIAL_TIMEOUT if is_fallback else settings.HELPLINE_DIAL_TIMEOUT,
        # While an advertiser screens the call the caller hears ringing, not silence, and a
        # leg that ends unaccepted never reaches them.
        answer_on_bridge=True if screened else None,
    )
    number, _, extension = attempt.number.partition(";ext=")
    if is_fallback:
        # A public helpline gets no whisper: it owes us nothing and expects plain calls.
        dial.number(number)
    else:
        # The whisper is fetched for the answered leg, whose own CallSid is not ours: the
        # query names the call and attempt, so that the answer can be recorded (routing
        # counts a ringing attempt for minutes, an answered one for hours), and the caller's
        # language when it is not English, so the whisper can say it without the database.
        query = {"line": attempt.destination, "call": attempt.call.call_sid}
        query["attempt"] = attempt.order
        if language != "en":
            query["lang"] = language
        dial.number(
            number,
            # "w" waits half a second: let the switchboard pick up before the extension.
            send_digits=f"ww{extension}" if extension else None,
            url=_absolute(request, "helplines:voice-whisper", **query),
            method="POST",
            machine_detection="Enable"
            if screened and settings.HELPLINE_MACHINE_DETECTION
            else None,
        )
    return dial


def _absolute(request: HttpRequest, name: str, **query: object) -> str:
    return request.build_absolute_uri(f"{reverse(name)}?{urlencode(query)}")
