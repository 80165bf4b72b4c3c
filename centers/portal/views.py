"""The center managers' pages: claiming a listing, signing in by email, and the portal.

All private (never cached): they hold forms, a session and a person's listings.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from centers.edits import EditResult, confirm_as_manager, edit_as_manager
from centers.models import Center, Claim, ListingChange
from directory.clients import client_address

from . import limits
from .forms import (
    SECTIONS,
    ClaimForm,
    CodeForm,
    SignInForm,
    field_labels,
    initial_for,
    values_of,
)
from .services import ClaimRefused, check_code, request_claim, send_sign_in_link

CLAIM_SESSION_KEY = "portal_claim"


def _claimable(slug: str) -> Center:
    return get_object_or_404(Center.objects.exclude(status=Center.Status.HIDDEN), slug=slug)


@require_http_methods(["GET", "HEAD", "POST"])
def claim(request: HttpRequest, slug: str) -> HttpResponse:
    center = _claimable(slug)
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.is_spam():
            return redirect("portal:claim-code")
        made = _place_claim(request, center, form)
        if made is not None:
            request.session[CLAIM_SESSION_KEY] = made.pk
            return redirect("portal:claim-code")
    status = 400 if form.errors else 200
    context = {"center": center, "form": form, "phone": center.phone or center.intake_phone}
    return render(request, "portal/claim.html", context, status=status)


def _place_claim(request: HttpRequest, center: Center, form: ClaimForm) -> Claim | None:
    """Record the claim and call the listing; on refusal, say why on the form."""
    if not limits.allow("claim", client_address(request), limit=limits.CLAIMS_PER_CLIENT):
        form.add_error(None, _("Too many claims from here. Please try again in an hour."))
        return None
    try:
        return request_claim(
            center_id=center.pk,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            language=translation.get_language(),
        )
    except ClaimRefused as refusal:
        form.add_error(None, _refusal_message(refusal.reason))
        return None


def _refusal_message(reason: str) -> str:
    return {
        "no_phone": _(
            "This listing has no phone number we can call. Please use “Report a problem” on "
            "its page, and our editors will help."
        ),
        "limit": _(
            "This listing's phone has already been called three times today. Please try "
            "again tomorrow."
        ),
    }.get(
        reason,
        _("We could not place the call just now. Please try again in a few minutes."),
    )


@require_http_methods(["GET", "HEAD", "POST"])
def claim_code(request: HttpRequest) -> HttpResponse:
    claim_id = request.session.get(CLAIM_SESSION_KEY)
    made = Claim.objects.select_related("center").filter(pk=claim_id).first()
    if made is None:
        return render(request, "portal/claim_missing.html", status=404)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not limits.allow("code", client_address(request), limit=limits.CODE_GUESSES_PER_CLIENT):
            form.add_error("code", _("Too many codes tried from here. Please wait an hour."))
        else:
            result = check_code(claim_id=made.pk, code=form.cleaned_data["code"])
            if result.ok:
                del request.session[CLAIM_SESSION_KEY]
                return _claim_verified(request, result.claim)
            form.add_error("code", _code_message(result.reason, result.tries_left))
            made = result.claim
    status = 400 if form.errors else 200
    return render(request, "portal/claim_code.html", {"claim": made, "form": form}, status=status)


def _code_message(reason: str, tries_left: int) -> str:
    if reason == "wrong":
        return translation.ngettext(
            "That is not the code. You have %(count)d more try.",
            "That is not the code. You have %(count)d more tries.",
            tries_left,
        ) % {"count": tries_left}
    if reason == "expired":
        return _("This code has expired (codes last 10 minutes). Please ask for a new call.")
    if reason == "locked":
        return _("Too many wrong codes. Please ask for a new call.")
    return _("This claim is already settled.")


def _claim_verified(request: HttpRequest, made: Claim) -> HttpResponse:
    if made.status == Claim.Status.VERIFIED:
        send_sign_in_link(
            email=made.email,
            next_path=reverse("portal:center", args=[made.center.slug]),
            base_url=request.build_absolute_uri("/").rstrip("/"),
            language=translation.get_language(),
        )
    return render(request, "portal/claim_verified.html", {"claim": made})


@require_http_methods(["GET", "HEAD", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    next_path = _safe_next(request, request.POST.get("next") or request.GET.get("next", ""))
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        address = client_address(request)
        if limits.allow("sign-in", address, limit=limits.SIGN_INS_PER_CLIENT) and limits.allow(
            "sign-in-address", email, limit=limits.SIGN_INS_PER_ADDRESS
        ):
            send_sign_in_link(
                email=email,
                next_path=next_path,
                base_url=request.build_absolute_uri("/").rstrip("/"),
                language=translation.get_language(),
            )
        # The same answer whoever asks: the page tells no one which addresses manage a listing.
        context = {"email": email, "minutes": _link_minutes()}
        return render(request, "portal/sign_in_sent.html", context)
    status = 400 if form.errors else 200
    context = {"form": form, "next": next_path}
    return render(request, "portal/sign_in.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def sign_in_link(request: HttpRequest) -> HttpResponse:
    """A GET only shows a button: mail scanners that open links must not spend the one-time
    link. The POST carries the token on and signs in."""
    next_path = _safe_next(request, request.GET.get("next", ""))
    if request.method != "POST":
        return render(request, "portal/sign_in_link.html", {"next": next_path})
    from sesame.utils import (
        get_user,
    )  # needs SECRET_KEY when imported (see centers.portal.services)

    user = get_user(request, update_last_login=False)
    if user is None:
        context = {"expired": True, "minutes": _link_minutes()}
        return render(request, "portal/sign_in_link.html", context, status=400)
    login(request, user)
    return redirect(next_path or "portal:home")


def _link_minutes() -> int:
    return settings.SESAME_MAX_AGE // 60


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("centers:home")


def _safe_next(request: HttpRequest, target: str) -> str:
    ok = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if ok and target.startswith("/") else ""


@login_required
def home(request: HttpRequest) -> HttpResponse:
    centers = Center.objects.managed_by(request.user).only("name", "slug", "city", "state")
    return render(request, "portal/home.html", {"centers": centers})


def _managed(request: HttpRequest, slug: str) -> Center:
    """The center ``slug`` if the signed-in person manages it; 403 if not, 404 if none."""
    center = get_object_or_404(Center, slug=slug)
    if not Center.objects.managed_by(request.user).filter(pk=center.pk).exists():
        raise PermissionDenied
    return center


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def center(request: HttpRequest, slug: str) -> HttpResponse:
    listing = _managed(request, slug)
    posted = request.POST.get("section") if request.method == "POST" else None
    forms = {
        name: form_class(
            request.POST if name == posted else None,
            initial=initial_for(name, listing),
            prefix=name,
        )
        for name, form_class in SECTIONS.items()
    }
    if posted in forms and forms[posted].is_valid():
        result = edit_as_manager(
            center_id=listing.pk, user=request.user, values=values_of(forms[posted])
        )
        _tell(request, result)
        return redirect(f"{reverse('portal:center', args=[slug])}#{posted}")
    labels = field_labels()
    changes = ListingChange.objects.filter(center=listing).order_by("-created_at", "-pk")[:20]
    context = {
        "center": listing,
        "forms": forms,
        "changes": [(change, labels.get(change.field, change.field)) for change in changes],
    }
    return render(request, "portal/center.html", context, status=400 if posted else 200)


def _tell(request: HttpRequest, result: EditResult) -> None:
    if result.published:
        messages.success(request, _("Saved. The listing shows it now."))
    if result.pending:
        messages.info(
            request,
            _("Thank you. An editor will check the correction before the listing shows it."),
        )
    if not result.published and not result.pending:
        messages.info(request, _("Nothing changed."))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def still_accurate(request: HttpRequest, slug: str) -> HttpResponse:
    listing = _managed(request, slug)
    if request.method == "POST":
        confirm_as_manager(center_id=listing.pk, user=request.user)
        messages.success(request, _("Thank you. The listing now says the center checked it today."))
        return redirect("portal:center", slug=slug)
    return render(request, "portal/still_accurate.html", {"center": listing})
