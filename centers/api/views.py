import uuid
from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from centers.models import Center
from directory.clients import client_address

from . import hsds, locator, openapi
from .errors import BadRequest, NotFound
from .hsds import objects, query, taxonomy
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
                _refuse_nul(request)
                response = view(request, *args, **kwargs)
            except BadRequest as error:
                response = JsonResponse({"error": str(error)}, status=400)
            except NotFound as error:
                response = JsonResponse({"error": str(error)}, status=404)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapped


def _refuse_nul(request: HttpRequest) -> None:
    """PostgreSQL text cannot hold NUL, and no real parameter contains one: refuse it here,
    once, rather than let a search reach the database and fail there."""
    params = request.POST if request.method == "POST" else request.GET
    for name, values in params.lists():
        if "\x00" in name or any("\x00" in value for value in values):
            raise BadRequest(
                f"The parameter {name.replace(chr(0), '')!r} contains a NUL character."
            )


@require_http_methods(["GET", "HEAD", "POST", "OPTIONS"])
@open_data
def listing(request: HttpRequest) -> HttpResponse:
    params = request.POST if request.method == "POST" else request.GET
    query = locator.parse(params)
    return StreamingHttpResponse(locator.answer(query), content_type="application/json")


def _center(object_id: str, kind: str) -> Center:
    """The published center whose ``kind`` object has ``object_id``: one indexed query, then
    one per relation the whole object shows."""
    wanted = _uuid(object_id)
    center = hsds.centers_for_detail().filter(hsds_uuid=wanted).first()
    if center is None:
        raise NotFound(f"No {kind} has the id {wanted}.")
    return center


def _uuid(object_id: str) -> str:
    try:
        return str(uuid.UUID(object_id))
    except ValueError:
        raise BadRequest("The id must be a UUID.") from None


def _vocabulary_item(items: list[dict], object_id: str, kind: str) -> dict:
    wanted = _uuid(object_id)
    found = next((item for item in items if item["id"] == wanted), None)
    if found is None:
        raise NotFound(f"No {kind} has the id {wanted}.")
    return found


def _hsds_get(view: Callable[..., dict]) -> Callable[..., HttpResponse]:
    """An HSDS endpoint: GET only, open data, the view's dict as JSON."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        return JsonResponse(view(request, *args, **kwargs))

    return require_http_methods(["GET", "HEAD", "OPTIONS"])(open_data(wrapped))


@_hsds_get
def hsds_root(request: HttpRequest) -> dict:
    return {
        "version": hsds.HSDS_VERSION,
        "profile": hsds.PROFILE_URL,
        "openapi_url": request.build_absolute_uri(reverse("api:openapi")),
    }


@_hsds_get
def hsds_services(request: HttpRequest) -> dict:
    params = request.GET
    full, minimal = query.flag(params, "full"), query.flag(params, "minimal")
    if full and minimal:
        raise BadRequest("full and minimal cannot both be true.")
    centers = query.filtered(hsds.centers_for_list(), params, taxonomy=True)
    if minimal:
        return query.page_of(centers, params, objects.minimal_service)
    return query.page_of(centers, params, lambda center: objects.service(center, full=full))


@_hsds_get
def hsds_service(request: HttpRequest, object_id: str) -> dict:
    return objects.service_detail(_center(object_id, "service"))


@_hsds_get
def hsds_organizations(request: HttpRequest) -> dict:
    params = request.GET
    full, full_service = query.flag(params, "full"), query.flag(params, "full_service")
    if full or full_service:
        centers = query.filtered(hsds.centers_for_detail(), params, taxonomy=False)
        return query.page_of(
            centers, params, lambda c: objects.organization_detail(c, full_service=full_service)
        )
    centers = query.filtered(hsds.centers_for_list(), params, taxonomy=False)
    return query.page_of(centers, params, objects.organization)


@_hsds_get
def hsds_organization(request: HttpRequest, object_id: str) -> dict:
    full_service = query.flag(request.GET, "full_service")
    center = _center(object_id, "organization")
    return objects.organization_detail(center, full_service=full_service)


@_hsds_get
def hsds_service_at_locations(request: HttpRequest) -> dict:
    params = request.GET
    full = query.flag(params, "full")
    centers = query.filtered(hsds.centers_for_list(), params, taxonomy=True)
    centers = query.near_postcode(centers, params)
    return query.page_of(centers, params, lambda c: objects.service_at_location(c, full=full))


@_hsds_get
def hsds_service_at_location(request: HttpRequest, object_id: str) -> dict:
    center = _center(object_id, "service at location")
    return objects.service_at_location(center, detail=True)


@_hsds_get
def hsds_taxonomies(request: HttpRequest) -> dict:
    query.json_format(request.GET)
    found = taxonomy.matching(taxonomy.vocabulary().taxonomies, request.GET.get("search", ""))
    return query.page_of(found, request.GET, dict)


@_hsds_get
def hsds_taxonomy(request: HttpRequest, object_id: str) -> dict:
    return _vocabulary_item(taxonomy.vocabulary().taxonomies, object_id, "taxonomy")


@_hsds_get
def hsds_taxonomy_terms(request: HttpRequest) -> dict:
    params = request.GET
    query.json_format(params)
    terms = taxonomy.matching(taxonomy.vocabulary().terms, params.get("search", ""))
    for name in ("taxonomy_id", "parent_id"):
        if wanted := query.uuid_param(params, name):
            terms = [term for term in terms if term.get(name) == wanted]
    if query.flag(params, "top_only"):
        terms = [term for term in terms if "parent_id" not in term]
    return query.page_of(terms, params, dict)


@_hsds_get
def hsds_taxonomy_term(request: HttpRequest, object_id: str) -> dict:
    return _vocabulary_item(taxonomy.vocabulary().terms, object_id, "taxonomy term")


@require_http_methods(["GET", "HEAD"])
def docs(request: HttpRequest) -> HttpResponse:
    context = {
        "base": request.build_absolute_uri("/").rstrip("/"),
        "rate_limit": RATE_LIMIT,
        "rate_window": RATE_WINDOW,
        "max_codes": locator.MAX_CODES,
        "max_page_size": f"{locator.MAX_PAGE_SIZE:,}",
        "max_per_page": query.MAX_PER_PAGE,
    }
    return render(request, "api/docs.html", context)


@require_http_methods(["GET", "HEAD", "OPTIONS"])
@open_data
def openapi_document(request: HttpRequest) -> HttpResponse:
    return JsonResponse(openapi.document())
