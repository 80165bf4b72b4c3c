"""A per-client request budget for the open-data endpoints, kept in Django's cache."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac

logger = logging.getLogger(__name__)

# Generous for a locator front end (a search is one request), tight enough that one client
# walking the country in a loop cannot crowd out everyone else.
RATE_LIMIT = 120
RATE_WINDOW = 60  # seconds


def allow_api_request(*, client_address: str) -> bool:
    """Count one request from ``client_address``; ``False`` once it has sent ``RATE_LIMIT``
    within ``RATE_WINDOW`` seconds. The address is kept only as a keyed hash.

    If the cache is down the request is allowed: open data served without a limit beats no
    data at all, and the fault is logged.
    """
    digest = salted_hmac(
        "centers.api-rate", client_address, secret=settings.CALLER_HASH_KEY, algorithm="sha256"
    ).hexdigest()
    key = f"api-rate:{digest}"
    try:
        # The race: two requests at once must not both read the same count; add() never
        # overwrites and incr() is atomic, so each request gets a count of its own.
        cache.add(key, 0, timeout=RATE_WINDOW)
        try:
            count = cache.incr(key)
        except ValueError:
            cache.add(key, 1, timeout=RATE_WINDOW)
            count = 1
    except Exception:
        logger.exception("API rate limit not applied: the cache is unreachable")
        return True
    return count <= RATE_LIMIT
