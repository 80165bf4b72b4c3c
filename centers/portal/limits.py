"""Per-client and per-address budgets for claims and sign-in links, kept in Django's cache.

They stop floods from one client; the listing's own cap (three calls a day) is counted in the
database under a row lock and holds even while the cache is down.
"""

from directory.limits import within_budget

HOUR = 3600
CLAIMS_PER_CLIENT = 5
SIGN_INS_PER_CLIENT = 10
SIGN_INS_PER_ADDRESS = 3
CODE_GUESSES_PER_CLIENT = 20


def allow(kind: str, key: str, *, limit: int, window: int = HOUR) -> bool:
    """Count one ``kind`` of request for ``key``; ``False`` once ``limit`` were counted within
    ``window`` seconds (``directory.limits``)."""
    return within_budget(f"portal.{kind}", key, limit=limit, window=window)
