"""Guarding the Twilio webhooks: only Twilio may post to them, and nothing they carry leaks.

Twilio signs each request with the account's auth token over the full URL it requested plus the
POST parameters. ``request.build_absolute_uri()`` rebuilds that URL; behind a TLS-terminating
proxy it says https only when ``SECURE_PROXY_SSL_HEADER`` is set (``BEHIND_TLS_PROXY=1``),
which is what makes the signature match in production.
"""

import logging
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
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


def twilio_webhook(view: View) -> View:
    """POST only, no CSRF token (Twilio's signature replaces it), 403 unless signed by Twilio.

    Every POST parameter is marked sensitive: ``From`` and ``Caller`` hold the caller's
    number, and Django's error reports would otherwise print them.
    """

    @wraps(view)
    def checked(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not is_signed_by_twilio(request):
            return HttpResponseForbidden("Invalid Twilio signature.", content_type="text/plain")
        return view(request, *args, **kwargs)

    return csrf_exempt(require_POST(sensitive_post_parameters()(checked)))


def bad_request() -> HttpResponse:
    # Says nothing of what was sent: the parameters may include a caller's number.
    return HttpResponseBadRequest("Missing or invalid parameters.", content_type="text/plain")
