"""Comparing centers side by side, and the visitor's compare tray (see ``centers.compare``)."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from centers.compare import (
    MAX_CENTERS,
    SLUG_PATTERN,
    TRAY_COOKIE,
    Comparison,
    change_tray,
    compare_url,
    tray_cookie_value,
    tray_slugs,
)


@require_safe
def compare(request: HttpRequest) -> HttpResponse:
    if "c" not in request.GET and (remembered := tray_slugs(request)):
        # A bare /compare/ means "my comparison": send it to the URL that reproduces it.
        return redirect(compare_url(remembered))
    comparison = Comparison.from_query(request.GET)
    context = {
        "comparison": comparison,
        "share_url": request.build_absolute_uri(comparison.url()),
        "max_centers": MAX_CENTERS,
    }
    response = render(request, "centers/compare.html", context)
    # The tray follows the last comparison opened, so "Add to compare" extends what is on screen.
    return _remember(request, response, comparison.slugs)


@require_POST
def compare_tray(request: HttpRequest) -> HttpResponse:
    """Add a center to the tray, remove one or empty it, then go back where the visitor was."""
    add, remove = request.POST.get("add", "").strip(), request.POST.get("remove", "").strip()
    if remove and not SLUG_PATTERN.match(remove):
        # Our buttons only ever post slugs; anything else (a NUL, say) is not a center.
        return HttpResponseBadRequest(
            gettext("That is not a center in the directory. Go back and use the compare buttons."),
            content_type="text/plain",
        )
    change = change_tray(tray_slugs(request), add=add, remove=remove, clear="clear" in request.POST)
    (messages.success if change.ok else messages.warning)(request, change.message)
    target = request.POST.get("next", "")
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = compare_url(change.slugs)
    return _remember(request, redirect(target), change.slugs)


def _remember(request: HttpRequest, response: HttpResponse, slugs: list[str]) -> HttpResponse:
    """Store ``slugs`` as the tray: a browser-session cookie, never sent to scripts."""
    if slugs == tray_slugs(request) and (slugs or TRAY_COOKIE not in request.COOKIES):
        return response
    if not slugs:
        response.delete_cookie(TRAY_COOKIE, samesite="Lax")
        return response
    response.set_cookie(
        TRAY_COOKIE,
        tray_cookie_value(slugs),
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response
