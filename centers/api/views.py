from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from helplines.views import _client_address

from . import locator
from .errors import BadRequest
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
        elif not allow_api_request(client_address=_client_address(request)):
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
