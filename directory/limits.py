"""Request budgets per client, counted in Django's cache (Redis when REDIS_URL is set).

A budget stops one client from flooding a public endpoint. It is never the only guard of
anything that must hold (a listing's three claim calls a day are counted in the database under
a row lock), so when the cache cannot be reached the request is allowed and the fault logged:
serving without a limit beats refusing everyone.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac

logger = logging.getLogger(__name__)


def within_budget(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one request of ``scope`` for ``key`` (a client's address, an email address: kept
    only as a keyed hash); ``False`` once ``limit`` were counted within ``window`` seconds."""
    digest = salted_hmac(
        scope, key.lower(), secret=settings.CALLER_HASH_KEY, algorithm="sha256"
    ).hexdigest()
    name = f"budget:{scope}:{digest}"
    try:
        # The race: two requests at once must not both read the same count. add() never
        # overwrites and incr() is atomic, so each request gets a count of its own.
        cache.add(name, 0, timeout=window)
        try:
            count = cache.incr(name)
        except ValueError:  # expired between add() and incr()
            cache.add(name, 1, timeout=window)
            count = 1
    except Exception:
        logger.exception("Request budget %s not applied: the cache is unreachable", scope)
        return True
    return count <= limit
