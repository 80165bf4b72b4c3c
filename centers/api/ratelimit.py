"""A per-client request budget for the open-data endpoints, kept in Django's cache."""

from directory.limits import within_budget

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
    return within_budget("centers.api-rate", client_address, limit=RATE_LIMIT, window=RATE_WINDOW)
