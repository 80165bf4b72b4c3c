"""Who sent a request: the client's IP address, for rate limits and login throttling only."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's IP address, as far as the proxies we trust vouch for it.

    Each trusted proxy appends the address it saw to X-Forwarded-For, so with
    ``TRUSTED_PROXY_COUNT`` proxies the client's address is that many entries from the right;
    anything further left was written by the client and proves nothing. With no trusted proxy
    the header is ignored and the address is the connection's. A chain shorter than expected
    (a request that came through fewer proxies) gives its leftmost entry, which a trusted proxy
    wrote; a value that is not an IP address gives the connection's address.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if not count:
        return remote
    hops = [hop.strip() for hop in request.headers.get("X-Forwarded-For", "").split(",")]
    hops = [hop for hop in hops if hop]
    if not hops:
        return remote
    candidate = hops[-count] if len(hops) >= count else hops[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
