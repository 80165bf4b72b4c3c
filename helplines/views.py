import logging
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe

from centers.models import Center
from directory import phones
from directory.clients import client_address

from . import services, statistics, twiml
from .forms import (
    SID_LENGTH,
    AttemptForm,
    CallbackForm,
    CallStatusForm,
    DialResultForm,
    IncomingCallForm,
    ScreenForm,
    SiteCallbackForm,
    WhisperForm,
)
from .models import Advertiser, CallbackRequest, Disclosure, Helpline
from .reports import csv_download
from .webhooks import log_fallback, twilio_webhook

logger = logging.getLogger(__name__)

# Dial results after which the caller has talked to someone: a lost result then hangs up.
ANSWERED_DIAL_STATUSES = frozenset({"completed", "answered"})


class TelRedirect(HttpResponseRedirect):
    allowed_schemes = ["tel"]


def _not_routed(request: HttpRequest) -> HttpResponse:
    return twiml.not_routed()


def _not_routed_in_chosen_language(request: HttpRequest) -> HttpResponse:
    return twiml.not_routed(twiml.chosen_language(request.POST.get("Digits")))


def _query_language(request: HttpRequest) -> str:
    """The caller's language, from the ``lang`` we put on our own URLs (English otherwise)."""
    return twiml.SPANISH if request.GET.get("lang") == twiml.SPANISH else "en"


def _dial_lost(request: HttpRequest) -> HttpResponse:
    return twiml.lost_call(
        answered=request.POST.get("DialCallStatus") in ANSWERED_DIAL_STATUSES,
        language=_query_language(request),
    )


def _acknowledged(request: HttpRequest) -> HttpResponse:
    return twiml.acknowledged()


def _whisper(request: HttpRequest) -> HttpResponse:
    """Built from the URL alone, so that it works with the database down: the key press is
    posted to the screening webhook with the same call and attempt."""
    query = {name: request.GET[name] for name in ("call", "attempt", "lang") if name in request.GET}
    screen_url = ""
    if "call" in query and "attempt" in query:
        screen_url = request.build_absolute_uri(
            f"{reverse('helplines:voice-screen')}?{urlencode(query)}"
        )
    return twiml.whisper(
        request.GET.get("line", ""),
        _query_language(request),
        screen_url=screen_url,
        machine=twiml.is_machine(request.POST.get("AnsweredBy")),
    )


def _screen_lost(request: HttpRequest) -> HttpResponse:
    """With the acceptance unrecordable, a person who pressed 1 still gets the caller."""
    return twiml.screened(accepted=request.POST.get("Digits") == services.ACCEPT_DIGIT)


@twilio_webhook(fallback=_not_routed)
def voice_incoming(request: HttpRequest) -> HttpResponse:
    form = IncomingCallForm(request.POST)
    if not form.is_valid():
        # Signed, so a real caller is waiting: the fallback line, and what can be recorded.
        response = log_fallback(request, twiml.not_routed(), problem=_invalid(form))
        services.record_unrouted_call(
            call_sid=request.POST.get("CallSid", ""),
            to_number=request.POST.get("To", ""),
            caller_number=form.cleaned_data.get("From", ""),
        )
        return response
    data = form.cleaned_data
    helpline = Helpline.objects.for_number(data["To"])
    if helpline is not None and helpline.offers_spanish:
        # "Para español, oprima 2" first; the language webhook routes the call.
        return twiml.offer_spanish(request=request)
    step = services.route_call(
        helpline=helpline,
        call_sid=data["CallSid"],
        caller_number=data["From"],
        to_number=data["To"],
    )
    return twiml.respond(step, request=request)


@twilio_webhook(fallback=_not_routed_in_chosen_language)
def voice_language(request: HttpRequest) -> HttpResponse:
    """After "para español, oprima 2" on an English general line: 2 continues in Spanish;
    any other key, or none (the ``<Redirect>`` after the offer), in English. Twilio posts the
    call's own parameters here as to the incoming webhook, so the call is routed the same way.
    """
    language = twiml.chosen_language(request.POST.get("Digits"))
    form = IncomingCallForm(request.POST)
    if not form.is_valid():
        response = log_fallback(request, twiml.not_routed(language), problem=_invalid(form))
        services.record_unrouted_call(
            call_sid=request.POST.get("CallSid", ""),
            to_number=request.POST.get("To", ""),
            caller_number=form.cleaned_data.get("From", ""),
            language=language,
        )
        return response
    data = form.cleaned_data
    step = services.route_call(
        helpline=Helpline.objects.for_number(data["To"]),
        call_sid=data["CallSid"],
        caller_number=data["From"],
        to_number=data["To"],
        language=language,
    )
    return twiml.respond(step, request=request)


@twilio_webhook(fallback=_dial_lost)
def voice_dial_status(request: HttpRequest) -> HttpResponse:
    query, form = AttemptForm(request.GET), DialResultForm(request.POST)
    if not (query.is_valid() and form.is_valid()):
        return log_fallback(request, _dial_lost(request), problem=_invalid(query, form))
    data = form.cleaned_data
    step = services.record_dial_result(
        call_sid=data["CallSid"],
        attempt_order=query.cleaned_data["attempt"],
        dial_status=data["DialCallStatus"],
        duration=data["DialCallDuration"],
        dial_call_sid=data["DialCallSid"],
    )
    if step is None:
        logger.warning("Dial result for unknown call %s", data["CallSid"])
        return _dial_lost(request)
    return twiml.respond(step, request=request)


@twilio_webhook(fallback=_acknowledged)
def voice_status(request: HttpRequest) -> HttpResponse:
    form = CallStatusForm(request.POST)
    if not form.is_valid():
        return log_fallback(request, twiml.acknowledged(), problem=_invalid(form))
    data = form.cleaned_data
    call = services.record_call_status(
        call_sid=data["CallSid"], status=data["CallStatus"], duration=data["CallDuration"]
    )
    if call is None:
        logger.info("Status %s for unknown call %s", data["CallStatus"], data["CallSid"])
    return twiml.acknowledged()


@twilio_webhook(fallback=_whisper)
def voice_whisper(request: HttpRequest) -> HttpResponse:
    """Said to whoever picked up, and the moment they did is recorded on their attempt (the
    URL names it; a whisper URL handed out before it did is still answered)."""
    query = WhisperForm(request.GET)
    if query.is_valid() and not twiml.is_machine(request.POST.get("AnsweredBy")):
        services.record_connected(
            call_sid=query.cleaned_data["call"],
            attempt_order=query.cleaned_data["attempt"],
            leg_sid=request.POST.get("CallSid", "")[:SID_LENGTH],
        )
    return _whisper(request)


@twilio_webhook(fallback=_screen_lost)
def voice_screen(request: HttpRequest) -> HttpResponse:
    """The key pressed at the whisper's "press 1", by the leg that picked up (its CallSid is
    the attempt's DialCallSid). Only a 1 recorded for that attempt puts the caller through."""
    query, form = WhisperForm(request.GET), ScreenForm(request.POST)
    if not (query.is_valid() and form.is_valid()):
        logger.warning("Screening answer refused: %s", _invalid(query, form))
        return twiml.screened(accepted=False)
    accepted = services.record_acceptance(
        call_sid=query.cleaned_data["call"],
        attempt_order=query.cleaned_data["attempt"],
        leg_sid=form.cleaned_data["CallSid"],
        digits=form.cleaned_data["Digits"],
    )
    return twiml.screened(accepted=accepted)


def _invalid(*forms: Form) -> str:
    """Which parameters were missing or invalid, by name only: values may identify a caller."""
    names = sorted({name for form in forms for name in form.errors})
    return f"invalid parameters ({', '.join(names)})"


@require_safe
@never_cache
def call(request: HttpRequest, slug: str) -> HttpResponse:
    """Record a tap on a helpline number, then hand over to the phone."""
    helpline = get_object_or_404(Helpline.objects.active(), slug=slug)
    if request.method == "GET":  # link checkers and monitors send HEAD: not a visitor's tap
        services.record_web_click(helpline=helpline)
    response = TelRedirect(phones.tel_uri(helpline.number))
    # Crawlers following the link would count as clicks and index a phone redirect.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _statement(disclosure: Disclosure | None) -> dict[str, object] | None:
    """The text of ``disclosure`` to show in the page's language: its own translation, or its
    English marked as untranslated, never an earlier version's translation."""
    if disclosure is None:
        return None
    text = disclosure.body_in(_page_language())
    return {"text": text or disclosure.body, "translated": bool(text)}


@require_safe
def where_calls_go(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    advertisers = Advertiser.objects.current(now).for_disclosure()
    disclosure = Disclosure.objects.current(now)
    return render(
        request,
        "helplines/where_calls_go.html",
        {
            "now": now,
            "advertisers": advertisers,
            # Read from the advertisers' own rows, already fetched for the list.
            "spanish_advertisers": [a for a in advertisers if a.answers_in_spanish],
            # Each general line with the advertisers that answer it and their shares.
            "lines": [
                (line, line.shares(advertisers))
                for line in Helpline.objects.active().general().prefetch_related("advertisers")
            ],
            "retention_days": settings.CALL_DETAIL_RETENTION_DAYS,
            "callback_retention_days": settings.CALLBACK_RETENTION_DAYS,
            "pause_after": settings.HELPLINE_PAUSE_AFTER_MISSES,
            "pause_minutes": settings.HELPLINE_PAUSE_MINUTES,
            "disclosure": disclosure,
            "statement": _statement(disclosure),
            "fallback_is_samhsa": settings.HELPLINE_FALLBACK_NUMBER == twiml.SAMHSA_NUMBER,
            "fallback_number": phones.display(settings.HELPLINE_FALLBACK_NUMBER),
            "dial_timeout": settings.HELPLINE_DIAL_TIMEOUT,
            "max_attempts": services.MAX_ADVERTISER_ATTEMPTS,
        },
    )


@require_safe
def call_statistics(request: HttpRequest) -> HttpResponse:
    """What became of the calls, per advertiser, for a month (``?month=YYYY-MM``) or the last
    30 days; ``?format=csv`` downloads the same table. A bad month shows the last 30 days
    with a message."""
    today = timezone.localdate()
    chosen = request.GET.get("month", "")
    month = statistics.parse_month(chosen, today=today) if chosen else None
    bad_month = bool(chosen) and month is None
    period = statistics.month_period(month) if month else statistics.last_days()
    figures = statistics.for_period(period)
    if request.GET.get("format") == "csv" and not bad_month:
        return csv_download(statistics.csv_rows(figures), f"call-statistics-{period.key}.csv")
    context = {
        "figures": figures,
        "months": statistics.recent_months(today),
        "bad_month": chosen[:20] if bad_month else "",
        "csv_query": urlencode({**({"month": period.key} if month else {}), "format": "csv"}),
        "retention_days": settings.CALL_DETAIL_RETENTION_DAYS,
    }
    return render(request, "helplines/statistics.html", context, status=400 if bad_month else 200)


@require_safe
def disclosure_history(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "helplines/disclosure_history.html",
        {
            "versions": Disclosure.objects.in_effect()
            .only("version", "effective_from", "change_note")
            .annotate(has_spanish=ExpressionWrapper(~Q(body_es=""), output_field=BooleanField()))
        },
    )


@require_safe
def disclosure_version(request: HttpRequest, version: int) -> HttpResponse:
    disclosure = get_object_or_404(Disclosure.objects.in_effect(), version=version)
    return render(
        request,
        "helplines/disclosure_version.html",
        {
            "disclosure": disclosure,
            "statement": _statement(disclosure),
            "current": Disclosure.objects.current(),
        },
    )


# --- Callback requests ---------------------------------------------------------------------

# The thank-you page's link names who will call; it is signed so that nobody can make our site
# say that someone else will, and it is not kept: a day is plenty to read it.
SENT_SALT = "helplines.callback-sent"
SENT_LINK_AGE = 24 * 60 * 60


@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_post_parameters(*CallbackForm.PRIVATE_FIELDS)
@never_cache
def callback(request: HttpRequest) -> HttpResponse:
    """Site-wide: the request goes to the paid advertiser the rotation chooses, by name, among
    those that answer in the page's language."""
    language = _page_language()
    advertiser = services.next_advertiser(now=timezone.now(), language=language)
    if advertiser is None:
        return _render_callback(request, None)
    form = SiteCallbackForm(
        request.POST if request.method == "POST" else None, advertiser=advertiser
    )
    if not form.is_bound:
        return _render_callback(request, form)
    if form.is_spam():
        return _pretend_sent(request, form, advertiser_id=form.agreed_advertiser_id)
    if form.advertiser_is_garbled():
        return _render_callback(request, form.offered_to(advertiser), status=400)
    if form.agreed_advertiser_id != advertiser.pk:
        return _render_callback(request, form.offered_to(advertiser), status=409)
    if not form.is_valid():
        return _render_callback(request, form, status=400)
    if not _allowed(request):
        return _too_many(request)
    try:
        callback = services.request_advertiser_callback(
            agreed_advertiser_id=advertiser.pk, language=language, **form.request_fields()
        )
    except services.NoAdvertiserAvailable:
        return _render_callback(request, None)
    except services.RotationMoved as moved:
        return _render_callback(request, form.offered_to(moved.advertiser), status=409)
    return _sent(advertiser_id=callback.advertiser_id, best_time=callback.best_time)


@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_post_parameters(*CallbackForm.PRIVATE_FIELDS)
@never_cache
def center_callback(request: HttpRequest, slug: str) -> HttpResponse:
    """From a center's page: the request goes to that center. Shows the form again on error."""
    center = get_object_or_404(Center.objects.published(), slug=slug)
    form = CallbackForm(request.POST if request.method == "POST" else None, callee=center.name)
    if form.is_bound and form.is_spam():
        return _pretend_sent(request, form, center_id=center.pk)
    if form.is_bound and form.is_valid():
        if not _allowed(request):
            return _too_many(request)
        services.request_center_callback(
            center=center, language=_page_language(), **form.request_fields()
        )
        return _sent(center_id=center.pk, best_time=form.cleaned_data["best_time"])
    return render(
        request,
        "helplines/callback_center.html",
        {
            "center": center,
            "form": form,
            "callback_url": reverse("helplines:center-callback", args=[center.slug]),
            "retention_days": settings.CALLBACK_RETENTION_DAYS,
        },
        status=400 if form.is_bound else 200,
    )


@require_safe
def callback_sent(request: HttpRequest) -> HttpResponse:
    try:
        sent = signing.loads(request.GET.get("r", ""), salt=SENT_SALT, max_age=SENT_LINK_AGE)
    except signing.BadSignature:
        sent = {}
    center = Center.objects.filter(pk=sent.get("center")).first() if sent.get("center") else None
    advertiser = (
        Advertiser.objects.select_related("center").filter(pk=sent.get("advertiser")).first()
        if sent.get("advertiser")
        else None
    )
    best_time = dict(CallbackRequest.BestTime.choices).get(sent.get("best_time"))
    return render(
        request,
        "helplines/callback_sent.html",
        {
            "center": center,
            "advertiser": advertiser,
            "callee": advertiser.name if advertiser else center.name if center else "",
            "best_time": best_time,
            "retention_days": settings.CALLBACK_RETENTION_DAYS,
        },
    )


def _render_callback(
    request: HttpRequest, form: SiteCallbackForm | None, *, status: int = 200
) -> HttpResponse:
    """The site-wide page: the form for ``form.advertiser``, or, without a form, the honest
    news that no advertiser can take a request now."""
    context = {
        "form": form,
        "advertiser": form.advertiser if form else None,
        "callee": form.advertiser.name if form else "",
        "retention_days": settings.CALLBACK_RETENTION_DAYS,
    }
    return render(request, "helplines/callback.html", context, status=status)


def _page_language() -> str:
    """The language of the page (from its URL): what a callback request records."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _allowed(request: HttpRequest) -> bool:
    return services.allow_callback_request(client_address=client_address(request))


def _too_many(request: HttpRequest) -> HttpResponse:
    logger.warning("Callback requests refused: one client sent more than %d", services.RATE_LIMIT)
    response = render(
        request,
        "helplines/callback_limited.html",
        {"limit": services.RATE_LIMIT, "window_minutes": services.RATE_WINDOW // 60},
        status=429,
    )
    response["Retry-After"] = str(services.RATE_WINDOW)
    return response


def _pretend_sent(
    request: HttpRequest,
    form: CallbackForm,
    *,
    center_id: int | None = None,
    advertiser_id: int | None = None,
) -> HttpResponse:
    """A bot filled in the hidden field: it gets the usual thank-you, and nothing is stored."""
    if not _allowed(request):
        return _too_many(request)
    logger.info("Callback form: the hidden field was filled in, so nothing was stored")
    best_time = str(form.data.get(form.add_prefix("best_time"), ""))
    return _sent(center_id=center_id, advertiser_id=advertiser_id, best_time=best_time)


def _sent(
    *, center_id: int | None = None, advertiser_id: int | None = None, best_time: str = ""
) -> HttpResponseRedirect:
    token = signing.dumps(
        {"center": center_id, "advertiser": advertiser_id, "best_time": best_time},
        salt=SENT_SALT,
    )
    return redirect(f"{reverse('helplines:callback-sent')}?r={token}")
