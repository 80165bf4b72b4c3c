"""What a visitor sees when the database cannot be reached."""

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

# A minute is long enough for a restart or a fail-over, short enough for someone in a hurry.
RETRY_AFTER_SECONDS = 60


class DatabaseUnavailableMiddleware:
    """Turn "the database is unreachable" into a 503 page with the free helplines.

    Only connection failures (``OperationalError``, ``InterfaceError``) are answered here: any
    other database error is a bug and goes to the usual 500 handler and the error log. The page
    is rendered without a request, so no context processor touches the database again.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("Database unavailable while serving %s: %s", request.path, exception)
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
