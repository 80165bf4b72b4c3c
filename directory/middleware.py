"""Site-wide response handling: which pages a shared cache may keep, and what a visitor sees
when the database cannot be reached."""

import gzip
import logging
import secrets
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.middleware.locale import LocaleMiddleware
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import has_vary_header, patch_cache_control, patch_vary_headers

from directory.routers import primary_only

logger = logging.getLogger(__name__)

# A minute is long enough for a restart or a fail-over, short enough for someone in a hurry.
RETRY_AFTER_SECONDS = 60


class DatabaseUnavailableMiddleware:
    """Turn "the database is unreachable" into a 503 page with the free helplines.

    Only connection failures (``OperationalError``, ``InterfaceError``) are answered here: any
    other database error is a bug and goes to the usual 500 handler and the error log. The page
    is rendered without a request, so no context processor touches the database again.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("Database unavailable while serving %s: %s", request.path, exception)
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response


class PageGZipMiddleware(GZipMiddleware):
    """Django's gzip, compressing a whole page at zlib level 3 rather than 6.

    On a 65 KB listing, level 6 took 0.9 ms and gave 8.3 KB; level 3 takes 0.33 ms and gives
    9.2 KB: a tenth of the page's server time for 0.9 KB on the wire. The header keeps
    Django's "Heal the BREACH" padding (0 to 99 random bytes in its file name field, as
    ``django.utils.text.compress_string`` writes it). Streaming responses are Django's.
    """

    LEVEL = 3

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if (
            response.streaming
            or len(response.content) < 200
            or response.has_header("Content-Encoding")
        ):
            return super().process_response(request, response)
        patch_vary_headers(response, ("Accept-Encoding",))
        if not re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            return response
        packed = gzip.compress(response.content, compresslevel=self.LEVEL, mtime=0)
        header = bytearray(packed[:10])
        header[3] = gzip.FNAME
        padding = b"a" * secrets.randbelow(self.max_random_bytes) + b"\x00"
        packed = bytes(header) + padding + packed[10:]
        if len(packed) >= len(response.content):
            return response
        response.content = packed
        response.headers["Content-Length"] = str(len(packed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = "gzip"
        return response


# Anonymous public pages, by URL name: each is the same for every visitor (the compare tray, the
# messages and the CSRF token arrive by a request of their own, centers.views.visitor), so a CDN
# may keep one copy per URL (and per Vary). Everything else is private.
PUBLIC_PAGES = frozenset(
    {
        "centers:home",
        "centers:list",
        "centers:map-points",
        "centers:detail",
        "centers:therapy",
        "centers:care-setting",
        "centers:guide-inpatient-outpatient",
        "helplines:where-calls-go",
        "helplines:statistics",
        "helplines:disclosure-history",
        "helplines:disclosure-version",
        "api:docs",
        "api:openapi",
        "manifest",
        "robots",
        "sitemap",
        "sitemap-section",
    }
)


class SharedCacheMiddleware:
    """``Cache-Control: public`` for the pages in ``PUBLIC_PAGES``, ``private`` for the rest.

    A page is only public when nothing about this visitor went into it: no cookie set, no CSRF
    token asked for, no session read, no message shown, no ``Vary: Cookie``. Any of those makes
    the response private and unstorable, so a slip in a template costs speed, never privacy.
    Responses that already say how they may be cached (``never_cache``, the API) are left alone.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        if self._public(request, response):
            patch_cache_control(
                response,
                public=True,
                max_age=settings.PUBLIC_PAGE_MAX_AGE,
                stale_while_revalidate=settings.PUBLIC_PAGE_STALE_SECONDS,
            )
        else:
            patch_cache_control(response, private=True, no_store=True)
        return response

    @staticmethod
    def _public(request: HttpRequest, response: HttpResponse) -> bool:
        match = request.resolver_match
        if (
            request.method not in ("GET", "HEAD")
            or response.status_code != 200
            or match is None
            or match.view_name not in PUBLIC_PAGES
        ):
            return False
        session = getattr(request, "session", None)
        messages = getattr(request, "_messages", None)
        return not (
            response.cookies
            or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            or (session is not None and session.accessed)
            or (messages is not None and messages.used)
            or has_vary_header(response, "Cookie")
        )


class PrimaryForWritesMiddleware:
    """Requests that write or edit read from the primary database only (directory.routers).

    A post, or any admin page, reads what it is about to change or has just changed, and must
    not see a replica that lags behind; public GETs are the reads worth offloading.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD") and not request.path.startswith("/admin/"):
            return self.get_response(request)
        with primary_only():
            return self.get_response(request)


class LanguageFromPathMiddleware(LocaleMiddleware):
    """The language is the URL's: ``/es/...`` is Spanish, every other path English.

    Django's ``LocaleMiddleware`` would also read the language cookie and ``Accept-Language``
    for the paths outside ``i18n_patterns`` (the API, the admin) and then add ``Vary:
    Accept-Language`` to every English page. Here nothing but the path decides, so a visitor is
    never sent away from the page they asked for, a garbage cookie or header changes nothing,
    and a shared cache keeps one copy of each URL.
    """

    def process_request(self, request: HttpRequest) -> None:
        language = translation.get_language_from_path(request.path_info)
        translation.activate(language or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
