"""Per-client and per-address budgets for claims and sign-in links, kept in Django's cache.

They stop floods from one client; the listing's own cap (three calls a day) is counted in the
database under a row lock and holds even while the cache is down.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac

logger = logging.getLogger(__name__)

HOUR = 3600
CLAIMS_PER_CLIENT = 5
SIGN_INS_PER_CLIENT = 10
SIGN_INS_PER_ADDRESS = 3
CODE_GUESSES_PER_CLIENT = 20


def allow(kind: str, key: str, *, limit: int, window: int = HOUR) -> bool:
    """Count one ``kind`` of request for ``key`` (an address, kept only as a keyed hash);
    ``False`` once ``limit`` were counted within ``window`` seconds. Allowed, and logged, if
    the cache cannot be reached."""
    digest = salted_hmac(
        f"portal.{kind}", key.lower(), secret=settings.CALLER_HASH_KEY, algorithm="sha256"
    ).hexdigest()
    name = f"portal:{kind}:{digest}"
    try:
        # add() never overwrites and incr() is atomic: requests at once each get their own
        # count.
        cache.add(name, 0, timeout=window)
        try:
            count = cache.incr(name)
        except ValueError:
            cache.add(name, 1, timeout=window)
            count = 1
    except Exception:
        logger.exception("Portal limit %s not applied: the cache is unreachable", kind)
        return True
    return count <= limit
