"""Guarding the Twilio webhooks: only Twilio may post to them, and nothing they carry leaks.

Twilio signs each request with the account's auth token over the full URL it requested plus the
POST parameters. ``request.build_absolute_uri()`` rebuilds that URL; behind a TLS-terminating
proxy it says https only when ``SECURE_PROXY_SSL_HEADER`` is set (``BEHIND_TLS_PROXY=1``),
which is what makes the signature match in production.

A signed request comes from Twilio about a real caller, so it always gets TwiML that leaves the
caller a line: when its parameters make no sense, or the database (or anything else) fails, the
view's fallback answers instead, and a log line at ERROR keeps what is needed to reconcile the
call log later (never the caller's number). The signature check itself reads only settings and
the request, so it works, and refuses forgeries, with the database down.
"""

import logging
import xml.etree.ElementTree as ET
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.db import Error as DatabaseFailure
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from twilio.request_validator import (
    SIGNATURE_HEADER,
    SIGNATURE_SETTINGS_HEADER,
    RequestValidator,
    get_signature_algorithm,
)

logger = logging.getLogger(__name__)

View = Callable[..., HttpResponse]
Fallback = Callable[[HttpRequest], HttpResponse]

# The parameters worth keeping to reconcile a call we could not record. Never From, Caller or
# anything else that says who the caller is.
RECONCILE_PARAMETERS = (
    "CallSid",
    "To",
    "CallStatus",
    "CallDuration",
    "DialCallStatus",
    "DialCallDuration",
    "DialCallSid",
    # The key pressed at "para español, oprima 2" or the whisper's "press 1".
    "Digits",
    "AnsweredBy",
)
# Our own query parameters on the URLs we hand Twilio.
RECONCILE_QUERY = ("attempt", "call", "line", "lang")
# Each value logged is cut to this: a hostile value must not flood the log.
LOGGED_VALUE_LENGTH = 80


def is_signed_by_twilio(request: HttpRequest) -> bool:
    token = settings.TWILIO_AUTH_TOKEN
    if not token:
        logger.error("TWILIO_AUTH_TOKEN is not set: every Twilio webhook is refused")
        return False
    signature = request.headers.get(SIGNATURE_HEADER, "")
    if not signature:
        return False
    algorithm = get_signature_algorithm(request.headers.get(SIGNATURE_SETTINGS_HEADER))
    return RequestValidator(token).validate(
        request.build_absolute_uri(), request.POST, signature, algorithm
    )


def twilio_webhook(*, fallback: Fallback) -> Callable[[View], View]:
    """POST only, no CSRF token (Twilio's signature replaces it), 403 unless signed by Twilio.

    ``fallback(request)`` is the answer when the view fails: TwiML that gives the caller a
    line without the database. Every POST parameter is marked sensitive: ``From`` and
    ``Caller`` hold the caller's number, and Django's error reports would otherwise print them.
    """

    def decorate(view: View) -> View:
        @wraps(view)
        def checked(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            if not is_signed_by_twilio(request):
                return HttpResponseForbidden("Invalid Twilio signature.", content_type="text/plain")
            try:
                return view(request, *args, **kwargs)
            except DatabaseFailure as error:
                # Any of Django's database errors: a refused or lost connection is an
                # OperationalError, one closed under us an InterfaceError (no DatabaseError).
                problem = f"database unavailable ({type(error).__name__})"
            except Exception:
                # A bug must not cost a caller their line; the traceback goes to the log.
                logger.exception("Twilio webhook %s failed", request.path)
                problem = "unexpected error"
            return log_fallback(request, fallback(request), problem=problem)

        return csrf_exempt(require_POST(sensitive_post_parameters()(checked)))

    return decorate


def log_fallback(request: HttpRequest, response: HttpResponse, *, problem: str) -> HttpResponse:
    """Log, for reconciling the call log by hand, a webhook answered with ``response`` instead
    of its normal flow (so not, or not fully, recorded), and return ``response``.

    Logged: the time, the endpoint, the problem, Twilio's identifiers and statuses and our own
    query parameters (control characters escaped, each value cut short) and what was
    answered; never who called.
    """
    values = {
        name: request.POST[name][:LOGGED_VALUE_LENGTH]
        for name in RECONCILE_PARAMETERS
        if name in request.POST
    }
    values.update(
        {
            f"?{name}": request.GET[name][:LOGGED_VALUE_LENGTH]
            for name in RECONCILE_QUERY
            if name in request.GET
        }
    )
    logger.error(
        "Twilio webhook answered by its fallback: %s at %s, %s; parameters %r; answered: %s",
        request.path,
        timezone.now().isoformat(),
        problem,
        values,
        answered(response),
    )
    return response


def answered(response: HttpResponse) -> str:
    """What a TwiML response tells Twilio to do, in a few words for the log."""
    steps = []
    for verb in ET.fromstring(response.content):
        if verb.tag == "Dial":
            numbers = [(number.text or "").strip() for number in verb.iter("Number")]
            steps.append(f"dialed {', '.join(numbers)}")
        else:
            steps.append(verb.tag.lower())
    return ", then ".join(steps) or "an empty response"
