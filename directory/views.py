"""Views of the site as a whole, not of one app: the health check, and the page for a form
posted without its CSRF token."""

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and monitors: one line per dependency, and the status of the one
    that matters for serving pages.

    200 while the database answers, 503 when it does not: without it there is nothing to show.
    The cache is reported but does not decide the status: when Redis is down the site still
    serves every page (facet counts are computed, rate limits count per process), so taking
    the instance out of the load balancer would only make things worse. Monitors alert on the
    body's ``cache: unavailable`` line.
    """
    database = _database_answers()
    lines = [
        f"database: {'ok' if database else 'unavailable'}",
        f"cache: {_cache_state()}",
    ]
    return HttpResponse(
        "\n".join(lines) + "\n", status=200 if database else 503, content_type="text/plain"
    )


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


def _cache_state() -> str:
    """``ok`` when Redis answers a ping, ``unavailable`` when not; without ``REDIS_URL``,
    ``local`` (each process has its own, which is fine for one process only)."""
    if not settings.REDIS_URL:
        return "local"
    from redis.exceptions import RedisError

    try:
        cache.client.get_client(write=True).ping()
    except (RedisError, OSError):
        return "unavailable"
    return "ok"


@never_cache
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A post refused for want of a CSRF token: offer to send it again, when it came from us.

    Shared pages carry no token (static/js/visitor.js adds one), so without scripts every form
    on them arrives without one. When the browser says the post came from one of our own pages
    (``Sec-Fetch-Site`` or ``Origin``), the visitor gets their form back as hidden fields and a
    token, one button away from sending it; a post from another site only gets the refusal.
    """
    ours = (
        request.headers.get("Sec-Fetch-Site") == "same-origin"
        or request.headers.get("Origin") == f"{request.scheme}://{request.get_host()}"
    )
    fields = [
        (name, value)
        for name, values in request.POST.lists()
        if name != "csrfmiddlewaretoken"
        for value in values
    ]
    context = {
        "resend": ours and request.method == "POST",
        "fields": fields,
        "action": request.path,
    }
    return render(request, "403_csrf.html", context, status=403)
