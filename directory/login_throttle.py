"""How long a login is refused after repeated wrong passwords (django-axes' cool-off).

django-axes counts failed logins per account and, separately, per client address, in the
``throttle`` cache (see settings). After ``AXES_FAILURE_LIMIT`` failures it refuses every
attempt on that account or from that client, the right password included, until the cool-off
has passed. Each attempt during a lockout counts as one more failure and restarts the cool-off,
which doubles each time: a guesser slows down exponentially, while a person who mistyped waits
a few minutes at most.
"""

import logging
from datetime import timedelta

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_failure_limit
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.timesince import timeuntil

logger = logging.getLogger(__name__)

# Failures are remembered this long while below the limit; a person's typos a day apart never
# add up to a lockout.
FAILURE_WINDOW = timedelta(minutes=15)
FIRST_LOCKOUT = timedelta(minutes=5)
LONGEST_LOCKOUT = timedelta(hours=24)


def lockout_for(failures: int, *, limit: int) -> timedelta:
    """The cool-off after ``failures`` failures: none below ``limit``, then doubling."""
    if failures < limit:
        return FAILURE_WINDOW
    return min(FIRST_LOCKOUT * 2 ** (failures - limit), LONGEST_LOCKOUT)


def cool_off(request: HttpRequest | None) -> timedelta:
    """django-axes' ``AXES_COOLOFF_TIME``: the cool-off for this request's account and client.

    django-axes asks before it records a failure (to set how long the count is kept) and again
    when it answers a lockout; ``axes_failures_since_start`` is set in between, so both see the
    count including this attempt.
    """
    if request is None:
        return FIRST_LOCKOUT
    limit = get_failure_limit(request, None)
    failures = getattr(request, "axes_failures_since_start", None)
    if failures is None:
        failures = AxesProxyHandler.get_implementation().get_failures(request) + 1
    return lockout_for(failures, limit=limit)


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """django-axes' ``AXES_LOCKOUT_CALLABLE``: a 429 page that says how long to wait."""
    wait = cool_off(request)
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    logger.warning(
        "Admin login refused: account %r from %s (failure %s), wait %s",
        username[:150],
        request.axes_ip_address,
        getattr(request, "axes_failures_since_start", "?"),
        wait,
    )
    now = timezone.now()
    return render(
        request,
        "admin/locked_out.html",
        {"wait": timeuntil(now + wait, now), "title": "Too many sign-in attempts"},
        status=429,
    )
