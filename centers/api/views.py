import uuid
from collections.abc import Callable
from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from centers.models import Center
from directory.clients import client_address

from . import hsds, locator, openapi
from .errors import BadRequest
from .identity import center_uuid
from .ratelimit import RATE_LIMIT, RATE_WINDOW, allow_api_request


def open_data(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Read-only, cookie-free, readable from any origin, and limited per client.

    CSRF protection is for requests that change state with a visitor's cookies; these
    endpoints change nothing and ignore cookies, so any site may call them.
    """

    @csrf_exempt
    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            response["Access-Control-Allow-Headers"] = "Content-Type"
            response["Access-Control-Max-Age"] = "86400"
        elif not allow_api_request(client_address=client_address(request)):
            response = JsonResponse(
                {"error": f"More than {RATE_LIMIT} requests in {RATE_WINDOW} seconds."},
                status=429,
            )
            response["Retry-After"] = str(RATE_WINDOW)
        else:
            try:
                response = view(request, *args, **kwargs)
            except BadRequest as error:
                response = JsonResponse({"error": str(error)}, status=400)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapped


@require_http_methods(["GET", "HEAD", "POST", "OPTIONS"])
@open_data
def listing(request: HttpRequest) -> HttpResponse:
    params = request.POST if request.method == "POST" else request.GET
    query = locator.parse(params)
    return StreamingHttpResponse(locator.answer(query), content_type="application/json")


def _one(request: HttpRequest, object_id: str, role: str | None) -> Center:
    """The published center whose organization (``role`` None) or part has ``object_id``."""
    try:
        wanted = str(uuid.UUID(object_id))
    except ValueError:
        raise BadRequest("The id must be a UUID.") from None
    # Ids are derived, not stored: scan identities, cheap columns only, in chunks.
    for center in Center.objects.published().only("pk", "samhsa_key", "slug").iterator(2000):
        found = str(center_uuid(center)) if role is None else hsds.part_uuid(center, role)
        if found == wanted:
            return hsds.centers_for_api().get(pk=center.pk)
    raise Http404


@require_http_methods(["GET", "HEAD", "OPTIONS"])
@open_data
def hsds_root(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"version": hsds.HSDS_VERSION, "profile": "https://openreferral.org"})


@require_http_methods(["GET", "HEAD", "OPTIONS"])
@open_data
def hsds_services(request: HttpRequest) -> HttpResponse:
    full = request.GET.get("full", "").lower() in ("1", "true")
    centers = hsds.filtered(hsds.centers_for_api(), request.GET)
    return JsonResponse(hsds.page(centers, request.GET, lambda c: hsds.service(c, full=full)))


@require_http_methods(["GET", "HEAD", "OPTIONS"])
@open_data
def hsds_service(request: HttpRequest, object_id: str) -> HttpResponse:
    return JsonResponse(hsds.service(_one(request, object_id, "service"), full=True, detail=True))


@require_http_methods(["GET", "HEAD", "OPTIONS"])
@open_data
def hsds_organizations(request: HttpRequest) -> HttpResponse:
    centers = hsds.filtered(hsds.centers_for_api(), request.GET)
    return JsonResponse(hsds.page(centers, request.GET, hsds.organization))


@require_http_methods(["GET", "HEAD", "OPTIONS"])
@open_data
def hsds_organization(request: HttpRequest, object_id: str) -> HttpResponse:
    center = _one(request, object_id, None)
    return JsonResponse(
        hsds.organization(center) | {"services": [hsds.service(center, full=False)]}
    )


@require_http_methods(["GET", "HEAD"])
def docs(request: HttpRequest) -> HttpResponse:
    context = {
        "base": request.build_absolute_uri("/").rstrip("/"),
        "rate_limit": RATE_LIMIT,
        "rate_window": RATE_WINDOW,
        "max_codes": locator.MAX_CODES,
        "max_page_size": f"{locator.MAX_PAGE_SIZE:,}",
        "max_per_page": hsds.MAX_PER_PAGE,
    }
    return render(request, "api/docs.html", context)


@require_http_methods(["GET", "HEAD", "OPTIONS"])
@open_data
def openapi_document(request: HttpRequest) -> HttpResponse:
    return JsonResponse(openapi.document())
