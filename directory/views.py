"""Views of the site as a whole, not of one app: the health check, the page for a form posted
without its CSRF token, and what crawlers and browsers ask of every site (robots.txt, the web
app manifest)."""

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
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


# Pages that are nobody's search result: the admin, the Twilio webhooks and the helpline links
# (which record a call), callback and compare pages, problem reports, and each visitor's own
# fragment. URL names, with a sample slug where the path takes one: "*" stands for any.
NOT_FOR_INDEXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("admin:index", ()),
    ("helplines:voice-incoming", ()),
    ("helplines:voice-language", ()),
    ("helplines:voice-dial-status", ()),
    ("helplines:voice-status", ()),
    ("helplines:voice-whisper", ()),
    ("helplines:voice-screen", ()),
    ("helplines:call", ("any-slug",)),
    ("helplines:callback", ()),
    ("helplines:center-callback", ("any-slug",)),
    ("centers:report-problem", ("any-slug",)),
    ("centers:compare", ()),
    ("centers:visitor", ()),
    ("portal:claim", ("any-slug",)),
    ("portal:claim-code", ()),
    ("portal:home", ()),
)


def _not_for_indexes() -> list[str]:
    paths = set()
    for name, args in NOT_FOR_INDEXES:
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                paths.add(reverse(name, args=args).replace("any-slug", "*"))
    return sorted(paths)


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    """What crawlers may read, and where the sitemap is (an absolute URL, as the format wants)."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in _not_for_indexes()), ""]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest, in the page's language: name, colours, icons and start page."""
    icon = "img/icons/icon-{}.png"
    data = {
        "name": gettext("Treatment Directory"),
        "short_name": gettext("Treatment Directory"),
        "description": gettext(
            "An open directory of addiction treatment centers, with the free public helplines."
        ),
        "lang": translation.get_language(),
        "dir": "ltr",
        "start_url": reverse("centers:home"),
        "scope": "/",
        # No offline copy is kept: an installed directory is a bookmark with an icon.
        "display": "minimal-ui",
        "background_color": "#ffffff",
        "theme_color": "#0b5cad",
        "icons": [
            {"src": static("img/icons/icon.svg"), "type": "image/svg+xml", "sizes": "any"},
            *(
                {"src": static(icon.format(size)), "type": "image/png", "sizes": f"{size}x{size}"}
                for size in (192, 512)
            ),
            {
                "src": static("img/icons/maskable-512.png"),
                "type": "image/png",
                "sizes": "512x512",
                "purpose": "maskable",
            },
        ],
    }
    return JsonResponse(
        data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )
