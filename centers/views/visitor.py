"""The per-visitor parts of the shared public pages, as a request of their own."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from centers.compare import tray_with_centers


@never_cache
@require_safe
def visitor(request: HttpRequest) -> HttpResponse:
    """Messages, compare tray, compare button states and a CSRF token for the page at ``next``.

    Listing, center and term pages are the same for everyone so that a CDN can keep them; this
    fragment is what differs, fetched by static/js/visitor.js. ``never_cache`` keeps it out of
    every shared cache: it reads the tray cookie and sets the CSRF cookie. One query when the
    tray holds anything, none when it is empty.
    """
    target = request.GET.get("next", "")
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = ""
    context = {"tray": tray_with_centers(request), "next": target}
    return render(request, "centers/_visitor.html", context)
