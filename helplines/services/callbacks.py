"""Callback requests: a visitor asks a center, or a paid advertiser, to call them back.

From a center's page the request goes to that center. From the site-wide form it goes to a paid
advertiser chosen by the same rule as general calls (``helplines.services.routing``): the page
shows whom the rotation would choose next, the visitor agrees to be called by that advertiser,
and the request is stored only if, under the row locks, the rotation still chooses it.

The phone number is passed in and stored, and goes nowhere else: never into a log message,
an exception or a cache key.
"""

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from centers.models import Center
from directory.limits import within_budget

from ..models import Advertiser, CallbackRequest
from .routing import select_advertiser

logger = logging.getLogger(__name__)

# Requests one client may send in RATE_WINDOW seconds, from center pages and the site-wide form
# together. A family rarely needs more than one or two; a script needs many more.
RATE_LIMIT = 5
RATE_WINDOW = 60 * 60


class NoAdvertiserAvailable(Exception):
    """No paid advertiser is open with room for another request: nothing was stored."""


class RotationMoved(Exception):
    """The rotation now chooses another advertiser than the one the visitor agreed to."""

    def __init__(self, advertiser: Advertiser) -> None:
        super().__init__(f"the rotation now chooses advertiser {advertiser.pk}")
        self.advertiser = advertiser


def request_center_callback(
    *,
    center: Center,
    first_name: str,
    phone: str,
    best_time: str,
    language: str = "en",
    now: datetime | None = None,
) -> CallbackRequest:
    """Store a request for ``center`` to call ``phone`` back (already normalised), in
    ``language``, the language of the page it came from."""
    callback = CallbackRequest.objects.create(
        center=center,
        first_name=first_name,
        phone=phone,
        best_time=best_time,
        language=language,
        created_at=now or timezone.now(),
    )
    logger.info("Callback request %d for center %d", callback.pk, center.pk)
    return callback


def request_advertiser_callback(
    *,
    agreed_advertiser_id: int | None,
    first_name: str,
    phone: str,
    best_time: str,
    language: str = "en",
    now: datetime | None = None,
) -> CallbackRequest:
    """Assign a site-wide request to the advertiser the rotation chooses among those answering
    in ``language`` (the language of the page), and store it, if that is the advertiser the
    visitor agreed to (``agreed_advertiser_id``).

    Raises ``NoAdvertiserAvailable`` when nobody is eligible, and ``RotationMoved`` (carrying
    the advertiser now chosen) when the rotation chooses someone else; either way nothing is
    stored and the rotation does not move.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # The race: between the page that named the advertiser and this request, calls and
        # other requests may have moved the rotation or filled a cap. Choosing under the same
        # row locks as call routing makes "is it still this advertiser?" and the assignment
        # one step, so a request is never stored for someone the visitor did not agree to, and
        # concurrent requests and calls still take their turns exactly by weight.
        selection = select_advertiser(now=now, language=language)
        if selection is None:
            raise NoAdvertiserAvailable
        if selection.advertiser.pk != agreed_advertiser_id:
            raise RotationMoved(selection.advertiser)
        advertiser = selection.take()
        callback = CallbackRequest.objects.create(
            advertiser=advertiser,
            first_name=first_name,
            phone=phone,
            best_time=best_time,
            language=language,
            created_at=now,
        )
    logger.info("Callback request %d for advertiser %d", callback.pk, advertiser.pk)
    return callback


def allow_callback_request(*, client_address: str) -> bool:
    """Count one callback request from ``client_address``; ``False`` once that client has sent
    ``RATE_LIMIT`` within ``RATE_WINDOW`` seconds of its first (``directory.limits``: the
    address is kept only as a keyed hash). While the shared cache is down each process counts
    its own, so the limit still holds and nobody is refused a callback because a cache is down.
    """
    return within_budget(
        "helplines.callback-rate",
        client_address,
        limit=RATE_LIMIT,
        window=RATE_WINDOW,
        hold_when_cache_down=True,
    )
