"""Request budgets per client, counted in Django's cache (Redis when REDIS_URL is set).

A budget stops one client from flooding an endpoint: the open-data API, claims and sign-in
links, callback requests, problem reports. When the shared cache cannot be reached a budget
either lets requests through (``hold_when_cache_down=False``: serving without a limit beats
refusing everyone, and something else guards what must hold) or counts in this process's
memory (``True``: the limit still holds, multiplied at worst by the number of processes), for
budgets that keep a person's phone from being rung or an inbox from being flooded.
"""

import logging

from django.conf import settings
from django.core.cache import BaseCache, cache
from django.core.cache.backends.locmem import LocMemCache
from django.utils.crypto import salted_hmac

logger = logging.getLogger(__name__)

# Where budgets that must hold are counted while the shared cache is unreachable.
_PROCESS_COUNTS = LocMemCache("directory.budgets", {"MAX_ENTRIES": 10_000})


def within_budget(
    scope: str, key: str, *, limit: int, window: int, hold_when_cache_down: bool = False
) -> bool:
    """Count one request of ``scope`` for ``key`` (a client's address, an email address: kept
    only as a keyed hash, even in the cache); ``False`` once ``limit`` were counted within
    ``window`` seconds of the first."""
    digest = salted_hmac(
        scope, key.lower(), secret=settings.CALLER_HASH_KEY, algorithm="sha256"
    ).hexdigest()
    name = f"budget:{scope}:{digest}"
    count = _count(cache, name, window)
    if count is None:
        if not hold_when_cache_down:
            logger.warning("Request budget %s not applied: the shared cache is unreachable", scope)
            return True
        logger.warning("Shared cache unreachable: counting %s in this process", scope)
        count = _count(_PROCESS_COUNTS, name, window)
    return count <= limit


def _count(store: BaseCache, name: str, window: int) -> int | None:
    """One more request under ``name``; ``None`` when ``store`` cannot be reached (the Redis
    backend turns connection errors into ``None``, see settings.CACHES; any other error is
    taken the same way)."""
    try:
        # The race: two requests at once must not both read the same count. add() never
        # overwrites and incr() is atomic (in Redis, and under local memory's lock), so each
        # request gets a count of its own.
        store.add(name, 0, timeout=window)
        try:
            return store.incr(name)
        except ValueError:  # the window ended between add() and incr(): this one starts anew
            store.add(name, 1, timeout=window)
            return 1
    except Exception:
        logger.exception("Request budget: the cache %r failed", store)
        return None
